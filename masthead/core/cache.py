"""The cache used with REDIS_URL: Django's Redis backend with one connection pool per process.

Django keeps its cache objects in an asgiref `Local` that is not thread-critical, so under the ASGI
server every request (every asyncio task, with its own context) gets a new `RedisCache`, and with it a
new `RedisCacheClient`, a new connection pool and a new TCP connection to Redis, with redis-py's
connect-time handshake, for each request. On a cached page that was most of the work: a page answered
from two small Redis reads cost ~1.5 ms of CPU in the web worker, four times the same answer from the
file cache on SQLite (bench/RESULTS.md, "Scaled configuration").

Here every cache object of a process with the same location and options shares one client, so its
pool keeps the connections between requests; redis-py's pool is thread-safe and opens a new set of
connections in a forked child by itself. `core/disk_cache.py` does the same for the file cache.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.utils.functional import cached_property

from masthead.core.sockets import has_input

if TYPE_CHECKING:
    from masthead.core.disk_cache import DiskVersionWatch

_clients: dict[tuple[tuple[str, ...], str], RedisCacheClient] = {}
_creating = threading.Lock()


def shared_client(servers: list[str], options: dict[str, Any]) -> RedisCacheClient:
    """This process's client (and connection pool) for `servers` with `options`."""
    key = (tuple(servers), repr(sorted(options.items())))
    with _creating:
        client = _clients.get(key)
        if client is None:
            client = _clients[key] = RedisCacheClient(servers, **options)
        return client


class RedisCache(DjangoRedisCache):  # type: ignore[misc]  # Django's backends are untyped
    @cached_property
    def _cache(self) -> RedisCacheClient:
        return shared_client(self._servers, self._options)  # type: ignore[attr-defined]


class LocalCopies:
    """Values kept in this process as well as in the shared cache, for at most `seconds`, the least
    recently used going first beyond `capacity` (each value's weight is given when it is put).

    A copy is only ever served after checking it against the shared cache's version counters
    (`core/cache_versions.py`), so a bump made by any process on any host makes it stale at once; the
    copy saves moving and unpickling the value itself (a 1,000-comment thread's JSON is ~0.5 MB). The
    time limit bounds how long a copy could outlive a version counter the shared cache lost.
    """

    def __init__(self, capacity: int, seconds: float = 60) -> None:
        self.capacity = capacity
        self.seconds = seconds
        self._entries: OrderedDict[str, tuple[float, int, Any]] = OrderedDict()
        self._weight = 0
        self._lock = threading.Lock()
        _all_local_copies.append(self)

    def get(self, key: str) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry[2]

    def put(self, key: str, value: Any, weight: int = 1, seconds: float | None = None) -> None:
        if weight > self.capacity:
            return
        lifetime = self.seconds if seconds is None else min(seconds, self.seconds)
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (time.monotonic() + lifetime, weight, value)
            self._weight += weight
            while self._weight > self.capacity:
                self._drop(next(iter(self._entries)))

    def discard(self, key: str) -> None:
        with self._lock:
            if key in self._entries:
                self._drop(key)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._weight = 0

    def _drop(self, key: str) -> None:
        self._weight -= self._entries.pop(key)[1]


_all_local_copies: list[LocalCopies] = []


def clear_local_copies() -> None:
    """Forget every process-local copy (tests empty the shared cache between them)."""
    for copies in _all_local_copies:
        copies.clear()
    for watch in list(_watches.values()):
        watch.forget()


