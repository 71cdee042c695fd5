"""Cached thread pages: the JSON of `GET /api/v1/threads/{id}/comments`, built once per thread version.

A thread page is the same JSON for every reader, so it is cached under the thread's version and the
page's parameters, and a copy is kept under the exact query string for the fast path
(`cached_thread_page`, a `FAST_ANSWER` hook), which serves it from the event loop without the
database. The copy is valid while the thread's and the site's version counters are unchanged (bumped
on commit of every change readers see: comments, votes, unpublishing, view restrictions, discussion
settings), for at most PAGE_CACHE_SECONDS.
"""

from __future__ import annotations

import hashlib
import json
import re

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from masthead.core import cache_versions
from masthead.core.language import request_language
from masthead.discussion import queries
from masthead.discussion.models import Thread
from masthead.discussion.policy import Policy
from masthead.discussion.serialise import page_payload

PAGE_CACHE_SECONDS = 300
THREAD_PAGE_PATH = re.compile(r"^/api/v1/threads/([1-9][0-9]{0,17})/comments$")
MAX_FAST_QUERY = 200


def read_stamp(version_key: str) -> tuple[int, ...]:
    """The version counters a thread page depends on (`Thread.version_key`); read before the page,
    so that a bump during the read makes the copy stale at once."""
    return tuple(cache_versions.versions([("thread", str(version_key)), ("publishing", "")]))


def thread_page_json(
    thread: Thread, policy: Policy, *, sort: str, count: int | None, cursor: str | None, kind: str
) -> str:
    """The JSON of one page of `thread`, from the cache while the thread's version is unchanged."""
    # The cursor is the reader's string: hashed, so any value makes a safe, bounded cache key.
    cursor_digest = hashlib.blake2b((cursor or "").encode(), digest_size=12).hexdigest()
    key = (
        f"disc:page:{thread.pk}:{thread.version}:{sort}:{count}:{cursor_digest}:"
        f"{policy.display_depth}:{int(policy.gravatar)}:{kind}:{translation.get_language()}"
    )
    body = cache.get(key)
    if body is None:
        page = queries.thread_page(thread, sort, count, cursor, policy.display_depth, kind)
        body = json.dumps(page_payload(page, policy.gravatar), separators=(",", ":"))
        cache.set(key, body, PAGE_CACHE_SECONDS)
    return str(body)


def _fast_key(thread_id: int, query: str, language: str) -> str:
    # Per language: the page's words (and an error's message) are in the reader's Accept-Language.
    digest = hashlib.blake2b(query.encode(), digest_size=12).hexdigest()
    return f"disc:fast:{thread_id}:{digest}:{language}"


def keep_for_fast_path(thread: Thread, query: str, stamp: tuple[int, ...], body: str) -> None:
    """Keep `body` as the answer to exactly `query` while `stamp` (from `read_stamp`) is current."""
    if len(query) <= MAX_FAST_QUERY:
        cache.set(
            _fast_key(thread.pk, query, translation.get_language()),
            (thread.version_key, stamp, body),
            PAGE_CACHE_SECONDS,
        )


def cached_thread_page(request: HttpRequest) -> HttpResponse | None:
    """A copy of `GET /threads/{id}/comments` for exactly this query, if still current; else None."""
    match = THREAD_PAGE_PATH.match(request.path)
    if match is None:
        return None
    query = request.META.get("QUERY_STRING", "")
    if len(query) > MAX_FAST_QUERY:
        return None
    language = request_language(request)
    entry = cache.get(_fast_key(int(match.group(1)), query, language))
    if entry is None:
        return None
    version_key, stamp, body = entry
    if read_stamp(version_key) != stamp:
        return None
    response = HttpResponse(body, content_type="application/json")
    response["X-Cache"] = "hit"
    response["Content-Language"] = language
    patch_vary_headers(response, ("Accept-Language",))
    return response
