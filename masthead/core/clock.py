"""Periodic jobs run by the clock process (`masthead manage masthead_clock`).

Apps register plain callables under the `EVERY_MINUTE` hook (core/hooks.py); a job should enqueue a
task rather than do heavy work.
"""

from __future__ import annotations

from collections.abc import Callable

from wagtail import hooks

from masthead.core.hooks import EVERY_MINUTE


def periodic_jobs() -> list[Callable[[], object]]:
    return list(hooks.get_hooks(EVERY_MINUTE))
