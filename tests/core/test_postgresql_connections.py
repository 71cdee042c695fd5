"""On PostgreSQL a worker's connection prepares the statements it repeats, and is checked between
requests without a round trip, yet one the server has ended is never used."""

from __future__ import annotations

import json
import select
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.helpers import another_postgresql_connection, settings_process

pytestmark = pytest.mark.django_db(transaction=True)
ELSEWHERE = {
    "DATABASE_URL": "postgres://u:p@db.invalid:5432/news"
}  # settings only, never connected


@pytest.fixture
def postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (DATABASE_URL)")


@pytest.fixture
def admin(postgresql: None) -> Iterator[psycopg.Connection]:
    """A connection of its own, to look at and end the one under test. The one under test starts
    new: one kept from earlier tests may be past its CONN_MAX_AGE and replaced between requests
    for that reason alone."""
    connection.close()
    with another_postgresql_connection() as other:
        yield other


def backend_pid() -> int:
    connection.ensure_connection()
    return int(connection.connection.info.backend_pid)


def last_statement(admin: psycopg.Connection, pid: int) -> str:
    row = admin.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
    assert row is not None
    return str(row[0])


def wait_for_the_server_to_speak(seconds: float = 10) -> None:
    """Until what the server sent (its goodbye, a notification) is on the tested connection's
    socket: on a busy machine that may take a moment after the other connection's statement."""
    poller = select.poll()
    poller.register(connection.connection.fileno(), select.POLLIN)
    assert poller.poll(seconds * 1000), "nothing arrived from the server"


def between_requests() -> None:
    """What Django does when a request finishes and the next one starts with a kept connection."""
    connection.close_if_unusable_or_obsolete()


def test_a_statement_used_twice_is_prepared(postgresql: None) -> None:
    statement = "SELECT %s::int + 1 AS masthead_probe"
    with connection.cursor() as cursor:
        for value in (1, 2):
            cursor.execute(statement, [value])
            assert cursor.fetchone() == (value + 1,)
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any("masthead_probe" in text and "$1" in text for text in prepared), prepared


def test_a_healthy_connection_is_reused_without_asking_the_server(
    admin: psycopg.Connection,
) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'the last thing this request asked'")
    pid = backend_pid()
    between_requests()
    connection.cursor().close()  # the next request's first use: the health check runs here
    assert backend_pid() == pid
    assert last_statement(admin, pid) == "SELECT 'the last thing this request asked'"


def test_a_connection_the_server_ended_is_replaced_before_the_next_request(
    admin: psycopg.Connection,
) -> None:
    pid = backend_pid()
    admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    wait_for_the_server_to_speak()
    between_requests()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 41 + 1")
        assert cursor.fetchone() == (42,)
    assert backend_pid() != pid


def test_a_connection_with_something_unexpected_to_read_is_asked_and_kept(
    admin: psycopg.Connection,
) -> None:
    """A notification waiting on the socket is no sign of an ended connection: Django's own check
    (SELECT 1) decides, and the connection stays."""
    with connection.cursor() as cursor:
        cursor.execute("LISTEN masthead_probe")
    pid = backend_pid()
    admin.execute("NOTIFY masthead_probe, 'hello'")
    wait_for_the_server_to_speak()
    between_requests()
    connection.cursor().close()
    assert backend_pid() == pid
    assert last_statement(admin, pid) == "SELECT 1"
    with connection.cursor() as cursor:
        cursor.execute("UNLISTEN *")


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({}, {"server_side_binding": True, "prepare_threshold": 1}),
        ({"MASTHEAD_PG_PREPARED_STATEMENTS": "off"}, {}),
    ],
)
def test_prepared_statements_are_chosen_by_environment(
    tmp_path: Path, variables: dict[str, str], expected: dict[str, object]
) -> None:
    code = (
        "from django.conf import settings as s; import json; o = s.DATABASES['default']['OPTIONS']; "
        "print(s.DATABASES['default']['ENGINE'], json.dumps({k: o[k] for k in "
        "('server_side_binding', 'prepare_threshold') if k in o}, sort_keys=True))"
    )
    result = settings_process(tmp_path / "data", {**ELSEWHERE, **variables}, code)
    engine, options = result.stdout.strip().split(" ", 1)
    assert engine == "masthead.core.db.postgresql", result.stderr
    assert json.loads(options) == expected


def test_a_misspelt_prepared_statements_setting_is_refused(tmp_path: Path) -> None:
    result = settings_process(
        tmp_path / "data", {**ELSEWHERE, "MASTHEAD_PG_PREPARED_STATEMENTS": "yes please"}
    )
    assert result.returncode != 0
    assert "MASTHEAD_PG_PREPARED_STATEMENTS='yes please': use on or off" in result.stderr
