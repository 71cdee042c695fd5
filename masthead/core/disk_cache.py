"""The cache used without Redis: diskcache's Django backend in the data directory, shared by every
process of `masthead run` (web workers, task worker, clock).

diskcache keeps entries in SQLite files (values over 32 KB in files of their own): a write is a small
transaction instead of a file created and renamed, and `add`/`incr` are atomic across processes, so
rate limits count exactly across workers. Size is bounded by `size_limit` (least recently stored
entries go first).

Version counters (core/cache_versions.py) are read several times by every request, and a read from
diskcache costs ~50 µs of Python and SQLite. `DiskVersionWatch` keeps this process's copies of them,
checked against a table of change counters the machine's processes share in memory (a small file in
the cache's directory, mapped by each): reading a counter is a memory read, and a bump anywhere on the
machine advances it before `bump_now` returns. It is what `VersionWatch` does with Redis pub/sub.
"""

from __future__ import annotations

import contextlib
import fcntl
import mmap
import os
import struct
import threading
import time
import zlib
from pathlib import Path
from typing import Any

from diskcache import Cache, DjangoCache, FanoutCache
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

    def clear(self, **kwargs: Any) -> Any:
        cleared = super().clear(**kwargs)
        watch = disk_version_watch(self)
        if watch is not None:
            watch.generations.advance_all()  # every process's copies of version counters go
        return cleared


# Change counters; keys whose hashes share one cost each other a needless re-read, no more.
SLOTS = 4096
_COUNTER = struct.Struct("<Q")


class SharedGenerations:
    """Change counters in a file every process of the machine maps: slot 0 counts whole-cache
    clears, the others count the bumps of the keys that hash to them. A counter only grows.

    Increments hold an exclusive lock on their 8 bytes of the file (and a thread lock: POSIX record
    locks do not exclude threads of one process), so two processes bumping at once both count.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        if os.fstat(self._fd).st_size < SLOTS * _COUNTER.size:
            os.ftruncate(self._fd, SLOTS * _COUNTER.size)  # zero-filled; growing is idempotent
        self._map = mmap.mmap(self._fd, SLOTS * _COUNTER.size, mmap.MAP_SHARED)
        self._lock = threading.Lock()

    @staticmethod
    def slot(key: str) -> int:
        return 1 + zlib.crc32(key.encode()) % (SLOTS - 1)

    def read(self, slot: int) -> tuple[int, int]:
        """(clears, bumps of `slot`)."""
        return (
            _COUNTER.unpack_from(self._map, 0)[0],
            _COUNTER.unpack_from(self._map, slot * _COUNTER.size)[0],
        )

    def advance(self, slot: int) -> None:
        offset = slot * _COUNTER.size
        with self._lock:
            fcntl.lockf(self._fd, fcntl.LOCK_EX, _COUNTER.size, offset, os.SEEK_SET)
            try:
                (value,) = _COUNTER.unpack_from(self._map, offset)
                _COUNTER.pack_into(self._map, offset, value + 1)
            finally:
                fcntl.lockf(self._fd, fcntl.LOCK_UN, _COUNTER.size, offset, os.SEEK_SET)

    def advance_all(self) -> None:
        self.advance(0)


class DiskVersionWatch:
    """This process's copies of the version counters kept in the disk cache, each used only while
    its slot's change counter (and the clears counter) are what they were when it was read.

    A bump writes the counter to the cache, then advances the slot: a copy read before the write is
    kept with the old change count and is dropped by the next read after the advance; one read
    between the two is the new value already. Copies live at most `seconds`, a bound for a counter
    the cache lost some other way (evicted when the cache was full).
    """

    def __init__(
        self, cache: DiskCache, generations: SharedGenerations, seconds: float = 30
    ) -> None:
        self.cache = cache
        self.generations = generations
        self.seconds = seconds
        self._values: dict[str, tuple[float, tuple[int, int], int]] = {}

    def versions(self, keys: list[str]) -> list[int]:
        now = time.monotonic()
        found: list[int] = []
        missing: dict[str, tuple[int, int]] = {}
        for key in keys:
            seen = self.generations.read(self.generations.slot(key))
            entry = self._values.get(key)
            if entry is not None and entry[1] == seen and entry[0] > now:
                found.append(entry[2])
            else:
                found.append(0)
                missing[key] = seen
        if missing:
            fetched = self.cache.get_many(list(missing))
            for index, key in enumerate(keys):
                if key in missing:
                    value = int(fetched.get(key, 0))
                    found[index] = value
                    self._values[key] = (now + self.seconds, missing[key], value)
        return found

    def bump(self, key: str, value: int, timeout: int) -> None:
        self.cache.set(key, value, timeout)
        self.generations.advance(self.generations.slot(key))

    def forget(self) -> None:
        self._values.clear()


_disk_watches: dict[str, DiskVersionWatch | None] = {}


def disk_version_watch(cache: DiskCache) -> DiskVersionWatch | None:
    """The watch for the disk cache at `cache.directory` (one per directory per process); None when
    its change counters cannot be mapped (every version read then goes to the cache)."""
    watch = _disk_watches.get(cache.directory, _MISSING)
    if watch is _MISSING:
        with _opening:
            watch = _disk_watches.get(cache.directory, _MISSING)
            if watch is _MISSING:
                watch = None
                with contextlib.suppress(OSError, ValueError):
                    generations = SharedGenerations(Path(cache.directory) / "versions.counters")
                    watch = DiskVersionWatch(cache, generations)
                _disk_watches[cache.directory] = watch
    return watch  # type: ignore[return-value]


def forget_disk_copies() -> None:
    for watch in _disk_watches.values():
        if watch is not None:
            watch.forget()


_MISSING: Any = object()

_live_stores: dict[str, Cache] = {}


def live_store(cache: DiskCache) -> Cache:
    """One SQLite store (not sharded) beside `cache` for live events (core/events.py, `CacheBroker`):
    a post's events and their sequence numbers are written in one transaction there, where the
    sharded cache would take one per key."""
    with _opening:
        store = _live_stores.get(cache.directory)
        if store is None:
            store = _live_stores[cache.directory] = Cache(
                str(Path(cache.directory) / "live"),
                timeout=cache._cache.timeout,
                # Events expire with the backlog (and are culled as new ones are written), so
                # nothing needs evicting, and writes skip the eviction order's index.
                eviction_policy="none",
            )
        return store
