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
`response.close()` (request_finished) in the same call when the content is already made (a stream
or a file is closed on the same thread after it is sent). Requests still
run concurrently, one thread each; on SQLite, requests that may write (POST, PUT, PATCH, DELETE)
take turns within the process (`core/turns.py` says why).

An async view (the live-event streams, `core/streams.py`) runs through the same chain: Django calls
it on the borrowed thread through async_to_sync, so it runs in the event loop while the thread
waits. When it answers with an async streaming response, the thread goes back to the pool at once
and the stream is sent from the event loop, watching for the client to disconnect; an open stream
holds no thread. (Django's own ASGIHandler would keep the request's thread-sensitive executor, an
idle thread, for as long as the stream stays open, because of the sync middleware.)
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, ASGIRequest, get_script_prefix
from django.core.handlers.base import BaseHandler
from django.http import FileResponse, HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.middleware.security import SecurityMiddleware
from django.urls import set_script_prefix

from masthead.core.fastpath import ASKED, fast_answer, has_handlers
from masthead.core.turns import write_turn

IDLE_THREADS = 16
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


def is_event_stream(response: HttpResponseBase) -> bool:
    return isinstance(response, StreamingHttpResponse) and response.is_async


async def _until_disconnect(receive: Any) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


def _let_go_of_request(response: HttpResponseBase) -> None:
    """Close the request of an event stream now (it has no upload to keep), so the open stream does
    not keep the request, its headers, session and resolver match alive for up to half an hour:
    Django hands `request.close` to the response, to be called when the response is closed."""
    closers = response._resource_closers  # type: ignore[attr-defined]
    for closer in [c for c in closers if isinstance(getattr(c, "__self__", None), HttpRequest)]:
        closers.remove(closer)
        closer()


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
            # Not kept for the rest of the call: an event stream lasts up to half an hour.
            request = None
        executor = self.threads.borrow()
        stream: HttpResponseBase | None = None
        try:
            async with ThreadSensitiveContext(executor=executor):
                stream = await self.handle(scope, receive, send)
        finally:
            self.threads.give_back(executor)
        if stream is not None:
            await self.send_stream(stream, receive, send)

    async def handle(  # type: ignore[override]
        self, scope: dict[str, Any], receive: Any, send: Any
    ) -> HttpResponseBase | None:
        """Answer the request on the borrowed thread; a long-lived stream (an async view's event
        stream) is returned unsent instead, to be sent once the thread is back in the pool."""
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return None
        try:
            response = await sync_to_async(self._respond, thread_sensitive=True)(scope, body_file)
            if is_event_stream(response):
                await sync_to_async(_let_go_of_request, thread_sensitive=True)(response)
                return response
            if not response.streaming:
                await self.send_response(response, send)  # closed already, by _respond
                return None
            try:
                await self.send_response(response, send)
            finally:
                await sync_to_async(response.close, thread_sensitive=True)()
        finally:
            body_file.close()
        return None

    async def send_stream(self, response: HttpResponseBase, receive: Any, send: Any) -> None:
        """Send an event stream from the event loop until it ends or the client goes away."""
        sending = asyncio.create_task(self.send_response(response, send))
        watching = asyncio.create_task(_until_disconnect(receive))
        try:
            await asyncio.wait((sending, watching), return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sending, watching):
                task.cancel()
            await asyncio.gather(sending, watching, return_exceptions=True)
            # The body's own clean-up (its subscription, its slot) runs now, not when collected.
            source: Any = getattr(response, "_iterator", None)
            if hasattr(source, "aclose"):
                with contextlib.suppress(Exception):
                    await source.aclose()
            await sync_to_async(response.close, thread_sensitive=False)()

    def _respond(self, scope: dict[str, Any], body_file: Any) -> HttpResponseBase:
        """What a WSGI handler does for one request, on the borrowed thread.

        A response whose content is already bytes (all but streams and files) is closed here, before
        it is sent: request_finished's work then needs no second hop to a thread after sending,
        which cost about a sixth of a realistic post's CPU at c=4 (bench/RESULTS.md).
        """
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, error_response = self.create_request(scope, body_file)
        if request is None:
            assert error_response is not None  # noqa: S101 - create_request gives one or the other
            response = error_response
        elif request.method in SAFE_METHODS:
            response = self.get_response(request)
        else:
            with write_turn():
                response = self.get_response(request)
        response._handler_class = self.__class__  # type: ignore[attr-defined]
        if isinstance(response, FileResponse):
            response.block_size = self.chunk_size
        if not response.streaming:
            response.close()
        return response
