"""The ASGI application `masthead run` serves (uvicorn): Django's handler, made cheaper per request.

Django's ASGIHandler is built for async views. Masthead's views are sync, and for them it pays three
costs on every request that a WSGI server does not:

- a new thread per request (its per-request `ThreadSensitiveContext` makes a one-thread executor,
  starts it and joins it afterwards);
- a hop between the event loop and that thread for every sync signal receiver of request_started and
  request_finished, and for each `process_request`/`process_response` of every middleware below the
  first sync-only one (WhiteNoise), since Django runs such middleware in async mode under ASGI;
- the view's own hop.

Here a request that `core.fastpath` cannot answer from the cache runs the way a threaded WSGI server
runs it: the whole sync middleware chain and the view in one call on a worker thread, which is taken
from a pool of reused one-thread executors (asgiref's `ThreadSensitiveContext(executor=...)`), and
`response.close()` (request_finished) on the same thread after the response is sent. Requests still
run concurrently, one thread each; on SQLite, requests that may write (POST, PUT, PATCH, DELETE)
take turns within the process (`core/turns.py` says why). A streaming response (server-sent events)
is sent from the event loop as Django's handler sends it.
"""

from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, ASGIRequest, get_script_prefix
from django.core.handlers.base import BaseHandler
from django.http import FileResponse, HttpResponseBase
from django.middleware.security import SecurityMiddleware
from django.urls import set_script_prefix

from masthead.core.fastpath import ASKED, fast_answer, has_handlers
from masthead.core.turns import write_turn

IDLE_THREADS = 16
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class _ThreadPool:
    """One-thread executors kept between requests: a request borrows one for all its sync work."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self._idle: list[ThreadPoolExecutor] = []
        self._lock = threading.Lock()

    def borrow(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="masthead-request")

    def give_back(self, executor: ThreadPoolExecutor) -> None:
        with self._lock:
            if len(self._idle) < self.keep:
                self._idle.append(executor)
                return
        executor.shutdown(wait=False)


def _unused_get_response(request: Any) -> Any:  # pragma: no cover
    raise AssertionError("SecurityMiddleware is only used for its request/response hooks here.")


class MastheadASGIHandler(ASGIHandler):
    def __init__(self) -> None:
        # ASGIHandler.__init__ would load the async chain; this is the sync one (with
        # BaseHandler._get_response at the bottom), as a WSGI server loads it.
        BaseHandler.__init__(self)
        self.load_middleware(is_async=False)
        self.security = SecurityMiddleware(_unused_get_response)
        self.threads = _ThreadPool(IDLE_THREADS)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Masthead serves HTTP only, not {scope['type']}.")
        if scope.get("method") in ("GET", "HEAD") and has_handlers():
            # Cached answers go out from the event loop, before any per-request set-up.
            scope[ASKED] = True
            try:
                request = ASGIRequest(scope, io.BytesIO())
            except Exception:  # an odd request: the full handler gives it the proper answer (400)
                scope[ASKED] = False
                request = None
            response = fast_answer(request, self.security) if request is not None else None
            if response is not None:
                await self.send_response(response, send)
                return
        executor = self.threads.borrow()
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
        finally:
            self.threads.give_back(executor)

    async def handle(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        try:
            response = await sync_to_async(self._respond, thread_sensitive=True)(scope, body_file)
            try:
                await self.send_response(response, send)
            finally:
                await sync_to_async(response.close, thread_sensitive=True)()
        finally:
            body_file.close()

    def _respond(self, scope: dict[str, Any], body_file: Any) -> HttpResponseBase:
        """What a WSGI handler does for one request, on the borrowed thread."""
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, error_response = self.create_request(scope, body_file)
        if request is None:
            assert error_response is not None  # noqa: S101 - create_request gives one or the other
            return error_response
        if request.method in SAFE_METHODS:
            response = self.get_response(request)
        else:
            with write_turn():
                response = self.get_response(request)
        response._handler_class = self.__class__  # type: ignore[attr-defined]
        if isinstance(response, FileResponse):
            response.block_size = self.chunk_size
        return response
