"""The cache used without Redis: Django's file-based cache, shared by every process of `masthead run`.

Django's FileBasedCache lists the whole cache directory on every write to decide whether to cull,
so a write costs more the more the cache holds (each new comment writes two version counters). Here
the count is taken at most once per CULL_CHECK_SECONDS per process; between checks the directory can
grow past MAX_ENTRIES by what a few seconds of writes add, so a check removes that excess as well as
the usual 1/CULL_FREQUENCY of the entries.
"""

from __future__ import annotations

import random
import time
from typing import Any

from django.core.cache.backends.filebased import FileBasedCache

CULL_CHECK_SECONDS = 10.0


# django-stubs leave out the private helpers used here.
_FileBasedCache: Any = FileBasedCache


class FileCache(_FileBasedCache):
    def __init__(self, dir: str, params: dict[str, Any]) -> None:
        super().__init__(dir, params)
        self._next_cull_check = 0.0

    def _cull(self) -> None:
        now = time.monotonic()
        if now < self._next_cull_check:
            return
        self._next_cull_check = now + CULL_CHECK_SECONDS
        files = self._list_cache_files()
        excess = len(files) - self._max_entries
        if excess < 0:
            return
        if self._cull_frequency == 0:
            self.clear()
            return
        count = min(len(files), excess + self._max_entries // self._cull_frequency)
        for name in random.sample(files, count):
            self._delete(name)
