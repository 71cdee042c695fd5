"""The processes of `masthead run` (core/processes.py): web workers and a task worker forked from one
parent, the clock's jobs run inside the task worker, and a stop ends them all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.helpers import MastheadServer, masthead_process_env

SCHEDULED_SLUG = "scheduled-by-the-clock"


def schedule_an_article(data_dir: Path) -> None:
    """An article due a moment from now, not live until something publishes what is due."""
    code = f"""
import time
from datetime import timedelta
from django.utils import timezone
from masthead.publishing.actions import create_article
from masthead.publishing.models import SectionPage
due = timezone.now() + timedelta(seconds=1)
create_article(SectionPage.objects.live().first(), title="Scheduled by the clock",
               slug="{SCHEDULED_SLUG}", go_live_at=due)
time.sleep(1.5)
"""
    subprocess.run(
        [sys.executable, "-m", "masthead.cli", "manage", "shell", "-c", code],
        env=masthead_process_env(data_dir),
        check=True,
        capture_output=True,
    )


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def names(pids: list[int]) -> list[str]:
    return sorted(Path(f"/proc/{pid}/comm").read_text().strip() for pid in pids)


def command_lines(pids: list[int]) -> str:
    return " ".join(Path(f"/proc/{pid}/cmdline").read_bytes().decode() for pid in pids)


def wait_until(condition: object, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.3)
    return False


def is_live(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/", timeout=5) as response:
            home = response.read().decode()
    except urllib.error.URLError:
        return False
    return "Scheduled by the clock" in home


def test_the_stack_runs_the_clock_in_the_task_worker_replaces_a_dead_worker_and_stops_whole(
    tmp_path: Path,
) -> None:
    """`masthead run` with its task worker and two web workers: a scheduled article goes live (the
    clock's job) while the stack is the parent, its web workers and the task worker, and nothing
    else; a web worker that dies is forked again; Ctrl-C ends every process."""
    running = MastheadServer(
        tmp_path / "data", workers=2, with_worker=True, before_start=schedule_an_article
    )
    try:
        assert wait_until(lambda: is_live(running.base)), "the scheduled article never went live"
        parent = running.process.pid
        stack = children(parent)
        assert names(stack) == ["masthead-tasks", "masthead-web", "masthead-web"]
        assert Path(f"/proc/{parent}/comm").read_text().strip() == "masthead-run"
        assert "masthead_clock" not in command_lines([parent, *stack])
        assert all(children(pid) == [] for pid in stack)
        # What the parent holds open its children inherit: no database or cache file (an SQLite
        # connection must not cross a fork).
        parent_files = [os.readlink(fd) for fd in Path(f"/proc/{parent}/fd").iterdir()]
        assert not [name for name in parent_files if str(tmp_path) in name], parent_files

        web = [pid for pid in stack if names([pid]) == ["masthead-web"]]
        time.sleep(5)  # past the start-up window, in which a death stops the stack instead
        os.kill(web[0], signal.SIGKILL)
        assert wait_until(lambda: len(children(parent)) == 3 and web[0] not in children(parent))
        with urllib.request.urlopen(f"{running.base}/", timeout=10) as response:
            assert response.status == 200
        stack = children(parent)
        running.process.send_signal(signal.SIGINT)  # Ctrl-C
        running.process.wait(timeout=30)
    finally:
        running.stop()
    assert running.process.returncode == 0, running.output
    assert not any(Path(f"/proc/{pid}").exists() for pid in stack), "a child outlived the stop"
