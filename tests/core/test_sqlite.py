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
