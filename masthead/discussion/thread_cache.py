"""Cached thread pages: the JSON of `GET /api/v1/threads/{id}/comments`, built once per thread version.

A thread page is the same JSON for every reader, so it is cached under the thread's version and the
page's parameters, and a copy is kept under the exact query string for the fast path
(`cached_thread_page`, a `FAST_ANSWER` hook), which serves it from the event loop without the
database. The copy is valid while the thread's and the site's version counters are unchanged (bumped
on commit of every change readers see: comments, votes, unpublishing, view restrictions, discussion
settings), for at most PAGE_CACHE_SECONDS.

Each process also keeps the copies it served last (`core.cache.LocalCopies`): a hit then reads only
the two version counters from the shared cache (one round trip to Redis), not the page itself, and
answers with bytes already encoded. The counters are read on every hit, so a comment posted through
any process or host still makes every process's copy stale at once.
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
from masthead.core.cache import LocalCopies
from masthead.core.language import request_language
from masthead.discussion import queries
from masthead.discussion.models import Thread
from masthead.discussion.policy import Policy
from masthead.discussion.serialise import page_payload

PAGE_CACHE_SECONDS = 300
THREAD_PAGE_PATH = re.compile(r"^/api/v1/threads/([1-9][0-9]{0,17})/comments$")
MAX_FAST_QUERY = 200
# This process's copies of fast-path answers: (version key, stamp, UTF-8 body) by fast key.
local_copies = LocalCopies(capacity=16 * 1024 * 1024)  # bytes of JSON


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
        key = _fast_key(thread.pk, query, translation.get_language())
        cache.set(key, (thread.version_key, stamp, body), PAGE_CACHE_SECONDS)
        _keep_locally(key, thread.version_key, stamp, body)


def _keep_locally(key: str, version_key: str, stamp: tuple[int, ...], body: str) -> None:
    encoded = body.encode()
    local_copies.put(key, (version_key, stamp, encoded), len(encoded))


def cached_thread_page(request: HttpRequest) -> HttpResponse | None:
    """A copy of `GET /threads/{id}/comments` for exactly this query, if still current; else None."""
    match = THREAD_PAGE_PATH.match(request.path)
    if match is None:
        return None
    query = request.META.get("QUERY_STRING", "")
    if len(query) > MAX_FAST_QUERY:
        return None
    language = request_language(request)
    key = _fast_key(int(match.group(1)), query, language)
    local = local_copies.get(key)
    if local is not None:
        version_key, stamp, encoded = local
        if read_stamp(version_key) == stamp:
            return _answer(encoded, language)
        local_copies.discard(key)  # stale: another process may have kept a current one
    entry = cache.get(key)
    if entry is None:
        return None
    version_key, stamp, body = entry
    if read_stamp(version_key) != stamp:
        return None
    _keep_locally(key, version_key, stamp, body)
    return _answer(body, language)


def _answer(body: str | bytes, language: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/json")
    response["X-Cache"] = "hit"
    response["Content-Language"] = language
    patch_vary_headers(response, ("Accept-Language",))
    return response
