"""The clock: runs periodic jobs (scheduled publishing, and what other apps register) once a minute."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from masthead.core.clock import claim_round, periodic_jobs

logger = logging.getLogger("masthead.clock")


class Command(BaseCommand):
    help = "Run periodic jobs every --interval seconds (started by `masthead run`)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=float, default=60.0)
        parser.add_argument("--once", action="store_true", help="run the jobs once and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            # --once always runs; a running clock runs the round only if no other host's did.
            if options["once"] or claim_round(options["interval"]):
                call_command("publish_scheduled", verbosity=0)
                for job in periodic_jobs():
                    try:
                        job()
                    except Exception:
                        logger.exception("Periodic job %s failed", getattr(job, "__name__", job))
            if options["once"]:
                return
            time.sleep(options["interval"])
