"""Cross-origin answers of the JSON API, for the websites allowed to embed this one (and no other).

A page on an allowed website (`ALLOWED_ORIGINS` hooks: the embed app's allowed sites) may call
/api/v1/ from the browser: its requests get `Access-Control-Allow-Origin: <that origin>`; preflights
(`OPTIONS` with `Access-Control-Request-Method`) are answered here for it, and cached by the browser
for two hours. Credentials are never allowed: the embed sends no cookies, it carries its own token
(`Authorization: Bearer`, embed/identity.py). Any other origin gets no CORS header, so its browser
keeps the answer from the page; same-origin requests are untouched.

`add_cors_headers` is also called by the fast path (core/fastpath.py), whose cached answers never
reach this middleware.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_vary_headers

from masthead.core.hooks import ALLOWED_ORIGINS, resolved

API_PREFIX = "/api/v1/"
ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE"
ALLOWED_HEADERS = "Authorization, Content-Type, Accept-Language, Last-Event-ID"
EXPOSED_HEADERS = "Retry-After"
PREFLIGHT_SECONDS = "7200"


def request_origin(request: HttpRequest) -> str:
    return str(request.META.get("HTTP_ORIGIN", ""))[:300]


def is_allowed_origin(origin: str) -> bool:
    if not origin or origin == "null":
        return False
    return any(origin in hook() for hook in resolved(ALLOWED_ORIGINS))


def add_cors_headers(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """Let an allowed origin's page read this API answer (Vary: Origin on every API answer)."""
    if not request.path_info.startswith(API_PREFIX):
        return response
    patch_vary_headers(response, ("Origin",))
    origin = request_origin(request)
    if origin and is_allowed_origin(origin):
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def preflight(request: HttpRequest) -> HttpResponse | None:
    """The answer to a CORS preflight from an allowed origin; None for anything else."""
    if (
        request.method != "OPTIONS"
        or not request.path_info.startswith(API_PREFIX)
        or "HTTP_ACCESS_CONTROL_REQUEST_METHOD" not in request.META
    ):
        return None
    origin = request_origin(request)
    response = HttpResponse(status=204)
    patch_vary_headers(response, ("Origin",))
    if is_allowed_origin(origin):
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response["Access-Control-Max-Age"] = PREFLIGHT_SECONDS
    return response


class CorsMiddleware:
    async_capable = True
    sync_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        if self.is_async:
            return self.__acall__(request)
        answer = preflight(request)
        if answer is not None:
            return answer
        return add_cors_headers(request, self.get_response(request))

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        answer = preflight(request)
        if answer is not None:
            return answer
        return add_cors_headers(request, await self.get_response(request))
