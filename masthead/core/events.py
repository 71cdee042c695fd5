"""The live-event broker: carries small domain events from the process that commits them to every open
event stream, in this process or (with Redis) in any process on any host.

Publishing is a sync call made after commit (`publish_on_commit`); it never raises: the database is the
record and a stream is only a hint, so a broker that is down is logged and ignored. Subscribing is
async (`await broker().subscribe(channel, last_id)`), for the event-stream views (`core/streams.py`).

Each channel ("thread:42", "moderation") numbers its events 1, 2, 3... and keeps a bounded backlog (the
last LIVE_BACKLOG_EVENTS events, none older than LIVE_BACKLOG_SECONDS), so a client that reconnects
with `Last-Event-ID` gets what it missed, or a `reset` event when that has left the backlog.

- `CacheBroker` (no REDIS_URL; the default): across the processes of one machine through the cache
  they share (diskcache in the data directory), polled a few times a second by each process.
- `InProcessBroker` (LIVE_BROKER "memory", or a cache of this process only): fan-out within this
  process.
- `RedisBroker` (REDIS_URL, or MASTHEAD_LIVE_REDIS_URL): one Redis pub/sub channel per event channel;
  numbering, backlog (a capped list) and publishing happen in one Lua script, so ids are in order
  across processes. Each process holds one pub/sub connection for all its streams.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

RESET = "reset"  # the client missed more than the backlog holds: it should fetch afresh


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


@dataclass(frozen=True)
class Event:
    id: int
    kind: str
    data: dict[str, Any]
    at: float = 0.0

    @cached_property
    def encoded(self) -> bytes:
        """The event in the text/event-stream format, encoded once for all its subscribers."""
        return self.encode()

    def encode(self) -> bytes:
        """The event in the text/event-stream format."""
        data = json.dumps(self.data, separators=(",", ":"), ensure_ascii=False)
        id_line = f"id: {self.id}\n" if self.id or self.kind == RESET else ""
        return f"{id_line}event: {self.kind}\ndata: {data}\n\n".encode()


class BrokerUnavailable(Exception):
    """The broker cannot take subscribers now (Redis is down): clients should poll."""


class SlowConsumer(Exception):
    """A subscriber fell more than its queue behind; its stream is closed (the client reconnects)."""


class Mailbox:
    """A bounded queue with one consumer, used from its event loop's thread only: a deque and at most
    one waiting future. (An asyncio.Queue keeps three deques, and `wait_for` adds a task to every
    wait: thousands of open streams each keep one of these waiting.)"""

    __slots__ = ("items", "maxsize", "waiter")

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self.items: deque[Event | None] = deque()
        self.waiter: asyncio.Future[None] | None = None

    def qsize(self) -> int:
        return len(self.items)

    def put_nowait(self, item: Event | None) -> None:
        if self.maxsize > 0 and len(self.items) >= self.maxsize:
            raise asyncio.QueueFull
        self.items.append(item)
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    def get_nowait(self) -> Event | None:
        if not self.items:
            raise asyncio.QueueEmpty
        return self.items.popleft()

    async def get(self, timeout: float) -> Event | None:
        """The next item; TimeoutError after `timeout` seconds without one."""
        if not self.items:
            loop = asyncio.get_running_loop()
            waiter = self.waiter = loop.create_future()
            timer = loop.call_later(timeout, _wake, waiter)
            try:
                await waiter
            finally:
                timer.cancel()
                self.waiter = None
            if not self.items:
                raise TimeoutError
        return self.items.popleft()


def _wake(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


@dataclass(eq=False)
class Subscription:
    """One stream's view of a channel: replayed events first, then live ones, each id once."""

    channel: str
    queue: Mailbox
    loop: asyncio.AbstractEventLoop
    on_close: Callable[[Subscription], None]
    last_id: int = 0
    overflowed: bool = False
    closed: bool = False
    replay: list[Event] = field(default_factory=list)

    def offer(self, event: Event) -> None:
        """From the loop's thread: queue `event`, or mark this subscriber too slow."""
        if self.closed or self.overflowed:
            return
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            self.overflowed = True
            self.queue.get_nowait()  # room for the wake-up below
            self.queue.put_nowait(None)

    def end(self) -> None:
        """From the loop's thread: the broker lost its source; end the stream so the client reconnects."""
        if not self.closed:
            try:
                self.queue.put_nowait(None)
            except asyncio.QueueFull:
                self.overflowed = True

    async def next(self, timeout: float) -> Event | None:
        """The next event; None after `timeout` seconds without one. Raises SlowConsumer when this
        subscriber fell too far behind, BrokerUnavailable when the broker lost its connection."""
        while True:
            if self.replay:
                event = self.replay.pop(0)
            else:
                try:
                    got = await self.queue.get(timeout)
                except TimeoutError:
                    return None
                if got is None:
                    if self.overflowed:
                        raise SlowConsumer(self.channel)
                    raise BrokerUnavailable(self.channel)
                event = got
            if event.kind == RESET or event.id > self.last_id:
                self.last_id = event.id
                return event

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.on_close(self)


