"""On PostgreSQL a transaction whose writes are all held and make one statement sends that statement
alone, without BEGIN and COMMIT (one round trip instead of three), and is still all or nothing, with
its on-commit work after it. A comment's or a reply's post is such a transaction. Anything else
keeps BEGIN and COMMIT."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from masthead.core import audit
from masthead.core.actors import Actor
from masthead.core.asked_together import Questions
from masthead.core.db.held_writes import transaction_combined, write
from masthead.core.errors import ApiError
from masthead.core.models import AuditEntry
from masthead.discussion import actions
from masthead.discussion.inputs import CommentInput
from masthead.discussion.models import Comment, Thread
from masthead.moderation.models import SubmissionLog
from tests.helpers import another_postgresql_connection, guest_actor

pytestmark = pytest.mark.django_db(transaction=True)

_ADD_TO_COUNT = (
    'UPDATE "discussion_thread" SET "comment_count" = "comment_count" + %s WHERE "id" = %s'
)


@pytest.fixture(autouse=True)
def postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (DATABASE_URL)")


@pytest.fixture
def other() -> Iterator[psycopg.Connection]:
    """A second connection, to see what the tested one has committed."""
    with another_postgresql_connection() as second:
        yield second


@contextmanager
def sent_to_the_server() -> Iterator[list[str]]:
    """What the connection sends, from libpq's own trace (the ORM's query log leaves BEGIN and
    COMMIT out): "BEGIN", "COMMIT", "ROLLBACK", or "statement" for any other."""
    connection.ensure_connection()
    pgconn = connection.connection.pgconn
    sent: list[str] = []
    with tempfile.TemporaryFile("w+") as trace:
        pgconn.trace(trace.fileno())
        pgconn.set_trace_flags(psycopg.pq.Trace.SUPPRESS_TIMESTAMPS | psycopg.pq.Trace.REGRESS_MODE)
        try:
            yield sent
        finally:
            pgconn.untrace()
            trace.seek(0)
            for line in trace.read().splitlines():
                fields = line.split("\t")
                if fields[0] != "F" or fields[2] not in {"Query", "Execute"}:
                    continue
                text = fields[3].strip().strip('"') if fields[2] == "Query" else ""
                sent.append(text if text in {"BEGIN", "COMMIT", "ROLLBACK"} else "statement")


def _count(thread: Thread) -> int:
    return Thread.objects.values_list("comment_count", flat=True).get(pk=thread.pk)


def test_held_writes_alone_in_a_transaction_go_as_one_statement_without_begin_or_commit(
    a_thread: Thread, other: psycopg.Connection
) -> None:
    before = _count(a_thread)
    with sent_to_the_server() as statements, transaction_combined():
        write(_ADD_TO_COUNT, [1, a_thread.pk])
        audit.record(Actor.system(), "test.alone", a_thread)
    assert statements == ["statement"]
    assert _count(a_thread) == before + 1
    assert other.execute(
        "SELECT count(*) FROM core_auditentry WHERE action = 'test.alone'"
    ).fetchone() == (1,)


def test_the_lone_statement_is_all_or_nothing(a_thread: Thread) -> None:
    before = _count(a_thread)
    with pytest.raises(IntegrityError), transaction_combined():
        audit.record(Actor.system(), "test.taken.back", a_thread)
        write(_ADD_TO_COUNT, [-before - 1, a_thread.pk])  # a negative count: the CHECK refuses it
    assert _count(a_thread) == before
    assert not AuditEntry.objects.filter(action="test.taken.back").exists()
    with transaction_combined():  # the connection goes on as ever
        write(_ADD_TO_COUNT, [1, a_thread.pk])
    assert _count(a_thread) == before + 1


def test_on_commit_work_runs_after_the_lone_statement_and_not_when_it_fails(
    a_thread: Thread, other: psycopg.Connection
) -> None:
    seen: list[object] = []

    def look() -> None:
        seen.append(
            other.execute(
                "SELECT comment_count FROM discussion_thread WHERE id = %s", [a_thread.pk]
            ).fetchone()
        )

    before = _count(a_thread)
    with transaction_combined():
        write(_ADD_TO_COUNT, [2, a_thread.pk])
        transaction.on_commit(look)
        assert seen == []
    assert seen == [(before + 2,)]  # committed when the callback ran, seen from elsewhere
    with pytest.raises(IntegrityError), transaction_combined():
        write(_ADD_TO_COUNT, [-before - 10, a_thread.pk])
        transaction.on_commit(look)
    assert seen == [(before + 2,)]


def test_a_transaction_that_sent_something_first_keeps_its_begin_and_commit(
    a_thread: Thread,
) -> None:
    before = _count(a_thread)
    with sent_to_the_server() as statements, transaction_combined():
        assert _count(a_thread) == before  # a read inside the transaction: BEGIN goes with it
        write(_ADD_TO_COUNT, [1, a_thread.pk])
    assert statements == ["BEGIN", "statement", "statement", "COMMIT"]
    assert _count(a_thread) == before + 1


def test_writes_that_make_two_statements_keep_begin_and_commit(a_thread: Thread) -> None:
    with sent_to_the_server() as statements, transaction_combined():
        audit.record(Actor.system(), "test.first", a_thread)
        audit.record(Actor.system(), "test.second", a_thread)  # the same table: a second statement
    assert statements == ["BEGIN", "statement", "statement", "COMMIT"]
    assert AuditEntry.objects.filter(action__in=["test.first", "test.second"]).count() == 2


def test_inside_another_transaction_the_writes_roll_back_with_it(a_thread: Thread) -> None:
    before = _count(a_thread)
    with pytest.raises(RuntimeError), transaction.atomic():
        with transaction_combined():
            write(_ADD_TO_COUNT, [1, a_thread.pk])
        raise RuntimeError
    assert _count(a_thread) == before


def test_a_comment_and_a_reply_each_write_in_one_statement(
    a_thread: Thread,
) -> None:
    actions.post_comment(  # the site's first post also makes its discussion settings
        guest_actor(), a_thread, CommentInput(body="First.", name="Cy", email="c@b.org")
    )
    actor = guest_actor()
    with sent_to_the_server() as statements, CaptureQueriesContext(connection) as logged:
        comment = actions.post_comment(
            actor, a_thread, CommentInput(body="One statement.", name="Ada", email="a@b.org")
        )
    assert "BEGIN" not in statements and "COMMIT" not in statements, statements
    (written,) = [
        query["sql"]
        for query in logged.captured_queries
        if query["sql"].startswith(("INSERT", "UPDATE", "WITH"))
    ]
    assert written.startswith("WITH") and 'INSERT INTO "discussion_comment"' in written
    stored = Comment.objects.get(pk=comment.pk)
    assert (stored.body, stored.author_name, stored.status) == ("One statement.", "Ada", "approved")
    assert SubmissionLog.objects.filter(comment_id=comment.pk).exists()
    assert AuditEntry.objects.filter(action="comment.post", object_id=str(comment.pk)).exists()

    with sent_to_the_server() as statements:
        reply = actions.post_comment(
            guest_actor(),
            a_thread,
            CommentInput(body="A reply.", name="Bo", email="b@b.org", parent_id=comment.pk),
        )
    # The parent's count shares the reply's statement: it was there before the reply's INSERT.
    assert "BEGIN" not in statements and "COMMIT" not in statements, statements
    assert Comment.objects.get(pk=comment.pk).reply_count == 1
    assert Comment.objects.get(pk=reply.pk).parent_id == comment.pk
    assert _count(a_thread) == 3


def test_a_copy_is_refused_before_anything_is_written(a_thread: Thread) -> None:
    actor = guest_actor()
    data = CommentInput(body="Said twice.", name="Ada", email="a@b.org")
    actions.post_comment(actor, a_thread, data)
    with CaptureQueriesContext(connection) as logged, pytest.raises(ApiError) as refused:
        actions.post_comment(actor, a_thread, data)
    assert (refused.value.status, refused.value.code) == (409, "duplicate")
    assert not [
        query for query in logged.captured_queries if query["sql"].startswith(("INSERT", "WITH"))
    ]
    assert Comment.objects.filter(thread=a_thread).count() == 1
    assert _count(a_thread) == 1


def test_reserved_ids_are_new_and_increasing() -> None:
    questions = Questions()
    questions.reserve_id("first", Comment)
    first = questions.reserved_id("first", Comment)
    assert questions.reserved_id("first", Comment) == first  # asked once, kept
    second = Questions().reserved_id("second", Comment)
    assert second > first
    assert not Comment.objects.filter(pk__in=[first, second]).exists()
