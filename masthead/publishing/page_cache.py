"""Whole-page caching of reader pages (home, sections, articles) for anonymous readers.

A cached page is stored under `core.cache_versions.page_cache_key(path, page)`, so it is missed as soon as
anything it depends on is bumped: ("publishing", "") by the signals below, and whatever other apps
declare under the `PAGE_DEPENDENCIES` hook (a discussion thread's version, funding totals...).
Only GETs from readers without a session and without a query string are cached, and only 200
responses of pages without view restrictions that set no cookie.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections import OrderedDict
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from masthead.core.cache import LocalCopies
from masthead.core.cache_versions import page_cache_key_for, page_dependencies
from masthead.core.language import request_language
from masthead.publishing.editions import prefers_other_edition

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


def page_variant(page: Any) -> str:
    # The page's own publication stamp makes a re-published page miss at once, even before the
    # on-commit bump reaches this process.
    return f"{page.pk}|{page.last_published_at}|{page.live_revision_id}"


def cache_variant(request: HttpRequest, page_part: str) -> str:
    # The scheme and host cover absolute URLs built from the request; the language is the one the
    # request is answered in (the full stack and the fast path decide it alike, core/language.py).
    return f"{request.scheme}://{request.get_host()}|{request_language(request)}|{page_part}"


def _public(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    if request.path == "/":
        # `/` sends readers who prefer another edition there (publishing/editions.py).
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def _route_key(path: str) -> str:
    # Paths are the visitor's input: hashed, so a long or odd path still makes a valid cache key.
    return "pageroute:v2:" + hashlib.blake2b(path.encode(), digest_size=16).hexdigest()


def forget_route_now(path: str | None) -> None:
    """Drop the fast-path entry for `path` at once (the on-commit version bump is the real invalidation)."""
    if path:
        cache.delete(_route_key(path))
        local_routes.discard(path)


class _RecentPages:
    """The last few cached pages, kept in this process as well: a versioned page key always names the
    same HTML, so a hit needs only the small route and version reads from the shared cache."""

    def __init__(self, size: int = 128) -> None:
        self.size = size
        self._entries: OrderedDict[str, tuple[float, dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: str, value: dict[str, Any]) -> None:
        # Short-lived: if the shared cache ever lost a version counter, an old key could come back.
        expires = time.monotonic() + min(cache_seconds(), PROCESS_LOCAL_MAX_SECONDS)
        with self._lock:
            self._entries[key] = (expires, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


recent_pages = _RecentPages()
# The routes (a path's dependencies and variant) this process served lately. A route only names the
# versions to read: a page re-published under a new variant misses with the old route, which is then
# dropped and read again from the shared cache.
local_routes = LocalCopies(capacity=4096, seconds=PROCESS_LOCAL_MAX_SECONDS)  # routes


# Paths Wagtail could serve as pages (the same shape as the `cached_page` URL), minus other apps' roots.
PAGE_PATH = re.compile(r"^/(?!(?:admin|api|_util|accounts|documents|media|static)/)(?:[\w\-]+/)*$")


def cached_response_for_path(request: HttpRequest) -> HttpResponse | None:
    """The fast path (`core.fastpath`): a cached page for this path without routing through the page
    tree, sessions, auth or CSRF; None when the page is not cached for this reader."""
    if not PAGE_PATH.match(request.path):
        return None
    if request.path == "/" and prefers_other_edition(request):
        return None  # the full stack decides whether an edition in their language exists
    if cache_seconds() <= 0 or not is_cacheable_request(request):
        return None
    route = local_routes.get(request.path)
    if route is not None:
        response = _cached_response(request, route)
        if response is not None:
            return response
        local_routes.discard(request.path)  # maybe re-published since: read the shared route
    route = cache.get(_route_key(request.path))
    if not isinstance(route, dict) or "dependencies" not in route:
        return None  # none yet, or one stored by an earlier version of Masthead
    response = _cached_response(request, route)
    if response is not None:
        local_routes.put(request.path, route)
    return response


def _cached_response(request: HttpRequest, route: dict[str, Any]) -> HttpResponse | None:
    if route["host"] != request.get_host():
        return None
    key = page_cache_key_for(
        request.path, route["dependencies"], cache_variant(request, route["variant"])
    )
    cached = recent_pages.get(key)
    if cached is None:
        cached = cache.get(key)
        if cached is None:
            return None
        recent_pages.put(key, cached)
    response = HttpResponse(cached["content"], content_type=cached["content_type"])
    response["X-Page-Cache"] = "hit"
    return _public(response, request)


class CachedPageMixin:
    """Serve a Wagtail page from Django's cache when the reader is anonymous (see module docstring)."""

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = cache_seconds()
        if seconds <= 0 or not is_cacheable_request(request):
            fresh = super().serve(request, *args, **kwargs)  # type: ignore[misc]
            if request.path == "/":
                patch_vary_headers(fresh, ("Accept-Language", "Cookie"))
            return fresh
        dependencies = page_dependencies(self)
        variant = page_variant(self)
        key = page_cache_key_for(request.path, dependencies, cache_variant(request, variant))
        route = {"host": request.get_host(), "dependencies": dependencies, "variant": variant}
        cached = cache.get(key)
        if cached is not None:
            cache.add(_route_key(request.path), route, seconds)  # the route may have expired first
            response = HttpResponse(cached["content"], content_type=cached["content_type"])
            response["X-Page-Cache"] = "hit"
            return _public(response, request)
        response = super().serve(request, *args, **kwargs)  # type: ignore[misc]
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        if (
            request.method == "GET"
            and is_storable_response(request, response)
            # Stored only under the language it was rendered in, so no key names another's copy.
            and translation.get_language() == request_language(request)
            and not self.get_view_restrictions().exists()  # type: ignore[attr-defined]
        ):
            cache.set_many(
                {
                    key: {"content": response.content, "content_type": response["Content-Type"]},
                    _route_key(request.path): route,
                },
                seconds,
            )
            response["X-Page-Cache"] = "miss"
            return _public(response, request)
        if request.path == "/":
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response
