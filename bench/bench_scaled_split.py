"""The scaled configuration with the database on a core of its own, as on a machine of its own.

`bench scaled` runs Masthead, PostgreSQL, Redis and wrk on the same two cores, so every post's
database work (~1.3 ms of PostgreSQL's CPU) is taken from the web workers, which SQLite's in-process
work is not. Here the machine is split the way docs/deploy.md lays out hosts: Masthead's processes
(and Isso's, for its figures) are pinned to core 0, the web host; PostgreSQL, Redis and wrk to
core 1, the database host and the readers. Then the same scenarios as `bench scaled`, SQLite beside
PostgreSQL + Redis, written to their own section. Needs two cores and leave to pin the services'
processes (root, or their owner); their affinity is put back to every core afterwards.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

from bench import bench_scaled, common

WEB_HOST_CORE, DATABASE_HOST_CORE = 0, 1


def service_pids() -> list[int]:
    """PostgreSQL's and Redis's processes (their children are forked from these and inherit)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                name = (entry / "comm").read_text().strip()
                if name.startswith(("postgres", "postmaster", "redis-server")):
                    found.append(int(entry.name))
    return found


def pin(pids: list[int], cores: str) -> None:
    for pid in pids:  # every thread of each (-a); a process gone meanwhile is no matter
        subprocess.run(["taskset", "-a", "-p", "-c", cores, str(pid)], capture_output=True)


def _affinity(pid: int) -> set[int] | None:
    try:
        return set(os.sched_getaffinity(pid))
    except OSError:
        return None


@contextlib.contextmanager
def split_machine() -> Iterator[None]:
    every_core = set(range(os.cpu_count() or 1))
    if len(every_core) < 2:
        raise SystemExit("bench scaled_split needs two cores")
    pin(service_pids(), str(DATABASE_HOST_CORE))
    unpinned = [
        pid
        for pid in service_pids()
        if _affinity(pid) not in ({DATABASE_HOST_CORE}, None)  # None: the process has ended
    ]
    if unpinned:
        pin(service_pids(), f"0-{len(every_core) - 1}")
        raise SystemExit(
            f"bench scaled_split could not pin PostgreSQL's and Redis's processes {unpinned} to "
            f"core {DATABASE_HOST_CORE} (run it as root or as their owner): no figures written"
        )
    os.sched_setaffinity(0, {WEB_HOST_CORE})  # the servers this bench starts inherit it
    common.CLIENT_PREFIX[:] = ["taskset", "-c", str(DATABASE_HOST_CORE)]
    try:
        yield
    finally:
        common.CLIENT_PREFIX.clear()
        os.sched_setaffinity(0, every_core)
        pin(service_pids(), f"0-{len(every_core) - 1}")


def main() -> None:
    with split_machine():
        sqlite, scaled = bench_scaled.run_all()
    bench_scaled.report(
        sqlite,
        scaled,
        "scaled_split",
        "## Scaled configuration, the database on a core of its own",
        f"Masthead's processes (and Isso's) on core {WEB_HOST_CORE}, the web host; PostgreSQL, "
        f"Redis and wrk on core {DATABASE_HOST_CORE}, the database host and the readers. ",
    )


if __name__ == "__main__":
    main()
