"""The file cache shared by `masthead run`'s processes stays bounded without listing itself on every write."""

from __future__ import annotations

from pathlib import Path

from masthead.core.cache import FileCache


def test_writes_between_checks_are_kept_and_the_next_check_trims_to_the_limit(
    tmp_path: Path,
) -> None:
    cache = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 20, "CULL_FREQUENCY": 4}})
    for n in range(50):
        cache.set(f"key{n}", n)
    written = len(list(tmp_path.glob("*.djcache")))
    assert written == 50  # one check (at the first write, with an empty directory) until now
    assert cache.get("key49") == 49
    cache._next_cull_check = 0.0  # the check interval has passed
    cache.set("one-more", 1)
    left = len(list(tmp_path.glob("*.djcache")))
    assert left <= 20 - 20 // 4 + 1
    assert cache.get("one-more") == 1
