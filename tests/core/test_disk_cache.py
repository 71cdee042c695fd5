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
