"""The C allocator's arenas, limited to two per process.

glibc gives each thread that allocates its own arena (up to eight per core), and memory freed in
one arena cannot serve another's requests. A web process runs its requests on a pool of threads
and keeps thousands of event streams open: with an arena per thread its resident memory grew by
about 68 KB per open stream, with two arenas by about 48 KB (bench/RESULTS.md, "## Live"), at no
measurable cost in requests per second. The same as MALLOC_ARENA_MAX=2, set from inside the
process because `masthead run` forks its workers from one parent, which the variable would reach
too late. Elsewhere than glibc, nothing is done.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

M_ARENA_MAX = -8  # glibc's mallopt parameter
ARENAS = 2


def limit_arenas() -> bool:
    """Limit this process's malloc arenas (before it starts threads); True when it took effect."""
    if os.environ.get("MALLOC_ARENA_MAX"):  # the operator chose; glibc has read it already
        return False
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        return bool(libc.mallopt(M_ARENA_MAX, ARENAS))
    except (OSError, AttributeError):
        return False