def _replay(backlog: list[Event], last_id: int, newest_id: int, now: float) -> list[Event]:
    """What a client that saw `last_id` missed, from a backlog in id order; a reset when it is gone."""
    if last_id <= 0 or last_id == newest_id:
        return []
    fresh = [event for event in backlog if event.at >= now - _setting("LIVE_BACKLOG_SECONDS", 600)]
    if last_id > newest_id or not fresh or fresh[0].id > last_id + 1:
        # Carries the newest id: the client refetches, and its reconnects resume from there.
        return [Event(newest_id, RESET, {"newest": newest_id})]
    return [event for event in fresh if event.id > last_id]


class _Fanout:
    """Subscribers of this process by channel, each queue owned by its event loop."""

    def __init__(self) -> None:
        self.subscribers: dict[str, set[Subscription]] = {}
        self.lock = threading.Lock()

    def add(self, subscription: Subscription) -> bool:
        """Returns whether the channel had no subscriber here before."""
        with self.lock:
            group = self.subscribers.setdefault(subscription.channel, set())
            first = not group
            group.add(subscription)
            return first

    def remove(self, subscription: Subscription) -> bool:
        """Returns whether the channel has no subscriber here any more."""
        with self.lock:
            group = self.subscribers.get(subscription.channel, set())
            group.discard(subscription)
            if not group:
                self.subscribers.pop(subscription.channel, None)
                return True
            return False

    def deliver(self, channel: str, event: Event) -> None:
        """From any thread."""
        with self.lock:
            group = list(self.subscribers.get(channel, ()))
        for subscription in group:
            try:
                subscription.loop.call_soon_threadsafe(subscription.offer, event)
            except RuntimeError:  # its loop has closed
                subscription.closed = True

    def end_all(self) -> None:
        with self.lock:
            everyone = [sub for group in self.subscribers.values() for sub in group]
        for subscription in everyone:
            try:
                subscription.loop.call_soon_threadsafe(subscription.end)
            except RuntimeError:
                subscription.closed = True

    def count(self) -> int:
        with self.lock:
            return sum(len(group) for group in self.subscribers.values())


def _queue_size() -> int:
    return int(_setting("LIVE_SUBSCRIBER_QUEUE", 100))


