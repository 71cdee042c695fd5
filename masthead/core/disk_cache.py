"""The cache used without Redis: diskcache's Django backend in the data directory, shared by every
process of `masthead run` (web workers, task worker, clock).

diskcache keeps entries in SQLite files (values over 32 KB in files of their own): a write is a small
transaction instead of a file created and renamed, and `add`/`incr` are atomic across processes, so
rate limits count exactly across workers. Size is bounded by `size_limit` (least recently stored
entries go first).

Version counters (core/cache_versions.py) are read several times by every request, and a read from
diskcache costs ~50 µs of Python and SQLite. So they are not kept as entries: `SharedVersions` keeps
them in a small file in the cache's directory that the machine's processes map into memory; a read
is a memory read, and a bump anywhere on the machine is seen by every process as soon as it is made.
"""

from __future__ import annotations

import fcntl
import logging
import mmap
import os
import secrets
import struct
import threading
import zlib
from pathlib import Path
from typing import Any

from diskcache import Cache, DjangoCache, FanoutCache
from django.core.cache.backends.base import BaseCache

_opened: dict[tuple[str, int, float, tuple[tuple[str, Any], ...]], FanoutCache] = {}
_opening = threading.Lock()
logger = logging.getLogger("masthead.cache")


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
            watch.shared.bump_all()  # every version changes with the entries it named
        return cleared


# Keys whose hashes share a counter bump each other (a needless cache miss, no more): 16,384 of
# them (128 KiB of the file, only the pages touched are in memory) keep that rare.
SLOTS = 16384
_COUNTER = struct.Struct("<Q")
_CLEARS, _IDENTITY, _FIRST_KEY_SLOT = 0, 1, 2
_BUMP_BITS, _CLEAR_BITS = 40, 22
_MASK = (1 << 62) - 1


class SharedVersions:
    """The version counters of the disk cache's keys, in a file every process of the machine maps:
    a counter per slot (keys hash to slots), a count of whole-cache clears, and the file's identity,
    a random number chosen when the file was made. A key's version combines the three, so it changes
    with each bump of its slot, each clear, and if the file is ever made anew (a version seen before
    then is never seen again: no page cached under it is served).

    Reading a version is a memory read. A bump holds an exclusive lock on its 8 bytes of the file
    (and a thread lock: POSIX record locks do not exclude threads of one process), so two processes
    bumping at once both count. Counters only grow; the file stays with the cache's data.
    """

    def __init__(self, path: Path) -> None:
        size = SLOTS * _COUNTER.size
        path.parent.mkdir(parents=True, exist_ok=True)
        # Opened under a lock: a file found missing or unsound (another version's) is replaced by
        # one process, and every process maps the same file.
        with open(path.with_name(path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not _sound(path, size):
                draft = path.with_name(f"{path.name}.{os.getpid()}")
                with open(draft, "wb") as handle:
                    handle.truncate(size)
                    handle.seek(_IDENTITY * _COUNTER.size)
                    handle.write(_COUNTER.pack(1 + secrets.randbits(61)))
                os.replace(draft, path)
            self._fd = os.open(path, os.O_RDWR)
        self._map = mmap.mmap(self._fd, size, mmap.MAP_SHARED)
        self._lock = threading.Lock()

    @staticmethod
    def slot(key: str) -> int:
        return _FIRST_KEY_SLOT + zlib.crc32(key.encode()) % (SLOTS - _FIRST_KEY_SLOT)

    def _read(self, slot: int) -> int:
        return int(_COUNTER.unpack_from(self._map, slot * _COUNTER.size)[0])

    def version(self, key: str) -> int:
        bumps = self._read(self.slot(key)) & ((1 << _BUMP_BITS) - 1)
        clears = self._read(_CLEARS) & ((1 << _CLEAR_BITS) - 1)
        return (self._read(_IDENTITY) ^ (clears << _BUMP_BITS) ^ bumps) & _MASK

    def _advance(self, slot: int) -> None:
        offset = slot * _COUNTER.size
        with self._lock:
            fcntl.lockf(self._fd, fcntl.LOCK_EX, _COUNTER.size, offset, os.SEEK_SET)
            try:
                _COUNTER.pack_into(self._map, offset, self._read(slot) + 1)
            finally:
                fcntl.lockf(self._fd, fcntl.LOCK_UN, _COUNTER.size, offset, os.SEEK_SET)

    def bump(self, key: str) -> None:
        self._advance(self.slot(key))

    def bump_all(self) -> None:
        self._advance(_CLEARS)


def _sound(path: Path, size: int) -> bool:
    try:
        with open(path, "rb") as handle:
            handle.seek(_IDENTITY * _COUNTER.size)
            identity = _COUNTER.unpack(handle.read(_COUNTER.size))[0]
            return bool(os.fstat(handle.fileno()).st_size == size and identity)
    except (OSError, struct.error):
        return False


class DiskVersionWatch:
    """`core/cache_versions.py`'s counters for the disk cache: kept in `SharedVersions`, not as
    cache entries (a read from diskcache costs ~50 µs of Python and SQLite, a bump ~200 µs; here a
    read is a memory read and a bump an 8-byte write under a lock)."""

    def __init__(self, shared: SharedVersions) -> None:
        self.shared = shared

    def versions(self, keys: list[str]) -> list[int]:
        return [self.shared.version(key) for key in keys]

    def bump(self, key: str, value: int, timeout: int) -> None:
        """`VersionWatch.bump`'s signature; the shared counter is the version, so `value` and
        `timeout` are not needed."""
        self.shared.bump(key)


_disk_watches: dict[str, DiskVersionWatch | None] = {}


def disk_version_watch(cache: DiskCache) -> DiskVersionWatch | None:
    """The version counters of the disk cache at `cache.directory` (mapped once per process); None
    when they cannot be mapped (the counters are then cache entries, as with any other cache)."""
    watch = _disk_watches.get(cache.directory, _MISSING)
    if watch is _MISSING:
        with _opening:
            watch = _disk_watches.get(cache.directory, _MISSING)
            if watch is _MISSING:
                watch = None
                try:
                    shared = SharedVersions(Path(cache.directory) / "versions.counters")
                    watch = DiskVersionWatch(shared)
                except (OSError, ValueError):
                    logger.warning(
                        "Version counters cannot be shared in %s; the cache keeps them",
                        cache.directory,
                        exc_info=True,
                    )
                _disk_watches[cache.directory] = watch
    return watch  # type: ignore[return-value]


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
