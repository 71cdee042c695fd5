"""The page cache's front door: cached reader pages are answered before session, auth and CSRF run.

Placed right after SecurityMiddleware and WhiteNoise, so a hit still gets the security headers and
skips the rest of the stack. Misses continue to Wagtail (and `caching.CachedPageMixin` stores them).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from masthead.publishing.caching import cached_response_for_path

# Paths Wagtail could serve as pages (the same shape as the `cached_page` URL), minus other apps' roots.
PAGE_PATH = re.compile(r"^/(?!(?:admin|api|_util|accounts|documents|media|static)/)(?:[\w\-]+/)*$")


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = cached_response_for_path(request) if PAGE_PATH.match(request.path) else None
        if response is None:
            return self.get_response(request)
        # XFrameOptionsMiddleware is further down the stack than this one.
        response.setdefault("X-Frame-Options", getattr(settings, "X_FRAME_OPTIONS", "DENY"))
        return response
