"""Server-sent event streams (text/event-stream) over the live-event broker (`core/events.py`).

`event_stream(request, channel)` is awaited by an async view and returns a streaming response whose
body is produced in the event loop: under `masthead run` the request's worker thread goes back to
the pool as soon as the view returns (core/handler.py), so an open stream costs a queue and a few
objects, never a thread.

Limits, all settings with defaults: at most LIVE_MAX_STREAMS open streams per process (503) and
LIVE_MAX_STREAMS_PER_IP from one client address (429), both with Retry-After; a subscriber more than
LIVE_SUBSCRIBER_QUEUE events behind is closed (the client reconnects and catches up from the
backlog); a stream ends after LIVE_STREAM_MAX_SECONDS (the client reconnects with Last-Event-ID).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

from django.conf import settings
from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _

from masthead.core.clientip import client_ip
from masthead.core.errors import ApiError, ErrorCode
from masthead.core.events import BrokerUnavailable, SlowConsumer, broker

logger = logging.getLogger(__name__)


def setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


class _OpenStreams:
    """Open streams of this process, in total and per client address."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.total = 0
        self.by_address: dict[str, int] = {}

    def take(self, address: str) -> None:
        retry = str(int(setting("LIVE_RETRY_AFTER_SECONDS", 30)))
        with self.lock:
            if self.total >= int(setting("LIVE_MAX_STREAMS", 2000)):
                raise ApiError(
                    ErrorCode.UNAVAILABLE,
                    _(
                        "Too many live readers right now; the page will check for new comments itself."
                    ),
                    503,
                    headers={"Retry-After": retry},
                )
            if self.by_address.get(address, 0) >= int(setting("LIVE_MAX_STREAMS_PER_IP", 20)):
                raise ApiError(
                    ErrorCode.RATE_LIMITED,
                    _("Too many live connections from your address."),
                    429,
                    headers={"Retry-After": retry},
                )
            self.total += 1
            self.by_address[address] = self.by_address.get(address, 0) + 1

    def give_back(self, address: str) -> None:
        with self.lock:
            self.total -= 1
            left = self.by_address.get(address, 1) - 1
            if left > 0:
                self.by_address[address] = left
            else:
                self.by_address.pop(address, None)


open_streams = _OpenStreams()


def unavailable_message() -> str:
    return _("Live updates are unavailable right now; the page will check for new comments itself.")


def last_event_id(request: HttpRequest) -> int:
    """The `Last-Event-ID` header (what EventSource sends on reconnect) or `?last_event_id=`; 0 if
    absent or malformed: a malformed id is a fresh start, never an error."""
    raw = request.headers.get("Last-Event-ID") or request.GET.get("last_event_id", "")
    raw = raw.strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        return 0
    return int(raw)


async def event_stream(request: HttpRequest, channel: str) -> StreamingHttpResponse:
    """A text/event-stream response of `channel`'s events from the request's Last-Event-ID on.

    Raises ApiError 429 (too many streams from this address) or 503 (too many streams, or the
    broker is down), each with Retry-After: the client polls meanwhile.
    """
    retry_after = {"Retry-After": str(int(setting("LIVE_RETRY_AFTER_SECONDS", 30)))}
    if not hasattr(request, "scope"):
        # A WSGI server (Django's test live server, say) would collect an endless stream into
        # memory: the page polls instead. `masthead run` serves ASGI.
        raise ApiError(ErrorCode.UNAVAILABLE, unavailable_message(), 503, headers=retry_after)
    address = client_ip(request)
    open_streams.take(address)
    try:
        subscription = await broker().subscribe(channel, last_event_id(request))
    except BrokerUnavailable as exc:
        open_streams.give_back(address)
        logger.warning("live events unavailable: %s", exc)
        raise ApiError(
            ErrorCode.UNAVAILABLE,
            _(
                "Live updates are unavailable right now; the page will check for new comments itself."
            ),
            503,
            headers={"Retry-After": str(int(setting("LIVE_RETRY_AFTER_SECONDS", 30)))},
        ) from exc
    except BaseException:
        open_streams.give_back(address)
        raise
    heartbeat = float(setting("LIVE_HEARTBEAT_SECONDS", 20))
    lifetime = float(setting("LIVE_STREAM_MAX_SECONDS", 1800))
    retry_ms = int(setting("LIVE_RETRY_MS", 3000))

    async def body() -> AsyncIterator[bytes]:
        ends_at = time.monotonic() + lifetime
        try:
            # The retry hint, and a first line so proxies and the browser see the stream is open.
            yield f"retry: {retry_ms}\n: open\n\n".encode()
            while time.monotonic() < ends_at:
                event = await subscription.next(
                    min(heartbeat, max(0.1, ends_at - time.monotonic()))
                )
                if event is None:
                    yield b": keep-alive\n\n"
                    continue
                yield event.encoded  # after a `reset` (its id the newest) the client refetches
        except SlowConsumer:
            logger.info("live events: closed a stream that fell behind on %s", channel)
        except BrokerUnavailable:
            logger.info("live events: the broker went away; closing a stream on %s", channel)
        finally:
            subscription.close()
            open_streams.give_back(address)

    response = StreamingHttpResponse(body(), content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on as it comes
    return response
