"""The embedded database is tuned for a web server."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout_and_immediate_writes() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal: Any = cursor.fetchone()
        cursor.execute("PRAGMA busy_timeout")
        timeout: Any = cursor.fetchone()
        cursor.execute("PRAGMA synchronous")
        synchronous: Any = cursor.fetchone()
    assert journal[0] == "wal"
    assert timeout[0] >= 5000
    assert synchronous[0] == 1  # NORMAL
    assert connection.transaction_mode == "IMMEDIATE"


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_take_turns_and_none_fails() -> None:
    """Threads (one connection each, as under ASGI) write in overlapping transactions: all commit."""
    import threading

    from django.db import connections, transaction

    from masthead.core.models import AuditEntry

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for n in range(15):
                with transaction.atomic():
                    AuditEntry.objects.create(actor_label=f"w{worker}", action=f"test.{n}")
                    AuditEntry.objects.filter(actor_label=f"w{worker}").count()
        except BaseException as error:  # the assertion below reports it
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEntry.objects.filter(action__startswith="test.").count() == 90


def test_idle_connections_are_reused_but_never_for_a_replaced_file(
    tmp_path: Any, django_db_blocker: Any
) -> None:
    with django_db_blocker.unblock():
        check_reuse(tmp_path)


def check_reuse(tmp_path: Any) -> None:
    from masthead.core.db.sqlite3.base import DatabaseWrapper

    path = tmp_path / "reuse.sqlite3"
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    settings = {**connection.settings_dict, "NAME": str(path), "TEST": {}}
    first = DatabaseWrapper(settings, alias="reuse")
    first.ensure_connection()
    raw = first.connection
    first.close()
    again = DatabaseWrapper(settings, alias="reuse")
    again.ensure_connection()
    assert again.connection is raw  # no new connection, no PRAGMAs again
    again.close()
    path.unlink()  # the file is deleted and made anew (as test databases are)
    fresh = DatabaseWrapper(settings, alias="reuse")
    fresh.ensure_connection()
    assert fresh.connection is not raw
    with fresh.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    fresh.close()


@pytest.mark.django_db(transaction=True)
def test_a_write_transaction_holds_the_writers_file_lock_until_it_ends() -> None:
    """Other processes' writers wait on this lock (woken as soon as it is released), not on SQLite's
    sleeping busy handler."""
    import fcntl
    import os

    from django.db import transaction

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    path = f"{connection.settings_dict['NAME']}-writelock"

    def free() -> bool:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False
        finally:
            os.close(fd)

    with transaction.atomic():
        assert not free()
    assert free()
    try:
        with transaction.atomic():
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    assert free()


def test_a_writer_waiting_for_the_file_lock_gets_it_once_the_holder_lets_go(tmp_path: Any) -> None:
    import fcntl
    import os
    import threading

    from masthead.core.db.sqlite3.base import lock_file

    path = str(tmp_path / "writelock")
    holder = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(holder, fcntl.LOCK_EX)
    released = threading.Event()

    def let_go() -> None:
        released.wait(10)
        os.close(holder)

    threading.Thread(target=let_go).start()
    waiter = os.open(path, os.O_RDWR)
    outcome: list[bool] = []
    wanting = threading.Thread(target=lambda: outcome.append(lock_file(waiter, 10)))
    wanting.start()
    wanting.join(0.3)
    assert wanting.is_alive() and not outcome, "it waits while the lock is held"
    released.set()
    wanting.join(10)
    assert outcome == [True]
    other = os.open(path, os.O_RDWR)
    with pytest.raises(BlockingIOError):
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the waiter holds it now
    os.close(waiter)
    fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.close(other)


def test_a_writer_gives_up_after_the_timeout_and_the_lock_is_not_left_taken(tmp_path: Any) -> None:
    import fcntl
    import os
    import time

    from masthead.core.db.sqlite3.base import lock_file

    path = str(tmp_path / "writelock")
    holder = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(holder, fcntl.LOCK_EX)
    assert lock_file(os.open(path, os.O_RDWR), 0.2) is False
    os.close(holder)
    # The helper that was still waiting takes the lock and gives it straight back.
    other = os.open(path, os.O_RDWR)
    deadline = time.monotonic() + 10
    while True:
        try:
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            assert time.monotonic() < deadline, "the abandoned wait kept the lock"
            time.sleep(0.01)
    os.close(other)
