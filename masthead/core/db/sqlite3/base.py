"""SQLite for a web server with several processes: writers queue on a file lock, not on SQLite's sleeps.

Every write transaction starts with BEGIN IMMEDIATE (settings), so writers already take turns. When
the lock is taken, SQLite's busy handler makes the others sleep 1, 2, 5, 10, 15, 20, 25... ms between
tries; under a burst of posts from two web workers most of their time went to those sleeps (p50 of a
post ~90 ms for ~15 ms of work). Here a writer first takes an advisory lock on a file next to the
database, so the next writer starts as soon as the previous one commits. Threads of one process
(each request runs on a thread of its own, with its own connection) first queue on a lock in the
process, so only one of them waits for the file. That wait is a blocking flock() on a helper
thread: the writer sleeps in the kernel, costs no CPU and wakes the moment the lock is free.
(Polling the file every 0.5-2 ms instead lost up to a poll interval at every hand-over and cost
about 30% of posting throughput; see bench/RESULTS.md.) Past the busy timeout a writer stops
waiting and lets SQLite decide, so a stuck process cannot hang the others; the helper then releases
the lock as soon as it gets it.

Connections are also kept for reuse in the process: under ASGI every request gets a new thread and so
a new connection, and opening one (mapping the WAL index, the PRAGMAs) cost ~2 ms a request.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from typing import Any

from django.db.backends.sqlite3 import base

_process_writer = threading.Lock()
IDLE_CONNECTIONS = 8
_idle: dict[str, list[tuple[int, Any]]] = {}  # database file -> (its inode, an idle connection)
_idle_lock = threading.Lock()


def close_idle_connections() -> None:
    """Close the connections kept for reuse: before this process forks (core/processes.py), so that
    no child inherits one (an SQLite connection must not cross a fork)."""
    with _idle_lock:
        entries = [connection for idle in _idle.values() for _, connection in idle]
        _idle.clear()
    for connection in entries:
        connection.close()


def _inode(path: str) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


def lock_file(fd: int, timeout: float) -> bool:
    """Take the exclusive flock on `fd` within `timeout` seconds: True when held.

    On False the descriptor belongs to a helper thread still waiting for the lock, which closes it
    (releasing the lock) once it gets it; the caller must not use or close it.
    """
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        pass
    acquired = threading.Event()
    decided = threading.Lock()
    abandoned = False

    def wait() -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with decided:
            if abandoned:
                os.close(fd)
            else:
                acquired.set()

    threading.Thread(target=wait, name="masthead-sqlite-writelock", daemon=True).start()
    if acquired.wait(timeout):
        return True
    with decided:
        if acquired.is_set():
            return True
        abandoned = True
    return False


# django-stubs leave out the private hooks overridden here.
_SQLiteWrapper: Any = base.DatabaseWrapper


class DatabaseWrapper(_SQLiteWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._write_lock: int | None = None
        self._holds_process_lock = False

    def _pooled(self) -> bool:
        return not self.is_in_memory_db()

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        name = str(self.settings_dict["NAME"])
        if self._pooled():
            inode = _inode(name)
            while True:
                with _idle_lock:
                    idle = _idle.get(name)
                    entry = idle.pop() if idle else None
                if entry is None:
                    break
                if entry[0] == inode:  # the same file: not deleted and re-made (tests do that)
                    return entry[1]
                entry[1].close()
        return super().get_new_connection(conn_params)

    def _close(self) -> None:
        try:
            connection = self.connection
            name = str(self.settings_dict["NAME"])
            if connection is not None and self._pooled() and not connection.in_transaction:
                inode = _inode(name)
                with _idle_lock:
                    idle = _idle.setdefault(name, [])
                    if inode is not None and len(idle) < IDLE_CONNECTIONS:
                        idle.append((inode, connection))
                        return
            super()._close()
        finally:
            self._release_write_lock()

    def _lock_path(self) -> str | None:
        if self.transaction_mode not in ("IMMEDIATE", "EXCLUSIVE") or self.is_in_memory_db():
            return None
        return f"{self.settings_dict['NAME']}-writelock"

    def _take_write_lock(self) -> None:
        path = self._lock_path()
        if path is None or self._holds_process_lock:
            return
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        deadline = time.monotonic() + timeout
        if not _process_writer.acquire(timeout=timeout):
            return  # SQLite's own busy timeout has the last word
        self._holds_process_lock = True
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        if lock_file(fd, max(0.0, deadline - time.monotonic())):
            self._write_lock = fd

    def _release_write_lock(self) -> None:
        fd, self._write_lock = self._write_lock, None
        if fd is not None:
            os.close(fd)  # closing the descriptor releases its lock
        if self._holds_process_lock:
            self._holds_process_lock = False
            _process_writer.release()

    def _start_transaction_under_autocommit(self) -> None:
        self._take_write_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self) -> None:
        try:
            super()._rollback()
        finally:
            self._release_write_lock()