class InProcessBroker:
    """Fan-out within one process: the backlog and the numbering live in memory."""

    def __init__(self) -> None:
        self.fanout = _Fanout()
        self.lock = threading.Lock()
        self.backlogs: dict[str, deque[Event]] = {}
        self.newest: dict[str, int] = {}

    def publish(self, channel: str, kind: str, data: dict[str, Any]) -> int:
        with self.lock:
            number = self.newest.get(channel, 0) + 1
            self.newest[channel] = number
            event = Event(number, kind, data, time.time())
            backlog = self.backlogs.setdefault(
                channel, deque(maxlen=int(_setting("LIVE_BACKLOG_EVENTS", 500)))
            )
            backlog.append(event)
        self.fanout.deliver(channel, event)
        return number

    def publish_many(self, events: list[tuple[str, str, dict[str, Any]]]) -> list[int]:
        return [self.publish(channel, kind, data) for channel, kind, data in events]

    async def subscribe(self, channel: str, last_id: int = 0) -> Subscription:
        subscription = Subscription(
            channel,
            Mailbox(_queue_size()),
            asyncio.get_running_loop(),
            self._closed,
            last_id=max(0, last_id),
        )
        self.fanout.add(subscription)
        with self.lock:
            backlog = list(self.backlogs.get(channel, ()))
            newest = self.newest.get(channel, 0)
        subscription.replay = _replay(backlog, last_id, newest, time.time())
        return subscription

    def _closed(self, subscription: Subscription) -> None:
        self.fanout.remove(subscription)

    def recent(self, channel: str) -> list[Event]:
        """The channel's backlog, oldest first."""
        with self.lock:
            return list(self.backlogs.get(channel, ()))

    def open_streams(self) -> int:
        return self.fanout.count()


# Numbers the event, keeps it in the capped backlog and publishes it, atomically (so ids go out in
# order whichever process publishes). KEYS: sequence, backlog; ARGV: channel, kind, data, now,
# backlog length, seconds kept.
_PUBLISH = """
local id = redis.call('INCR', KEYS[1])
local payload = id .. '\\n' .. ARGV[4] .. '\\n' .. ARGV[2] .. '\\n' .. ARGV[3]
redis.call('LPUSH', KEYS[2], payload)
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[5]) - 1)
redis.call('EXPIRE', KEYS[2], ARGV[6])
redis.call('EXPIRE', KEYS[1], 86400 * 30)
redis.call('PUBLISH', ARGV[1], payload)
return id
"""


def _decode(payload: bytes | str) -> Event:
    text = payload.decode() if isinstance(payload, bytes) else payload
    number, at, kind, data = text.split("\n", 3)
    return Event(int(number), kind, json.loads(data), float(at))


@dataclass(eq=False)
class _LoopListener:
    """One pub/sub connection per event loop, shared by all its subscribers."""

    client: Any
    pubsub: Any
    task: asyncio.Task[None] | None = None
    channels: set[str] = field(default_factory=set)
    failed: bool = False


