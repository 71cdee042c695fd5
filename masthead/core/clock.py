"""The clock: periodic jobs (scheduled publishing, and what apps register) once a minute.

It runs as a thread of the task worker (`masthead manage masthead_worker`, which `masthead run` starts),
or as a process of its own (`masthead manage masthead_clock`) for deployments that keep it apart. Run
only one clock per site: each round publishes what is due and enqueues the periodic tasks.

Apps register plain callables under the `EVERY_MINUTE` hook (core/hooks.py); a job should enqueue a
task rather than do heavy work.

Every host's `masthead run` starts a clock. Through the cache they share (Redis with several hosts)
one clock claims each round, so scheduled publishing and the jobs run once per interval, not once
per host; when that host is gone, another claims the next round.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections
from wagtail import hooks

from masthead.core.hooks import EVERY_MINUTE

logger = logging.getLogger("masthead.clock")

INTERVAL_SECONDS = 60.0


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


def run_periodic_jobs() -> None:
    """One round: publish what is due, then every registered job; a failing job is logged, not fatal."""
    try:
        call_command("publish_scheduled", verbosity=0)
    except Exception:
        logger.exception("Scheduled publishing failed")
    for job in periodic_jobs():
        try:
            job()
        except Exception:
            logger.exception("Periodic job %s failed", getattr(job, "__name__", job))


def start_clock_thread(interval: float = INTERVAL_SECONDS) -> threading.Event:
    """Run a round now and then every `interval` seconds on a daemon thread of this process (it ends
    with the process); returns the event that stops it after the round in progress."""
    stop = threading.Event()

    def tick() -> None:
        while not stop.is_set():
            try:
                if claim_round(interval):  # another host's clock may have run this round
                    run_periodic_jobs()
            finally:
                # The thread's own connections: closed between rounds, as a request's are.
                connections.close_all()
            stop.wait(interval)

    threading.Thread(target=tick, name="masthead-clock", daemon=True).start()
    return stop
