"""The task worker with the clock inside it: what `masthead run` starts beside its web workers, and the
one command a deployment needs for background work (no separate clock process)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from masthead.core.clock import INTERVAL_SECONDS, start_clock_thread


def task_worker_arguments() -> list[str]:
    """The task worker's command and options for the configured backend (RQ with Redis, else the database)."""
    if settings.REDIS_URL:
        return ["rqworker", "default", "--job-class", "django_tasks_rq.Job", "--with-scheduler"]
    return ["db_worker", "--queue-name", "*", "--interval", "0.5"]


class Command(BaseCommand):
    help = (
        "Run background tasks (db_worker, or rqworker with REDIS_URL) and, on a thread of the same "
        "process, the clock's periodic jobs every minute."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-clock",
            action="store_true",
            help="leave the periodic jobs to a clock of its own (`masthead_clock`)",
        )
        parser.add_argument("--clock-interval", type=float, default=INTERVAL_SECONDS)

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_clock"]:
            start_clock_thread(options["clock_interval"])
        call_command(*task_worker_arguments())
