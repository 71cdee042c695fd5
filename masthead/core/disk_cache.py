"""The cache used without Redis: diskcache's Django backend in the data directory, shared by every
process of `masthead run` (web workers, task worker, clock).

diskcache keeps entries in SQLite files (values over 32 KB in files of their own): a write is a small
transaction instead of a file created and renamed, and `add`/`incr` are atomic across processes, so
rate limits count exactly across workers. Size is bounded by `size_limit` (least recently stored
entries go first).
"""

from __future__ import annotations

import threading
from typing import Any

from diskcache import DjangoCache, FanoutCache
from django.core.cache.backends.base import BaseCache

_opened: dict[tuple[str, int, float, tuple[tuple[str, Any], ...]], FanoutCache] = {}
_opening = threading.Lock()


def _fanout(directory: str, shards: int, timeout: float, options: dict[str, Any]) -> FanoutCache:
    key = (directory, shards, timeout, tuple(sorted(options.items())))
    with _opening:
        if key not in _opened:
            _opened[key] = FanoutCache(directory, shards, timeout, **options)
        return _opened[key]


class DiskCache(DjangoCache):  # type: ignore[misc]  # diskcache ships no type hints
    def __init__(self, directory: str, params: dict[str, Any]) -> None:
        # Django makes a cache object per request context (under ASGI, per request); opening
        # diskcache's shards runs their set-up statements, so the process opens them once. Each
        # thread still gets its own SQLite connections (diskcache keeps them thread-local).
        BaseCache.__init__(self, params)
        self._cache = _fanout(
            directory,
            params.get("SHARDS", 8),
            params.get("DATABASE_TIMEOUT", 0.010),
            params.get("OPTIONS", {}),
        )

    def close(self, **kwargs: Any) -> None:
        """Keep the connections between requests: Django closes every cache when a request
        finishes, and diskcache's close drops them, to be opened again by the next request."""
