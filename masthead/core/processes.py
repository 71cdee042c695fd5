"""The processes of `masthead run`: one parent that loads the application once, and children forked from
it, which share what it loaded.

The parent imports `masthead.asgi` (Django set up, every view and hook imported, start-up objects
frozen out of the collector), binds the listening socket, and forks the web workers (uvicorn, one
event loop each, all accepting on that socket) and the task worker (`masthead_worker`: the tasks and,
on a thread, the clock). A forked child starts with the parent's memory, shared copy-on-write: only
the pages a child writes become its own, so each extra process costs a fraction of a fresh
interpreter's ~130 MiB (bench/RESULTS.md, "Memory"). uvicorn's own `--workers` spawns fresh
interpreters that each import everything again.

The parent serves nothing and opens no database connection: it waits for signals. SIGTERM, SIGINT
(Ctrl-C) or SIGHUP stops every child (web workers get uvicorn's graceful shutdown, at most
`timeout_graceful_shutdown` seconds for open event streams) and then the parent; a child that dies
on its own is forked again, unless it died during its start, which would repeat.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

WEB = "masthead-web"
TASKS = "masthead-tasks"
PARENT = "masthead-run"
# SIGHUP too: the parent's default would end it alone and leave its children running (under nohup
# it stays ignored).
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
# A child that dies sooner than this after its fork is failing at start-up (the application does not
# load, the database cannot be opened): forking it again would repeat that, so the stack stops.
START_SECONDS = 5.0
# How long the parent waits for its children to stop before it kills them: longer than the web
# workers' graceful shutdown (cli.py gives them 10 s for open streams). RQ's worker (with Redis) can
# take up to a minute after its warm shutdown: it joins its pub/sub thread, which may be asleep for
# 60 s (rq 3.0 with redis-py 8.2); its work loop has ended by then, so the kill loses nothing.
STOP_SECONDS = 20.0


def name_this_process(name: str) -> None:
    """Name the process as `ps -o comm`, top and /proc/PID/comm show it (Linux; elsewhere a no-op)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/comm").write_text(name[:15])


def fork_child(body: Callable[[], object], *, interrupted_code: int = 0) -> int:
    """Fork; in the child run `body` and leave with its exit code (0, a SystemExit's code, or 1 after
    printing the traceback; `interrupted_code` on Ctrl-C), never returning into the caller's code.
    Returns the child's pid to the parent."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        body()
        code = 0
    except KeyboardInterrupt:
        code = interrupted_code
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def run_forked(body: Callable[[], object], *, interrupted_code: int = 1) -> int:
    """Run `body` in a forked child, wait for it, and return its exit code."""
    _, status = os.waitpid(fork_child(body, interrupted_code=interrupted_code), 0)
    return os.waitstatus_to_exitcode(status)


@dataclass
class Child:
    kind: str
    started: float


def preload_application() -> None:
    """Import the application in this process so that forked children share it; leave nothing open
    (database connections) that a child would inherit."""
    from django.db import connections

    import masthead.asgi  # noqa: F401  - Django set up, views and hooks imported, gc frozen
    from masthead.core.db.sqlite3.base import close_idle_connections

    connections.close_all()
    close_idle_connections()  # close_all() keeps SQLite connections for reuse in the process


def _run_web_worker(config: Any, listener: socket.socket) -> None:
    import uvicorn

    uvicorn.Server(config).run(sockets=[listener])


def _run_task_worker(listener: socket.socket) -> None:
    from django.core.management import call_command

    listener.close()
    call_command("masthead_worker")


class Supervisor:
    def __init__(
        self, config: Any, listener: socket.socket, workers: int, with_tasks: bool
    ) -> None:
        self.config = config
        self.listener = listener
        self.wanted = [WEB] * workers + ([TASKS] if with_tasks else [])
        self.children: dict[int, Child] = {}

    def fork(self, kind: str) -> None:
        def work() -> None:
            signal.pthread_sigmask(signal.SIG_SETMASK, set())
            name_this_process(kind)
            if kind == WEB:
                _run_web_worker(self.config, self.listener)
            else:
                _run_task_worker(self.listener)

        pid = fork_child(work)
        self.children[pid] = Child(kind, time.monotonic())

    def reap(self) -> list[tuple[Child, int]]:
        """The children that have ended since the last call, with their exit codes."""
        ended = []
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            child = self.children.pop(pid, None)
            if child is not None:
                ended.append((child, os.waitstatus_to_exitcode(status)))
        return ended

    def run(self) -> int:
        """Fork the children, keep them running until a stop signal, then stop them; the exit code."""
        watched = {*STOP_SIGNALS, signal.SIGCHLD}
        signal.pthread_sigmask(signal.SIG_BLOCK, watched)
        name_this_process(PARENT)
        for kind in self.wanted:
            self.fork(kind)
        code = 0
        while True:
            received = signal.sigwait(watched)
            if received in STOP_SIGNALS:
                break
            failed = False
            for child, exit_code in self.reap():
                if time.monotonic() - child.started < START_SECONDS:
                    print(
                        f"A {child.kind} process ended during its start (exit code {exit_code}); stopping.",
                        file=sys.stderr,
                    )
                    failed = True
                else:
                    self.fork(child.kind)
            if failed:
                code = 1
                break
        self.stop()
        return code

    def stop(self) -> None:
        for pid in self.children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        while self.children and time.monotonic() < deadline:
            self.reap()
            if self.children:
                pause = max(0.0, min(0.5, deadline - time.monotonic()))
                if hasattr(signal, "sigtimedwait"):  # not on macOS
                    signal.sigtimedwait({signal.SIGCHLD}, pause)
                else:
                    time.sleep(min(pause, 0.05))
        for pid in list(self.children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            del self.children[pid]


def serve(config: Any, workers: int, with_tasks: bool) -> int:
    """Bind the socket of `config` (a uvicorn Config), load the application, and run `workers` web
    workers and (with `with_tasks`) the task worker, forked from this process, until stopped."""
    listener = config.bind_socket()
    preload_application()
    return Supervisor(config, listener, workers, with_tasks).run()
