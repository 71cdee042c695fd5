"""Periodic jobs run by the clock process (`masthead manage masthead_clock`).

Apps register plain callables with `every_minute`; a job should enqueue a task rather than do heavy work.
"""

from __future__ import annotations

from collections.abc import Callable

_JOBS: list[Callable[[], object]] = []


def every_minute(job: Callable[[], object]) -> Callable[[], object]:
    if job not in _JOBS:
        _JOBS.append(job)
    return job


def periodic_jobs() -> list[Callable[[], object]]:
    return list(_JOBS)
