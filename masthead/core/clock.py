"""Periodic jobs run by the clock process (`masthead manage masthead_clock`).

Apps register plain callables under the `EVERY_MINUTE` hook (core/hooks.py); a job should enqueue a
task rather than do heavy work.

Every host's `masthead run` starts a clock. Through the cache they share (Redis with several hosts)
one clock claims each round, so scheduled publishing and the jobs run once per interval, not once
per host; when that host is gone, another claims the next round.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from wagtail import hooks

from masthead.core.hooks import EVERY_MINUTE


def periodic_jobs() -> list[Callable[[], object]]:
    return list(hooks.get_hooks(EVERY_MINUTE))


def claim_round(interval: float, now: float | None = None) -> bool:
    """True for the first clock to ask in this interval-long round; False for the others. A cache
    that fails says True: a job run twice does less harm than a job not run. Without Redis there is
    one host, hence one clock (and diskcache's `add` gives up on a busy shard): always True."""
    if not settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        return True
    number = int((time.time() if now is None else now) // interval)
    try:
        return bool(cache.add(f"clock:round:{interval}:{number}", 1, int(interval * 2) + 1))
    except Exception:
        logging.getLogger("masthead.clock").warning("clock: the cache failed", exc_info=True)
        return True
