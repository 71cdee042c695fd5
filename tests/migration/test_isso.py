"""Importing Isso databases written by Isso itself (0.14 from PyPI): tree, statuses, votes, re-runs."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from masthead.discussion.models import Comment, CommentStatus, Thread
from masthead.migration.models import ImportedObject, ImportRun
from tests.migration.conftest import DATA, SHARED, run

pytestmark = pytest.mark.django_db

ISSO = str(DATA / "isso-threads.db")


def test_isso_database_comes_across_whole(db: Any) -> None:
    outcome = run("isso", ISSO, "--create-stubs", "--site-url", "https://valley.example/")
    assert outcome.status == 0, outcome.err
    assert "2 imported" in outcome.out
    water = Thread.objects.get(url="https://valley.example/2020/01/water/")
    assert water.title == "Water shortages in the valley" and water.page_id is None
    by_author = {c.author_name: c for c in Comment.objects.filter(thread=water)}
    ada, bob, cy = by_author["Ada"], by_author["Bob"], by_author["Cy"]
    # Isso's flattening is kept as Isso stored it: Cy answered Bob, Isso filed it under Ada.
    assert bob.parent == ada and cy.parent == ada and cy.root == ada and cy.depth == 1
    assert ada.html == "<p>The <strong>reservoir</strong> is at 30%.</p>"
    assert ada.author_email == "ada@example.org"
    assert (ada.upvotes, ada.downvotes, ada.score) == (3, 1, 2)
    assert ada.reply_count == 2 and ada.created_at.isoformat() == "2020-01-01T12:01:00+00:00"
    assert bob.edited_at is not None and "example.org/report" in bob.html
    assert by_author["Dee"].status == CommentStatus.PENDING
    placeholder = Comment.objects.get(thread=water, status=CommentStatus.DELETED)
    assert placeholder.children.get().author_name == "Fay"
    assert ada.ip_hash and len(ada.ip_hash) == 32 and "192.0.2.1" not in ada.ip_hash
    water.refresh_from_db()
    assert water.comment_count == 4  # Ada, Bob, Cy, Fay: pending and deleted are not counted
    # Readers see what Isso showed: the placeholder holds Fay's reply, the pending one is hidden.
    listing = Client().get(f"/api/v1/threads/{water.pk}/comments?sort=oldest&limit=all").json()
    names = [item["author"]["name"] for item in listing["items"]]
    assert "Dee" not in names and "[deleted]" in names
    assert ImportedObject.objects.filter(source="isso:valley.example", kind="comment").count() == 8
    run_row = ImportRun.objects.get()
    assert run_row.status == "succeeded" and run_row.report["counts"]["comment"]["imported"] == 8


def test_the_shared_isso_database_imports_with_its_pending_comment(db: Any) -> None:
    outcome = run("isso", str(SHARED / "isso-0.14.db"), "--create-stubs")
    assert outcome.status == 0, outcome.err
    assert Thread.objects.filter(page__isnull=True).count() == 3
    assert Comment.objects.count() == 60
    assert Comment.objects.filter(status=CommentStatus.PENDING).count() == 1


def test_rerun_duplicates_nothing_and_updates_what_changed(data_copy: Any) -> None:
    path: Path = data_copy("isso-threads.db")
    assert run("isso", str(path), "--create-stubs").status == 0
    rows = Comment.objects.count()
    again = run("isso", str(path), "--create-stubs")
    assert again.status == 0 and "8 unchanged" in again.out
    assert Comment.objects.count() == rows
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE comments SET text = 'Now at 25%.', mode = 1 WHERE id = 1")
        connection.execute("UPDATE comments SET mode = 1 WHERE id = 4")
    third = run("isso", str(path), "--create-stubs")
    assert "2 updated" in third.out and "6 unchanged" in third.out
    assert Comment.objects.count() == rows
    assert Comment.objects.get(author_name="Ada").html == "<p>Now at 25%.</p>"
    assert Comment.objects.get(author_name="Dee").status == CommentStatus.APPROVED


def test_dry_run_writes_nothing_and_prints_the_same_report(db: Any) -> None:
    dry = run("isso", ISSO, "--create-stubs", "--dry-run")
    assert dry.status == 0 and "dry run" in dry.out
    assert not Comment.objects.exists() and not Thread.objects.exists()
    assert not ImportedObject.objects.exists() and not ImportRun.objects.exists()
    real = run("isso", ISSO, "--create-stubs")
    assert real.out.replace(" (dry run: nothing was written)", "") == dry.out.replace(
        " (dry run: nothing was written)", ""
    )


def test_without_stubs_threads_of_no_article_are_reported(db: Any) -> None:
    outcome = run("isso", ISSO)
    assert outcome.status == 0
    assert "2 thread: no article at URL" in outcome.out
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not an Isso database"),
        (b"SQLite format 3\x00" + b"\x00" * 80, "not an Isso database"),
        (b"<xml>not sqlite at all</xml>" * 100, "not an Isso database"),
    ],
)
def test_a_file_that_is_not_an_isso_database_is_one_line(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "comments.db"
    path.write_bytes(content)
    outcome = run("isso", str(path))
    assert outcome.status == 1
    assert message in outcome.err and "Traceback" not in outcome.err
    assert len(outcome.err.strip().splitlines()) == 1
    assert ImportRun.objects.get().status == "failed"


def test_a_missing_file_and_a_plain_sqlite_file_are_refused(tmp_path: Path, db: Any) -> None:
    missing = run("isso", str(tmp_path / "nope.db"))
    assert missing.status == 1 and "no such file" in missing.err
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE threads (x)")
    refused = run("isso", str(other))
    assert refused.status == 1 and "not an Isso database" in refused.err


def test_invalid_utf8_in_a_comment_is_replaced_and_reported(data_copy: Any) -> None:
    path: Path = data_copy("isso-threads.db")
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE comments SET text = CAST(X'4869FF21' AS TEXT) WHERE id = 7")
    outcome = run("isso", str(path), "--create-stubs")
    assert outcome.status == 0
    assert "invalid UTF-8" in outcome.out
    assert Comment.objects.get(body__startswith="Hi").body == "Hi\ufffd!"