class VersionWatch:
    """This process's copies of the version counters (`core/cache_versions.py`) kept in Redis, each
    dropped as soon as any process anywhere bumps it.

    Every bump is written together with a message on the cache's bump channel (`publish_bump`: SET
    and PUBLISH in one MULTI, so no reader sees the new value before the message is sent). This
    process keeps one subscription to that channel and, before answering from its copies, takes
    whatever messages have arrived (a poll of the subscription's socket, no round trip). A bump made
    on another host has therefore reached this process's socket before that host's commit has been
    answered, let alone before the reader's next request arrives here: the page is served fresh.

    Without the subscription (Redis unreachable, or the connection lost) the copies are dropped and
    every read goes to Redis, as before; subscribing again retries after a second. Copies live at
    most `seconds`, a bound for a counter lost from Redis some other way (a flush, an eviction).
    """

    def __init__(self, cache: DjangoRedisCache, seconds: float = 30) -> None:
        self.cache = cache
        self.channel = bump_channel(cache)
        self.seconds = seconds
        self._values: dict[str, tuple[float, int]] = {}
        self._epoch = 0  # counts the drops: a read that raced with one is not kept
        self._pubsub: Any = None
        self._retry_at = 0.0
        self._pid = os.getpid()
        self._lock = threading.Lock()

    def versions(self, keys: list[str]) -> list[int]:
        with self._lock:
            watching = self._take_messages()
            now = time.monotonic()
            found = {
                key: entry[1]
                for key in keys
                if (entry := self._values.get(key)) is not None and entry[0] > now
            }
            epoch = self._epoch
        missing = [key for key in keys if key not in found]
        if missing:
            fetched = self.cache.get_many(missing)
            with self._lock:
                keep = self._take_messages() and watching and self._epoch == epoch
                for key in missing:
                    found[key] = int(fetched.get(key, 0))
                    if keep:
                        self._values[key] = (now + self.seconds, found[key])
        return [found[key] for key in keys]

    def bump(self, key: str, value: int, timeout: int) -> None:
        """Set `key` to `value` and tell every process (this one at once)."""
        client = self.cache._cache.get_client(write=True)
        with client.pipeline(transaction=True) as pipeline:
            pipeline.set(self.cache.make_and_validate_key(key), value, ex=timeout)
            pipeline.publish(self.channel, key)
            pipeline.execute()
        with self._lock:
            self._values.pop(key, None)
            self._epoch += 1

    def forget(self) -> None:
        with self._lock:
            self._drop_all()

    def _drop_all(self) -> None:
        self._values.clear()
        self._epoch += 1

    def _take_messages(self) -> bool:
        """Apply the bumps that have arrived; False when not subscribed (copies are not to be used)."""
        if self._pid != os.getpid():
            # A forked child (an RQ work horse) must not read the parent's subscription socket: each
            # message would reach only one of them. It subscribes on its own.
            self._pid, self._pubsub = os.getpid(), None
            self._drop_all()
        if self._pubsub is None and not self._subscribe():
            return False
        if self._quiet():
            return True
        try:
            while (message := self._pubsub.get_message(timeout=0.0)) is not None:
                if message.get("type") == "message":
                    data = message["data"]
                    self._values.pop(data.decode() if isinstance(data, bytes) else str(data), None)
                    self._epoch += 1
        except Exception:  # the subscription is gone: read from Redis until it is back
            self._unsubscribed()
            return False
        return True

    def _quiet(self) -> bool:
        """Nothing has arrived since the last look: the subscription's socket has nothing to read.
        `_take_messages` reads until redis-py has no whole message left, so its buffer is empty
        then and the socket tells. Measured in process: a cached version read 11 -> 7 µs against
        redis-py's own look (a post makes ten)."""
        try:
            return not has_input(self._pubsub.connection._sock.fileno())
        except (AttributeError, OSError, ValueError):  # no socket: let redis-py find out
            return False

    def _subscribe(self) -> bool:
        if time.monotonic() < self._retry_at:
            return False
        pubsub = None
        try:
            pubsub = self.cache._cache.get_client().pubsub()
            pubsub.subscribe(self.channel)
            # Wait for Redis to confirm: only then are later bumps sure to be sent here.
            deadline = time.monotonic() + 1.0
            while time.monotonic() < deadline:
                message = pubsub.get_message(timeout=0.1)
                if message is not None and message.get("type") == "subscribe":
                    self._pubsub = pubsub
                    self._drop_all()  # bumps made while unsubscribed were never heard
                    return True
        except Exception:  # noqa: S110 - Redis down: counted as not subscribed, retried later
            pass
        if pubsub is not None:
            with contextlib.suppress(Exception):
                pubsub.close()
        self._unsubscribed()
        return False

    def _unsubscribed(self) -> None:
        if self._pubsub is not None:
            with contextlib.suppress(Exception):
                self._pubsub.close()
        self._pubsub = None
        self._retry_at = time.monotonic() + 1.0
        self._drop_all()


_watches: dict[str, VersionWatch] = {}


def bump_channel(cache: Any) -> str:
    """The channel `cache`'s bumps are announced on. Pub/sub channels belong to the whole Redis
    server, not to a database number: sites (or test runs) sharing a server on different databases
    would otherwise drop each other's copies."""
    path = urlsplit(cache._servers[0]).path.strip("/")  # redis://host:port/DB
    return str(cache.make_key(f"versions:bumped:db{path or '0'}"))


def version_watch(cache: Any) -> VersionWatch | DiskVersionWatch | None:
    """The watch for `cache` when it is Masthead's Redis cache (one per channel per process) or its
    disk cache (`core/disk_cache.py`: counters shared in memory); else None."""
    from masthead.core.disk_cache import DiskCache, disk_version_watch

    if isinstance(cache, DiskCache):
        return disk_version_watch(cache)
    if not isinstance(cache, RedisCache):
        return None
    channel = bump_channel(cache)
    location = repr(cache._servers)  # type: ignore[attr-defined]
    with _creating:
        watch = _watches.get(location + channel)
        if watch is None:
            watch = _watches[location + channel] = VersionWatch(cache)
        return watch
