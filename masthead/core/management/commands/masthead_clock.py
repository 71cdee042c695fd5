"""The clock as a process of its own: periodic jobs (scheduled publishing, and what other apps register)
once a minute. `masthead run` runs the clock inside its task worker instead (`masthead_worker`); this
command is for deployments that run the task worker some other way."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from masthead.core.clock import INTERVAL_SECONDS, claim_round, run_periodic_jobs


class Command(BaseCommand):
    help = "Run periodic jobs every --interval seconds (`masthead_worker` runs them in its own process)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=float, default=INTERVAL_SECONDS)
        parser.add_argument("--once", action="store_true", help="run the jobs once and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            # --once always runs; a running clock runs the round only if no other host's did.
            if options["once"] or claim_round(options["interval"]):
                run_periodic_jobs()
            if options["once"]:
                return
            time.sleep(options["interval"])
