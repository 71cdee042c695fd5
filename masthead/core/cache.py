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

import threading
import time
from collections import OrderedDict
from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.utils.functional import cached_property

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

    def put(self, key: str, value: Any, weight: int = 1) -> None:
        if weight > self.capacity:
            return
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (time.monotonic() + self.seconds, weight, value)
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
