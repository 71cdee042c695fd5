"""Notification fan-out: one thread with N confirmed subscribers, one new comment, one worker.

Measures the time from the post (the discussion action, which writes the outbox in its transaction) to
the last message accepted by a local aiosmtpd sink, messages per second, and the worker's peak RSS
(VmHWM) at two subscriber counts, to show memory stays flat as subscribers grow (rows are streamed).
Run: `.venv/bin/python -m bench notifications`.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from bench.common import (
    PYTHON,
    ROOT,
    free_port,
    machine_line,
    manage,
    scratch_dir,
    shell,
    stop_process,
    write_section,
)

SIZES = [int(n) for n in os.environ.get("BENCH_NOTIFY_SIZES", "1000,10000").split(",")]

SEED = """
from django.utils import timezone
from masthead.discussion.actions import thread_for_page
from masthead.notifications.models import EmailAddress, Subscription
from masthead.publishing.actions import create_article, create_section, ensure_home_page
from django.contrib.auth import get_user_model
get_user_model().objects.create_superuser("bench-editor", "editor@bench.example", "bench-password-123")
home = ensure_home_page()
section = create_section(home, "Bench", "bench", "")
now = timezone.now()
for size in {sizes}:
    article = create_article(section, f"Bench thread with {{size}} subscribers", standfirst="", body=[], authors=[], tags=[], dateline="")
    thread = thread_for_page(article)
    for start in range(0, size, 2000):
        addresses = EmailAddress.objects.bulk_create(
            [EmailAddress(email=f"s{{size}}-{{n}}@bench.example", confirmed_at=now) for n in range(start, min(size, start + 2000))]
        )
        Subscription.objects.bulk_create(
            [Subscription(address=a, thread=thread, kind="all", confirmed_at=now) for a in addresses]
        )
    print("THREAD", size, thread.pk)
"""

POST = """
import time
from django.contrib.auth import get_user_model
from masthead.core.actors import Actor
from masthead.discussion.actions import post_comment, set_comment_status
from masthead.discussion.inputs import CommentInput
from masthead.discussion.models import Thread
thread = Thread.objects.get(pk={thread_id})
editor = get_user_model().objects.get(username="bench-editor")
actor = Actor(user=editor, ip="192.0.2.10", ip_hash="bench-{thread_id}")
started = time.time()
comment = post_comment(actor, thread, CommentInput(body="News for all {thread_id} subscribers of this thread.", notify="none"))
if comment.status != "approved":  # a moderation rule held it: approve, as a moderator would
    set_comment_status(actor, comment, "approved", "bench")
print("POSTED", started, time.time(), comment.status)
"""


class Sink:
    def __init__(self) -> None:
        self.count = 0
        self.first = 0.0
        self.last = 0.0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.count += 1
            self.last = time.time()
            self.first = self.first or self.last
        return "250 OK"


@dataclass
class Result:
    subscribers: int
    post_seconds: float
    total_seconds: float
    messages: int
    peak_rss_mb: float

    @property
    def rate(self) -> float:
        return self.messages / self.total_seconds if self.total_seconds else 0.0

    def line(self) -> str:
        return (
            f"{self.subscribers:>6} subscribers: post {self.post_seconds * 1000:6.0f} ms, last message after "
            f"{self.total_seconds:6.2f} s, {self.messages} messages, {self.rate:7.1f} msg/s, "
            f"worker peak RSS {self.peak_rss_mb:6.1f} MiB"
        )


def peak_rss_mb(pid: int) -> float:
    with contextlib.suppress(OSError):
        match = re.search(r"VmHWM:\s+(\d+)", Path(f"/proc/{pid}/status").read_text())
        if match:
            return int(match.group(1)) / 1024
    return 0.0


def run_one(data_dir: Path, env: dict[str, str], size: int, thread_id: int) -> Result:
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    worker_env = {
        **os.environ,
        **env,
        "MASTHEAD_DATA_DIR": str(data_dir),
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "MASTHEAD_RATELIMIT_ENABLED": "0",
    }
    worker = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "masthead.cli",
            "manage",
            "db_worker",
            "--queue-name",
            "*",
            "--interval",
            "0.2",
            "--no-startup-delay",
            "--no-reload",
            "--verbosity",
            "0",
        ],
        env=worker_env,
        cwd=ROOT,
    )
    try:
        time.sleep(3)  # let the worker import Django before the clock starts
        try:
            output = shell(
                data_dir,
                POST.format(thread_id=thread_id),
                env={**env, "EMAIL_URL": f"smtp://127.0.0.1:{port}"},
            )
        except subprocess.CalledProcessError as error:
            raise RuntimeError(f"posting failed: {error.stderr[-2000:]}") from error
        match = re.search(r"POSTED ([\d.]+) ([\d.]+)", output)
        assert match, output
        started, returned = float(match.group(1)), float(match.group(2))
        deadline = time.time() + 600
        while sink.count < size and time.time() < deadline:
            time.sleep(0.1)
        time.sleep(1)  # nothing more should arrive
        return Result(
            size, returned - started, sink.last - started, sink.count, peak_rss_mb(worker.pid)
        )
    finally:
        stop_process(worker)
        controller.stop()


def main() -> None:
    env = {"MASTHEAD_RATELIMIT_ENABLED": "0"}
    with scratch_dir("notify") as data_dir:
        manage(data_dir, "migrate", "--verbosity", "0", env=env)
        seeded = shell(data_dir, SEED.format(sizes=SIZES), env=env)
        threads = {int(size): int(pk) for size, pk in re.findall(r"THREAD (\d+) (\d+)", seeded)}
        results = [run_one(data_dir, env, size, threads[size]) for size in SIZES]
    load = os.getloadavg()
    for result in results:
        print(result.line())
    print(
        f"load average during the run: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores"
    )
    biggest = results[-1]
    lines = [
        f"Machine: {machine_line()}",
        "",
        "One thread, N confirmed subscribers following every comment, one new comment posted through",
        "`post_comment` (the outbox rows are written in its transaction); one `db_worker` (SQLite, database",
        "task backend) sends through Django's SMTP backend to a local aiosmtpd sink. Time is from the start of",
        "the post to the last message accepted; peak RSS is the worker's VmHWM.",
        "",
        "| subscribers | post (incl. outbox) | last message after | messages | messages/s | worker peak RSS |",
        "|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {r.subscribers:,} | {r.post_seconds * 1000:.0f} ms | {r.total_seconds:.2f} s | {r.messages:,} | "
            f"{r.rate:.0f} | {r.peak_rss_mb:.0f} MiB |"
            for r in results
        ),
        "",
        f"Target: ≥ 200 messages/s with one worker → {'met' if biggest.rate >= 200 else 'NOT met'} "
        f"({biggest.rate:.0f} msg/s at {biggest.subscribers:,}); memory flat in subscribers: peak RSS "
        + " vs ".join(f"{r.peak_rss_mb:.0f} MiB" for r in results)
        + ".",
        f"Load average at the end of the run: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on "
        f"{os.cpu_count()} cores (other benches and test suites were running on the same machine).",
        "Run: `.venv/bin/python -m bench notifications` (sizes from `BENCH_NOTIFY_SIZES`, default 1000,10000).",
    ]
    write_section("## Notifications\n\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
