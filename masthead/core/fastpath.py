"""The fast path: answers that are already in the cache go out before the rest of the middleware stack.

Under the ASGI server every sync middleware and view runs on one thread per process, so a cached
article page used to queue behind whatever that thread was doing (16 readers at once meant ~35 ms of
waiting for a 1 ms answer). `FastPathMiddleware` is first in MIDDLEWARE and async-capable: it asks the
registered handlers for a cached answer right in the event loop (a cache read, never the database)
and only hands the request on to Django's stack when none has one.

Under uvicorn the check happens even earlier: `MastheadASGIHandler` (core/handler.py) asks the
handlers before Django sets up a request at all, and the middleware, seeing the
request was already asked about, does not ask again. Tests and any WSGI server go through the
middleware alone.

Apps register handlers under the `FAST_ANSWER` hook (core/hooks.py) at ready time; `handler(request)`
returns a complete response or None. They are read once per process, not per request. Handlers must be cheap, must not touch the database, and must only answer what is
the same for every reader who could send that request. The security headers that SecurityMiddleware,
the CSP middleware and XFrameOptionsMiddleware would add are added here, since a fast answer never
reaches them.

Being first in the stack, the middleware also drops X-Forwarded-Proto from peers that are not trusted
proxies (`core.clientip.drop_untrusted_forwarding`) before anything reads the request's scheme.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.security import SecurityMiddleware

from masthead.core.clientip import drop_untrusted_forwarding
from masthead.core.cors import add_cors_headers
from masthead.core.csp import add_policy
from masthead.core.hooks import FAST_ANSWER, resolved

logger = logging.getLogger(__name__)
ASKED = "masthead.fastpath_asked"  # set in the ASGI scope once the handlers have been asked

FastHandler = Callable[[HttpRequest], HttpResponse | None]


def _handlers() -> tuple[FastHandler, ...]:
    return resolved(FAST_ANSWER)


def _unused_get_response(request: HttpRequest) -> HttpResponse:  # pragma: no cover
    raise AssertionError("SecurityMiddleware is only used for its request/response hooks here.")


class FastPathMiddleware:
    async_capable = True
    sync_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.security = SecurityMiddleware(_unused_get_response)
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def _fast_answer(self, request: HttpRequest) -> HttpResponseBase | None:
        drop_untrusted_forwarding(request)  # before anything asks request.is_secure()
        if getattr(request, "scope", {}).get(ASKED):
            return None
        return fast_answer(request, self.security)

    def __call__(self, request: HttpRequest) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        if self.is_async:
            return self.__acall__(request)
        response = self._fast_answer(request)
        return response if response is not None else self.get_response(request)

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        # Cache reads are short, blocking calls (a local file or one Redis round trip); doing them here
        # costs far less than a hop to the sync thread and back.
        response = self._fast_answer(request)
        if response is not None:
            return response
        return await self.get_response(request)


def fast_answer(request: HttpRequest, security: SecurityMiddleware) -> HttpResponseBase | None:
    """The first handler's answer for `request`, with the headers the full stack would add; or None."""
    handlers = _handlers()
    if request.method not in ("GET", "HEAD") or not handlers:
        return None
    drop_untrusted_forwarding(request)
    try:
        if security.process_request(request) is not None:
            return None  # SECURE_SSL_REDIRECT: the stack sends the redirect
        for handler in handlers:
            response = handler(request)
            if response is not None:
                response.setdefault("X-Frame-Options", getattr(settings, "X_FRAME_OPTIONS", "DENY"))
                response.setdefault(
                    "Content-Length", str(len(response.content))
                )  # as CommonMiddleware
                add_policy(request, response)  # the Content-Security-Policy, as the stack's
                add_cors_headers(request, response)  # an allowed embedding site may read it
                return security.process_response(request, response)
    except DisallowedHost:
        return None  # the stack answers 400
    except Exception:  # a broken cache must not take reads down: the full stack can still answer
        logger.exception("fast path failed; answering through the full stack")
    return None


def has_handlers() -> bool:
    return bool(_handlers())