class RedisBroker:
    """Fan-out across processes and hosts through Redis pub/sub (one Redis channel per event channel)."""

    def __init__(self, url: str, prefix: str = "masthead:live:") -> None:
        import redis

        self.url = url
        self.prefix = prefix
        self.timeout = float(_setting("LIVE_REDIS_TIMEOUT", 2.0))
        self.sync = redis.Redis.from_url(
            url, socket_timeout=self.timeout, socket_connect_timeout=self.timeout
        )
        self.script_sha = ""  # loaded on the first publish (_run_publish)
        # Pub/sub channels belong to the whole Redis server, not to a database number: sites (or
        # test runs) sharing a server on different databases would hear each other's events.
        database = self.sync.connection_pool.connection_kwargs.get("db", 0)
        self.channel_prefix = f"{prefix}db{database}:"
        self.down_until = 0.0
        self.fanout = _Fanout()
        self.listeners: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopListener] = (
            weakref.WeakKeyDictionary()
        )
        self._loop_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    def _keys(self, channel: str) -> tuple[str, str, str]:
        """The pub/sub channel, and the keys of the sequence and the backlog."""
        base = self.prefix + channel
        return self.channel_prefix + channel, base + ":seq", base + ":log"

    def _check_up(self) -> None:
        """After a failure, refuse at once for a few seconds rather than wait on every call."""
        if time.monotonic() < self.down_until:
            raise BrokerUnavailable("Redis was unreachable moments ago")

    def _went_down(self) -> None:
        self.down_until = time.monotonic() + float(_setting("LIVE_REDIS_PAUSE_SECONDS", 5))

    def publish(self, channel: str, kind: str, data: dict[str, Any]) -> int:
        return self.publish_many([(channel, kind, data)])[0]

    def publish_many(self, events: list[tuple[str, str, dict[str, Any]]]) -> list[int]:
        """One round trip for all of a transaction's events."""
        self._check_up()
        keep = int(_setting("LIVE_BACKLOG_SECONDS", 600)) + 60
        length = int(_setting("LIVE_BACKLOG_EVENTS", 500))
        from redis.exceptions import NoScriptError

        calls = []
        for channel, kind, data in events:
            name, sequence, log = self._keys(channel)
            data_text = json.dumps(data, separators=(",", ":"))
            calls.append((sequence, log, name, kind, data_text, repr(time.time()), length, keep))
        try:
            try:
                return self._run_publish(calls)
            except NoScriptError:  # Redis restarted or its scripts were flushed: load it again
                self.script_sha = ""
                return self._run_publish(calls)
        except Exception:
            self._went_down()
            raise

    def _run_publish(self, calls: list[tuple[Any, ...]]) -> list[int]:
        # EVALSHA in a plain pipeline: one round trip. (redis-py's Script objects in a pipeline ask
        # SCRIPT EXISTS first, a second round trip on every post.)
        if not self.script_sha:
            self.script_sha = str(self.sync.script_load(_PUBLISH))
        pipe = self.sync.pipeline(transaction=False)
        for sequence, log, *args in calls:
            pipe.evalsha(self.script_sha, 2, sequence, log, *args)
        return [int(number) for number in pipe.execute()]

    def _lock(self, loop: asyncio.AbstractEventLoop) -> asyncio.Lock:
        lock = self._loop_locks.get(loop)
        if lock is None:
            lock = self._loop_locks[loop] = asyncio.Lock()
        return lock

    async def _listener(self, loop: asyncio.AbstractEventLoop) -> _LoopListener:
        listener = self.listeners.get(loop)
        if listener is not None and not listener.failed:
            return listener
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(
            self.url, socket_timeout=None, socket_connect_timeout=self.timeout
        )
        listener = _LoopListener(client, client.pubsub(ignore_subscribe_messages=True))
        self.listeners[loop] = listener
        return listener

    async def _listen(self, listener: _LoopListener) -> None:
        try:
            while True:
                if not listener.channels:
                    return  # the next subscribe starts a new listener
                message = await listener.pubsub.get_message(timeout=1.0)
                if message is None or message.get("type") != "message":
                    continue
                channel = message["channel"]
                channel = channel.decode() if isinstance(channel, bytes) else channel
                event = _decode(message["data"])
                for subscription in list(
                    self.fanout.subscribers.get(channel.removeprefix(self.channel_prefix), ())
                ):
                    subscription.offer(event)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.warning("live events: lost the Redis pub/sub connection", exc_info=True)
            listener.failed = True
            for group in list(self.fanout.subscribers.values()):
                for subscription in list(group):
                    if subscription.loop is asyncio.get_running_loop():
                        subscription.end()
            await _close_quietly(listener)

    async def subscribe(self, channel: str, last_id: int = 0) -> Subscription:
        loop = asyncio.get_running_loop()
        name, sequence, log = self._keys(channel)
        subscription = Subscription(
            channel, Mailbox(_queue_size()), loop, self._closed, last_id=max(0, last_id)
        )
        try:
            self._check_up()
            async with self._lock(loop):
                listener = await self._listener(loop)
                if channel not in listener.channels:
                    await asyncio.wait_for(listener.pubsub.subscribe(name), self.timeout)
                    listener.channels.add(channel)
                if listener.task is None or listener.task.done():
                    listener.task = loop.create_task(self._listen(listener))
            self.fanout.add(subscription)
            if last_id > 0:
                async with listener.client.pipeline(transaction=False) as pipe:
                    pipe.get(sequence)
                    pipe.lrange(log, 0, -1)
                    newest, raw = await asyncio.wait_for(pipe.execute(), self.timeout)
                backlog = sorted((_decode(item) for item in raw), key=lambda event: event.id)
                subscription.replay = _replay(backlog, last_id, int(newest or 0), time.time())
        except Exception as exc:
            subscription.close()
            failed = self.listeners.get(loop)
            if failed is not None:
                failed.failed = True
            if not isinstance(exc, BrokerUnavailable):
                self._went_down()
            raise BrokerUnavailable(str(exc)) from exc
        return subscription

    def _closed(self, subscription: Subscription) -> None:
        if self.fanout.remove(subscription):
            listener = self.listeners.get(subscription.loop)
            if listener is not None and subscription.channel in listener.channels:
                listener.channels.discard(subscription.channel)
                with contextlib.suppress(RuntimeError):
                    subscription.loop.create_task(
                        self._unsubscribe(listener, subscription.channel, subscription.loop)
                    )

    async def _unsubscribe(
        self, listener: _LoopListener, channel: str, loop: asyncio.AbstractEventLoop
    ) -> None:
        # Under the lock subscribe holds: a stream that followed the channel again meanwhile keeps it.
        async with self._lock(loop):
            if channel in listener.channels or listener.failed:
                return
            try:
                await listener.pubsub.unsubscribe(self._keys(channel)[0])
            except Exception:
                logger.debug("live events: unsubscribe failed", exc_info=True)

    def open_streams(self) -> int:
        return self.fanout.count()


