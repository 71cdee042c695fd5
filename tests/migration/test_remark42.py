"""Importing a Remark42 backup: users by id, votes, pins, deleted placeholders, loops, bad files."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from masthead.discussion.models import Comment, CommentStatus, Thread, Vote
from masthead.migration.models import ImportedObject
from tests.migration.conftest import DATA, run

pytestmark = pytest.mark.django_db

BACKUP = DATA / "remark42-backup.gz"


def comments() -> dict[str, Comment]:
    return {
        row.source_id: Comment.objects.get(pk=row.object_id)
        for row in ImportedObject.objects.filter(kind="comment", source="remark42:remark")
    }


def test_backup_comes_across_with_users_votes_pins_and_closures(db: Any) -> None:
    outcome = run("remark42", str(BACKUP), "--create-stubs")
    assert outcome.status == 0, outcome.err
    found = comments()
    first, second = found["a1"], found["a2"]
    # Two readers both called Alex stay two accounts.
    assert first.author_name == second.author_name == "Alex"
    assert first.user is not None and second.user is not None and first.user != second.user
    assert "3 imported" in outcome.out.split("user")[1].splitlines()[0]
    assert first.is_pinned and (first.upvotes, first.downvotes, first.score) == (2, 0, 2)
    assert (second.upvotes, second.downvotes) == (0, 1)
    assert Vote.objects.filter(comment=first).count() == 2
    assert Vote.objects.get(comment=second).voter_key == f"user:{first.user_id}"
    assert (
        second.created_at.isoformat() == "2021-03-01T09:05:00+00:00"
    )  # +01:00 read as given, kept in UTC
    assert found["a3"].status == CommentStatus.DELETED and found["a4"].parent == found["a3"]
    assert found["a4"].depth == 3 and found["a4"].root == first
    assert found["a5"].parent is None and "parent missing" in found["a5"].moderation["reason"]
    loop = {found["b1"].parent_id, found["b2"].parent_id}
    assert None in loop and loop != {None}  # one link of the loop cut, the other kept
    assert "parent loop: kept as top-level, flagged" in outcome.out
    closed = Thread.objects.get(url="https://blog.example.net/remark/closed/")
    assert closed.is_closed
    assert Thread.objects.get(url="https://blog.example.net/remark/open/").title == "Open post"


def test_rerun_keeps_one_vote_per_reader(db: Any) -> None:
    assert run("remark42", str(BACKUP), "--create-stubs").status == 0
    counts = (Comment.objects.count(), Vote.objects.count(), ImportedObject.objects.count())
    again = run("remark42", str(BACKUP), "--create-stubs")
    assert again.status == 0 and "7 unchanged" in again.out
    assert (Comment.objects.count(), Vote.objects.count(), ImportedObject.objects.count()) == counts


def write_backup(path: Path, lines: list[object], raw_tail: bytes = b"") -> Path:
    with gzip.open(path, "wb") as handle:
        for line in lines:
            handle.write(json.dumps(line).encode() + b"\n")
        handle.write(raw_tail)
    return path


def test_a_bad_line_is_a_reported_skip(db: Any, tmp_path: Path) -> None:
    meta = {"version": 1, "users": [], "posts": []}
    good = {
        "id": "c1",
        "pid": "",
        "text": "<p>ok</p>",
        "user": {"name": "Ann", "id": "u1"},
        "locator": {"site": "s", "url": "https://blog.example.net/x/"},
        "time": "2021-01-01T00:00:00Z",
    }
    path = write_backup(tmp_path / "b.gz", [meta, good, {"id": "c2"}], b"{not json\n\xff\xfe\n")
    outcome = run("remark42", str(path), "--create-stubs")
    assert outcome.status == 0
    assert "3 comment: not a Remark42 comment" in outcome.out
    assert Comment.objects.get().body == "<p>ok</p>"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"plain text, not gzip", "not a gzip file"),
        (gzip.compress(b'{"id": "c1"}\n', mtime=0), "not a Remark42 backup"),
        (gzip.compress(b'{"version": 2, "users": []}\n', mtime=0), "version 2 is not known"),
        (gzip.compress(b"", mtime=0), "not a Remark42 backup"),
        (gzip.compress(b"\xff\xfe\xfd\n", mtime=0), "not a Remark42 backup"),
    ],
)
def test_files_that_are_not_a_backup_end_with_one_line(
    db: Any, tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "backup.gz"
    path.write_bytes(content)
    outcome = run("remark42", str(path))
    assert outcome.status == 1 and expected in outcome.err
    assert len(outcome.err.strip().splitlines()) == 1 and "Traceback" not in outcome.err
