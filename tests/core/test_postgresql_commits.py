"""On PostgreSQL a commit does not wait for its WAL to be flushed (the SQLite default's durability),
unless MASTHEAD_PG_SYNCHRONOUS_COMMIT says otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from tests.helpers import settings_process


@pytest.mark.django_db
def test_the_connection_commits_without_waiting_for_the_disk() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (DATABASE_URL)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("off",)


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({}, "-c synchronous_commit=off"),
        ({"MASTHEAD_PG_SYNCHRONOUS_COMMIT": "on"}, "-c synchronous_commit=on"),
        (
            {"DATABASE_URL": "postgres://u:p@db.invalid:5432/news?options=-c%20work_mem%3D8MB"},
            "-c work_mem=8MB -c synchronous_commit=off",
        ),
    ],
)
def test_the_commit_mode_is_chosen_by_environment(
    tmp_path: Path, variables: dict[str, str], expected: str
) -> None:
    code = (
        "from django.conf import settings as s; print(s.DATABASES['default']['OPTIONS']['options'])"
    )
    result = settings_process(
        tmp_path / "data",
        {"DATABASE_URL": "postgres://u:p@db.invalid:5432/news", **variables},
        code,
    )
    assert result.stdout.strip() == expected, result.stderr
