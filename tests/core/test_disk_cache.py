"""The cache `masthead run`'s processes share without Redis: one store per process, exact counts across
processes, bounded size."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

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
            watch.bump(sys.argv[2], n, 60)
    """
)


def _other_process(directory: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", BUMPER, str(directory), *args])


def _watch(directory: Path) -> Any:
    from masthead.core.cache import version_watch

    watch = version_watch(DiskCache(str(directory), PARAMS))
    assert watch is not None
    return watch


def test_a_version_bumped_by_another_process_is_new_here_at_once(tmp_path: Path) -> None:
    """A page cached by one worker must never be served by another after a write changed it: a bump
    made by any process of the machine changes the version every process reads, before it returns."""
    watch = _watch(tmp_path)
    before = watch.versions(["v:thread:7", "v:publishing:"])
    assert watch.versions(["v:thread:7", "v:publishing:"]) == before
    assert _other_process(tmp_path, "v:thread:7", "1").wait(timeout=60) == 0
    after = watch.versions(["v:thread:7", "v:publishing:"])
    assert after[0] != before[0]
    assert after[1] == before[1]  # other keys keep their versions (and their cached pages)


def test_clearing_the_cache_in_another_process_changes_every_version(tmp_path: Path) -> None:
    watch = _watch(tmp_path)
    keys = ["v:funding:", "v:thread:1", "v:publishing:"]
    before = watch.versions(keys)
    assert _other_process(tmp_path, "clear").wait(timeout=60) == 0
    after = watch.versions(keys)
    assert all(old != new for old, new in zip(before, after, strict=True))


def test_bumps_from_several_processes_at_once_all_count(tmp_path: Path) -> None:
    """Two workers bumping at once must not lose a bump: a version read between them would be
    current again after the second, and a page cached under it served stale."""
    from masthead.core.disk_cache import SharedVersions

    shared = SharedVersions(tmp_path / "versions.counters")
    slot = SharedVersions.slot("v:thread:1")
    before = shared._read(slot)
    workers = [_other_process(tmp_path, "v:thread:1", "200") for _ in range(3)]
    assert [worker.wait(timeout=120) for worker in workers] == [0, 0, 0]
    assert shared._read(slot) == before + 600


def test_versions_made_anew_never_repeat_old_ones(tmp_path: Path) -> None:
    """If the counters' file is lost while cached pages remain, no old version comes back (its pages
    would be served): a new file has a new identity."""
    from masthead.core.disk_cache import SharedVersions

    first = SharedVersions(tmp_path / "one" / "versions.counters")
    second = SharedVersions(tmp_path / "two" / "versions.counters")
    assert first.version("v:publishing:") != second.version("v:publishing:")
    assert SharedVersions(tmp_path / "one" / "versions.counters").version(
        "v:publishing:"
    ) == first.version("v:publishing:")


def test_a_counters_file_of_another_shape_is_replaced_with_new_versions(tmp_path: Path) -> None:
    from masthead.core.disk_cache import SharedVersions

    path = tmp_path / "versions.counters"
    path.write_bytes(b"\0" * 4096)  # an older layout: no identity
    shared = SharedVersions(path)
    assert path.stat().st_size > 4096
    assert shared.version("v:publishing:") != 0
