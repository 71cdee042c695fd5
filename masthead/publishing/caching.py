"""Whole-page caching of reader pages (home, sections, articles) for anonymous readers.

A cached page is stored under `core.pagecache.page_cache_key(path, page)`, so it is missed as soon as
anything it depends on is bumped: ("publishing", "") by the signals below, and whatever other apps
declare with `pagecache.register_dependency` (a discussion thread's version, funding totals...).
Only GETs from readers without a session and without a query string are cached, and only 200
responses of pages without view restrictions that set no cookie.
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from masthead.core.pagecache import page_cache_key

# How long a CDN or browser may keep a page; the app's own copy is invalidated by version bumps.
PUBLIC_MAX_AGE = 60
# A process-local cache cannot see bumps made by other processes (other web workers, the clock), so
# its copies expire sooner.
PROCESS_LOCAL_MAX_SECONDS = 60


def cache_seconds() -> int:
    seconds = int(getattr(settings, "MASTHEAD_PAGE_CACHE_SECONDS", 300))
    if "LocMemCache" in settings.CACHES["default"]["BACKEND"]:
        seconds = min(seconds, PROCESS_LOCAL_MAX_SECONDS)
    return seconds


def is_cacheable_request(request: HttpRequest) -> bool:
    """A reader without a session, GET/HEAD, no query string, not a preview."""
    if request.method not in ("GET", "HEAD") or request.META.get("QUERY_STRING"):
        return False
    if getattr(request, "is_preview", False):
        return False
    # A session may carry a sign-in, a guest identity or a page password: such readers are served fresh.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def is_storable_response(request: HttpRequest, response: HttpResponse) -> bool:
    """A 200 that is the same for every anonymous reader: no cookie set now or by later middleware."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # A CSRF token was rendered into the page: it belongs to one reader.
    session = getattr(request, "session", None)
    return not (session is not None and session.modified)


def cache_variant(request: HttpRequest, page: Any) -> str:
    # The page's own publication stamp makes a re-published page miss at once, even before the
    # on-commit bump reaches this process; the host covers absolute URLs built from the request.
    return f"{request.scheme}://{request.get_host()}|{page.pk}|{page.last_published_at}|{page.live_revision_id}"


def _public(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


def _route_key(path: str) -> str:
    # Paths are the visitor's input: hashed, so a long or odd path still makes a valid cache key.
    return "pageroute:" + hashlib.blake2b(path.encode(), digest_size=16).hexdigest()


def forget_route_now(path: str | None) -> None:
    """Drop the fast-path entry for `path` at once (the on-commit version bump is the real invalidation)."""
    if path:
        cache.delete(_route_key(path))


def _stub(page: Any) -> Any:
    """A light copy of the page for the fast path: enough for dependency sources (pk, type, fields)."""
    stub = copy.copy(page)
    for name in (
        "authors",
        "section",
        "_prefetched_objects_cache",
        "specific",
        "specific_deferred",
    ):
        stub.__dict__.pop(name, None)
    return stub


def cached_response_for_path(request: HttpRequest) -> HttpResponse | None:
    """The fast path: a cached page for this path without routing through the page tree, or None."""
    if cache_seconds() <= 0 or not is_cacheable_request(request):
        return None
    route = cache.get(_route_key(request.path))
    if route is None or route["host"] != request.get_host():
        return None
    page = route["page"]
    cached = cache.get(page_cache_key(request.path, page, variant=cache_variant(request, page)))
    if cached is None:
        return None
    response = HttpResponse(cached["content"], content_type=cached["content_type"])
    response["X-Page-Cache"] = "hit"
    return _public(response)


class CachedPageMixin:
    """Serve a Wagtail page from Django's cache when the reader is anonymous (see module docstring)."""

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = cache_seconds()
        if seconds <= 0 or not is_cacheable_request(request):
            return super().serve(request, *args, **kwargs)  # type: ignore[misc]
        key = page_cache_key(request.path, self, variant=cache_variant(request, self))
        cached = cache.get(key)
        if cached is not None:
            response = HttpResponse(cached["content"], content_type=cached["content_type"])
            response["X-Page-Cache"] = "hit"
            return _public(response)
        response = super().serve(request, *args, **kwargs)  # type: ignore[misc]
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        if (
            request.method == "GET"
            and is_storable_response(request, response)
            and not self.get_view_restrictions().exists()  # type: ignore[attr-defined]
        ):
            cache.set_many(
                {
                    key: {"content": response.content, "content_type": response["Content-Type"]},
                    _route_key(request.path): {"host": request.get_host(), "page": _stub(self)},
                },
                seconds,
            )
            response["X-Page-Cache"] = "miss"
            return _public(response)
        return response
