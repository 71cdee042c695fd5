"""The cache `masthead run`'s processes share without Redis: one store per process, exact counts across
processes, bounded size."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from masthead.core.disk_cache import DiskCache

PARAMS = {"SHARDS": 2, "DATABASE_TIMEOUT": 0.25, "OPTIONS": {"size_limit": 2**20}}


def test_cache_objects_made_per_request_share_one_store_that_outlives_close(
    tmp_path: Path,
) -> None:
    first = DiskCache(str(tmp_path), PARAMS)
    first.set("greeting", "hello", 60)
    first.close()  # Django closes caches when each request finishes
    second = DiskCache(str(tmp_path), PARAMS)
    assert second._cache is first._cache
    assert second.get("greeting") == "hello"
    assert first.get("greeting") == "hello"


COUNTER = textwrap.dedent(
    """
    import sys
    from django.conf import settings
    settings.configure()
    from masthead.core.disk_cache import DiskCache
    cache = DiskCache(sys.argv[1], {"SHARDS": 2, "DATABASE_TIMEOUT": 0.25, "OPTIONS": {}})
    for _ in range(300):
        if not cache.add("posts", 1, 60):
            cache.incr("posts")
    """
)


def test_counts_from_several_processes_at_once_add_up(tmp_path: Path) -> None:
    """Rate limits count with add/incr: no increment may be lost when two workers count at once."""
    workers = [subprocess.Popen([sys.executable, "-c", COUNTER, str(tmp_path)]) for _ in range(3)]
    assert [worker.wait(timeout=120) for worker in workers] == [0, 0, 0]
    assert DiskCache(str(tmp_path), PARAMS).get("posts") == 900


def test_the_cache_stays_within_its_size_limit(tmp_path: Path) -> None:
    limit = 2**20
    cache = DiskCache(
        str(tmp_path), {"SHARDS": 1, "DATABASE_TIMEOUT": 0.25, "OPTIONS": {"size_limit": limit}}
    )
    page = "x" * 40_000  # a cached page: stored in a file of its own
    for n in range(200):
        cache.set(f"page:{n}", page + str(n), 3600)
    assert cache._cache.volume() <= limit
    assert len(list(tmp_path.rglob("*.val"))) < 30  # the oldest pages' files were removed
    assert cache.get("page:199") == page + "199"  # the newest entries stay
    assert cache.get("page:0") is None


BUMPER = textwrap.dedent(
    """
    import sys
    from django.conf import settings
    settings.configure()
    from masthead.core.cache import version_watch
    from masthead.core.disk_cache import DiskCache
    cache = DiskCache(sys.argv[1], {"SHARDS": 2, "DATABASE_TIMEOUT": 0.25, "OPTIONS": {}})
    watch = version_watch(cache)
    if sys.argv[2] == "clear":
        cache.clear()
    else:
        for n in range(int(sys.argv[3])):
            watch.bump(sys.argv[2], 1000 + n, 60)
    """
)


def _other_process(directory: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", BUMPER, str(directory), *args])


def test_a_version_bumped_by_another_process_is_read_fresh_at_once(tmp_path: Path) -> None:
    """Each process keeps the version counters it read; a bump on the machine makes its copy stale
    before the bumping process goes on (a page cached by one worker is never served stale by another)."""
    from masthead.core.cache import version_watch

    cache = DiskCache(str(tmp_path), PARAMS)
    watch = version_watch(cache)
    assert watch is not None
    watch.bump("v:thread:7", 5, 60)
    assert watch.versions(["v:thread:7", "v:publishing:"]) == [5, 0]
    # A write that is not a bump (nothing in Masthead does this) is not seen: the copy is used.
    DiskCache(str(tmp_path), PARAMS)._cache.set(":1:v:thread:7", 6)
    assert watch.versions(["v:thread:7"]) == [5]

    assert _other_process(tmp_path, "v:thread:7", "1").wait(timeout=60) == 0
    assert watch.versions(["v:thread:7", "v:publishing:"]) == [1000, 0]


def test_clearing_the_cache_in_another_process_drops_every_copy(tmp_path: Path) -> None:
    from masthead.core.cache import version_watch

    cache = DiskCache(str(tmp_path), PARAMS)
    watch = version_watch(cache)
    assert watch is not None
    watch.bump("v:funding:", 9, 60)
    assert watch.versions(["v:funding:"]) == [9]
    assert _other_process(tmp_path, "clear").wait(timeout=60) == 0
    assert watch.versions(["v:funding:"]) == [0]


def test_bumps_from_several_processes_at_once_all_count(tmp_path: Path) -> None:
    """Two workers bumping counters that share a slot must not lose an advance, or a copy read
    between them would be kept past the second bump."""
    from masthead.core.disk_cache import SLOTS, SharedGenerations

    counters = SharedGenerations(tmp_path / "versions.counters")
    slot = SharedGenerations.slot("v:thread:1")
    workers = [_other_process(tmp_path, "v:thread:1", "200") for _ in range(3)]
    assert [worker.wait(timeout=120) for worker in workers] == [0, 0, 0]
    assert counters.read(slot) == (0, 600)
    assert 0 < slot < SLOTS