async def _close_quietly(listener: _LoopListener) -> None:
    try:
        await listener.pubsub.aclose()
        await listener.client.aclose()
    except Exception:
        logger.debug("live events: closing the Redis connection failed", exc_info=True)


@dataclass(eq=False)
class _Poller:
    """What one event loop's poller of the shared cache has delivered, per channel."""

    known: dict[str, int] = field(default_factory=dict)
    missing: dict[tuple[str, int], int] = field(default_factory=dict)
    task: asyncio.Task[None] | None = None


class CacheBroker:
    """Across the processes of one machine without Redis: through the cache they share (diskcache in
    the data directory, `core/disk_cache.py`). An event is numbered with the cache's atomic `incr`
    and kept under its own key for the backlog's lifetime (with diskcache, in its event store: one
    transaction per publishing transaction); each event loop polls the channels its
    streams follow every LIVE_CACHE_POLL_SECONDS (one read of their counters) and delivers in order."""

    def __init__(self, alias: str = "default") -> None:
        self.alias = alias
        self.fanout = _Fanout()
        self.pollers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Poller] = (
            weakref.WeakKeyDictionary()
        )

    def _cache(self) -> Any:
        from django.core.cache import caches

        return caches[self.alias]

    @staticmethod
    def _sequence_key(channel: str) -> str:
        return f"live:{channel}:seq"

    @staticmethod
    def _event_key(channel: str, number: int) -> str:
        return f"live:{channel}:{number}"

    def publish(self, channel: str, kind: str, data: dict[str, Any]) -> int:
        return self.publish_many([(channel, kind, data)])[0]

    def _disk_store(self) -> Any:
        """The disk cache's own store for events (`core/disk_cache.live_store`), or None for
        another cache (then its `incr` and `set_many`)."""
        from masthead.core.disk_cache import DiskCache, live_store

        cache = self._cache()
        return live_store(cache) if isinstance(cache, DiskCache) else None

    def publish_many(self, events: list[tuple[str, str, dict[str, Any]]]) -> list[int]:
        """A transaction's events: numbered per channel, stored under their numbers; with the disk
        cache, in one transaction of its event store."""
        per_channel: dict[str, int] = {}
        for channel, _kind, _data in events:
            per_channel[channel] = per_channel.get(channel, 0) + 1
        timeout = int(_setting("LIVE_BACKLOG_SECONDS", 600)) + 60
        now = time.time()
        store = self._disk_store()
        if store is not None:
            with store.transact(retry=True):
                last = {
                    channel: int(store.incr(self._sequence_key(channel), count, default=0))
                    for channel, count in per_channel.items()
                }
                stored, numbers = self._numbered(events, per_channel, last, now)
                for key, value in stored.items():
                    store.set(key, value, expire=timeout)
            return numbers
        cache = self._cache()
        last = {}
        for channel, count in per_channel.items():
            key = self._sequence_key(channel)
            try:
                last[channel] = int(cache.incr(key, count))
            except ValueError:  # the channel's first event
                cache.add(key, 0, timeout=None)
                last[channel] = int(cache.incr(key, count))
        stored, numbers = self._numbered(events, per_channel, last, now)
        cache.set_many(stored, timeout=timeout)
        return numbers

    def _numbered(
        self,
        events: list[tuple[str, str, dict[str, Any]]],
        per_channel: dict[str, int],
        last: dict[str, int],
        now: float,
    ) -> tuple[dict[str, tuple[float, str, dict[str, Any]]], list[int]]:
        next_number = {channel: last[channel] - per_channel[channel] + 1 for channel in last}
        stored, numbers = {}, []
        for channel, kind, data in events:
            number = next_number[channel]
            next_number[channel] += 1
            stored[self._event_key(channel, number)] = (now, kind, data)
            numbers.append(number)
        return stored, numbers

    def _get_many(self, keys: list[str]) -> dict[str, Any]:
        store = self._disk_store()
        if store is None:
            return dict(self._cache().get_many(keys))
        found = {}
        for key in keys:
            value = store.get(key, retry=True)
            if value is not None:
                found[key] = value
        return found

    def _events(self, channel: str, first: int, last: int) -> dict[int, Event]:
        found = self._get_many([self._event_key(channel, n) for n in range(first, last + 1)])
        events = {}
        for n in range(first, last + 1):
            item = found.get(self._event_key(channel, n))
            if item is not None:
                at, kind, data = item
                events[n] = Event(n, kind, data, at)
        return events

    def _newest(self, channels: list[str]) -> dict[str, int]:
        keys = {self._sequence_key(channel): channel for channel in channels}
        found = self._get_many(list(keys))
        return {channel: int(found.get(key) or 0) for key, channel in keys.items()}

    async def subscribe(self, channel: str, last_id: int = 0) -> Subscription:
        loop = asyncio.get_running_loop()
        subscription = Subscription(
            channel, Mailbox(_queue_size()), loop, self._closed, last_id=max(0, last_id)
        )
        try:
            newest = (await loop.run_in_executor(None, self._newest, [channel]))[channel]
            poller = self.pollers.get(loop)
            if poller is None:
                poller = self.pollers[loop] = _Poller()
            known = poller.known.setdefault(channel, newest)
            self.fanout.add(subscription)
            if poller.task is None or poller.task.done():
                poller.task = loop.create_task(self._poll(poller, loop))
            if 0 < last_id < known:
                # What the poller already passed: from the stored events (the poller brings the rest).
                found: dict[int, Event] = {}
                if known - last_id <= int(_setting("LIVE_BACKLOG_EVENTS", 500)):
                    found = await loop.run_in_executor(
                        None, self._events, channel, last_id + 1, known
                    )
                backlog = [found[n] for n in sorted(found)]
                subscription.replay = _replay(backlog, last_id, known, time.time())
            elif last_id > max(known, newest):
                subscription.replay = _replay([], last_id, newest, time.time())  # a reset
        except Exception as exc:
            subscription.close()
            raise BrokerUnavailable(str(exc)) from exc
        return subscription

    async def _poll(self, poller: _Poller, loop: asyncio.AbstractEventLoop) -> None:
        interval = float(_setting("LIVE_CACHE_POLL_SECONDS", 0.2))
        while True:
            await asyncio.sleep(interval)
            with self.fanout.lock:
                followed = {
                    channel: [sub for sub in group if sub.loop is loop]
                    for channel, group in self.fanout.subscribers.items()
                }
            followed = {channel: subs for channel, subs in followed.items() if subs}
            for channel in list(poller.known):
                if channel not in followed:
                    del poller.known[channel]
            if not followed:
                poller.task = None
                return
            try:
                await loop.run_in_executor(None, self._deliver_new, poller, followed, loop)
            except Exception:
                logger.warning("live events: reading the shared cache failed", exc_info=True)

    def _deliver_new(
        self,
        poller: _Poller,
        followed: dict[str, list[Subscription]],
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        """On an executor thread: read what is new and hand it to the loop, in order."""
        for channel, newest in self._newest(list(followed)).items():
            known = poller.known.get(channel, newest)
            if newest <= known:
                continue
            out: list[Event] = []
            if newest - known > int(_setting("LIVE_BACKLOG_EVENTS", 500)):
                out.append(Event(newest, RESET, {"newest": newest}))
                known = newest
            else:
                found = self._events(channel, known + 1, newest)
                for n in range(known + 1, newest + 1):
                    if n not in found:
                        # Numbered but not stored yet (its publisher is between incr and set):
                        # wait a few polls, then go on without it.
                        tries = poller.missing.get((channel, n), 0)
                        if tries < 5:
                            poller.missing[(channel, n)] = tries + 1
                            break
                        poller.missing.pop((channel, n), None)
                        known = n
                        continue
                    poller.missing.pop((channel, n), None)
                    out.append(found[n])
                    known = n
            poller.known[channel] = known
            for event in out:
                for subscription in followed[channel]:
                    loop.call_soon_threadsafe(subscription.offer, event)

    def _closed(self, subscription: Subscription) -> None:
        self.fanout.remove(subscription)

    def open_streams(self) -> int:
        return self.fanout.count()


Broker = InProcessBroker | RedisBroker | CacheBroker


@cache
def _broker_for(url: str, kind: str) -> Broker:
    if url:
        return RedisBroker(url)
    return CacheBroker() if kind == "cache" else InProcessBroker()


def broker() -> Broker:
    """This process's broker: Redis when LIVE_REDIS_URL (default REDIS_URL) is set; else the shared
    cache when the cache is shared by the machine's processes (LIVE_BROKER "cache", the default
    without Redis: `masthead run` starts several web workers); else in-process ("memory")."""
    kind = _setting("LIVE_BROKER", "") or ""
    if not kind:
        backend = settings.CACHES.get("default", {}).get("BACKEND", "")
        kind = "cache" if backend.endswith("disk_cache.DiskCache") else "memory"
    return _broker_for(_setting("LIVE_REDIS_URL", "") or "", kind)


def publish_now(channel: str, kind: str, data: dict[str, Any]) -> int | None:
    """Publish immediately (outside a transaction, or from on-commit work); returns the event id, or
    None when the broker failed (logged, never raised: the database is the record)."""
    numbers = _publish_batch([(channel, kind, data)])
    return numbers[0] if numbers else None


def _publish_batch(events: list[tuple[str, str, dict[str, Any]]]) -> list[int]:
    if not events:
        return []
    try:
        return broker().publish_many(events)
    except BrokerUnavailable as exc:
        logger.debug("live events: not published (%s)", exc)
    except Exception:
        kinds = ", ".join(f"{kind} on {channel}" for channel, kind, _ in events)
        logger.warning("live events: could not publish %s", kinds, exc_info=True)
    return []


@dataclass(eq=False)
class _Batch:
    """The events one transaction registers, published together after it commits."""

    items: list[tuple[str, str, Callable[[], dict[str, Any] | None]]] = field(default_factory=list)

    def flush(self) -> None:
        events = []
        for channel, kind, make_data in self.items:
            try:
                data = make_data()
            except Exception:
                logger.warning(
                    "live events: could not build %s on %s", kind, channel, exc_info=True
                )
                continue
            if data is not None:
                events.append((channel, kind, data))
        _publish_batch(events)


MakeData = Callable[[], dict[str, Any] | None]


def publish_on_commit(*events: tuple[str, str, MakeData]) -> None:
    """Publish `(channel, kind, make_data)` events after the current transaction commits (at once
    outside one), together in one broker call. Each `make_data` runs then, so it sees the committed
    rows; one returning None publishes nothing."""
    transaction.on_commit(_Batch(items=list(events)).flush, robust=True)
