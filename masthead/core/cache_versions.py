"""Versioned keys for caching whole reader pages.

A reader page (an article with its discussion and support block) is the same HTML for every anonymous
reader, so it can be cached by the app and by a CDN. Each page depends on version counters: the site's
content ("publishing"), its discussion thread ("thread", page id), the funding totals ("funding"), ...
A write bumps the counters it affects, on commit; the next read builds a new key and misses.

Apps declare what a page depends on under the `PAGE_DEPENDENCIES` hook (core/hooks.py), with a
`func(page)` that returns (namespace, key) pairs. Publishing serves pages through `page_cache_key`.

With Redis, each process keeps copies of the counters it has read and every bump is announced on a
Redis channel that drops them everywhere (`core.cache.VersionWatch`): a cached hit then makes no
round trip to Redis at all. Without Redis the disk cache keeps the counters in memory the machine's
processes share (`core.disk_cache.SharedVersions`), not as its entries.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache, caches
from django.db import transaction

from masthead.core.cache import LocalCopies, version_watch
from masthead.core.hooks import PAGE_DEPENDENCIES, resolved

Dependency = tuple[str, str]
VERSION_TTL = 60 * 60 * 24 * 30


def _version_key(namespace: str, key: object = "") -> str:
    return f"v:{namespace}:{key}"


def versions(dependencies: Iterable[Dependency]) -> list[int]:
    keys = [_version_key(namespace, key) for namespace, key in dependencies]
    watch = version_watch(caches["default"])
    if watch is not None:
        return watch.versions(keys)  # this process's copies, dropped by every bump (core/cache.py)
    found = cache.get_many(keys)
    return [int(found.get(key, 0)) for key in keys]


def bump_now(namespace: str, key: object = "") -> None:
    """Invalidate everything depending on (namespace, key) immediately (use `bump` inside transactions).

    The new version is a fresh random number, not the old one plus one: one write instead of a read
    and a write, and two processes bumping at once cannot both write the same "next" number (the file
    cache has no atomic increment), which would leave a page cached between their commits in place.
    """
    watch = version_watch(caches["default"])
    if watch is not None:
        watch.bump(_version_key(namespace, key), secrets.randbits(62), VERSION_TTL)
    else:
        cache.set(_version_key(namespace, key), secrets.randbits(62), VERSION_TTL)


def bump(namespace: str, key: object = "") -> None:
    """Invalidate after the current transaction commits, so no reader caches the pre-commit state."""
    transaction.on_commit(lambda: bump_now(namespace, key), robust=True)


# Values stored under keys that carry the versions they were made under (`set_versioned`).
_versioned_copies = LocalCopies(capacity=4096)


def get_versioned(key: str) -> Any:
    """The value `set_versioned` stored under `key`, or None. `key` must include the version counters
    the value depends on (read with `versions`): such a key always names the same value, so this
    process keeps a copy as well and asks the shared cache only for keys it has not seen."""
    value = _versioned_copies.get(key)
    if value is None:
        value = cache.get(key)
        if value is not None:
            _versioned_copies.put(key, value)
    return value


def set_versioned(key: str, value: Any, timeout: int) -> None:
    """Store an immutable `value` under `key`, a key that names the versions it depends on."""
    cache.set(key, value, timeout)
    _versioned_copies.put(key, value, seconds=timeout)


def page_dependencies(page: Any) -> list[Dependency]:
    dependencies: list[Dependency] = [("publishing", "")]
    for source in resolved(PAGE_DEPENDENCIES):
        dependencies.extend((str(namespace), str(key)) for namespace, key in source(page))
    return dependencies


def page_cache_key(path: str, page: Any, variant: str = "") -> str:
    """A cache key for `path` that changes whenever anything the page shows changes."""
    return page_cache_key_for(path, page_dependencies(page), variant)


def page_cache_key_for(path: str, dependencies: list[Dependency], variant: str = "") -> str:
    """`page_cache_key` from the page's dependencies, worked out earlier (the fast path keeps them)."""
    stamp = ",".join(str(version) for version in versions(dependencies))
    digest = hashlib.sha256(f"{path}|{variant}|{stamp}".encode()).hexdigest()[:32]
    return f"page:{digest}"
