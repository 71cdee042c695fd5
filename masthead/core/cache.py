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
