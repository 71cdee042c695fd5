"""Held writes: sent at the end of the block (on PostgreSQL as one statement), in order with
everything else the transaction does, and all or nothing with it. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from masthead.core import audit
from masthead.core.actors import Actor
from masthead.core.db.held_writes import write, writes_combined
from masthead.core.models import AuditEntry
from masthead.discussion import actions
from masthead.discussion.inputs import CommentInput
from masthead.discussion.models import Thread
from masthead.moderation.models import AuthorRecord, SubmissionLog
from tests.helpers import guest_actor

pytestmark = pytest.mark.django_db

_ADD_TO_COUNT = (
    'UPDATE "discussion_thread" SET "comment_count" = "comment_count" + %s WHERE "id" = %s'
)


def _add(thread: Thread, amount: int) -> None:
    write(_ADD_TO_COUNT, [amount, thread.pk])


def _count(thread: Thread) -> int:
    return Thread.objects.values_list("comment_count", flat=True).get(pk=thread.pk)


def test_held_writes_all_reach_the_database_at_the_end_of_the_block(a_thread: Thread) -> None:
    before = _count(a_thread)
    with transaction.atomic(), writes_combined():
        _add(a_thread, 2)
        audit.record(Actor.system(), "test.held", a_thread, after={"n": 1})
        _add(a_thread, 3)  # the same row again: both changes count
        audit.record(Actor.system(), "test.held", a_thread, after={"n": 2})
    assert _count(a_thread) == before + 5
    rows = AuditEntry.objects.filter(action="test.held").order_by("id")
    assert [row.after for row in rows] == [{"n": 1}, {"n": 2}]
    assert {row.object_id for row in rows} == {str(a_thread.pk)}


def test_a_statement_in_the_block_sees_every_write_made_before_it(a_thread: Thread) -> None:
    before = _count(a_thread)
    with transaction.atomic(), writes_combined():
        _add(a_thread, 4)
        assert _count(a_thread) == before + 4
        audit.record(Actor.system(), "test.seen", a_thread)
        assert AuditEntry.objects.filter(action="test.seen").count() == 1


def test_a_savepoint_rolled_back_in_the_block_takes_back_only_its_own_writes(
    a_thread: Thread,
) -> None:
    before = _count(a_thread)

    class Refused(Exception):
        pass

    with transaction.atomic(), writes_combined():
        _add(a_thread, 1)
        try:
            with transaction.atomic():
                _add(a_thread, 10)
                raise Refused
        except Refused:
            pass
        _add(a_thread, 100)
    assert _count(a_thread) == before + 101


def test_a_held_write_that_fails_fails_the_transaction_and_nothing_is_kept(
    a_thread: Thread,
) -> None:
    before = _count(a_thread)
    with pytest.raises(IntegrityError), transaction.atomic(), writes_combined():
        _add(a_thread, 7)
        audit.record(Actor.system(), "test.lost", a_thread)
        write('INSERT INTO "core_auditentry" ("action") VALUES (%s)', ["test.broken"])
    assert _count(a_thread) == before
    assert not AuditEntry.objects.filter(action__startswith="test.").exists()


def test_outside_a_block_a_write_runs_at_once(a_thread: Thread) -> None:
    before = _count(a_thread)
    _add(a_thread, 1)
    assert _count(a_thread) == before + 1


def test_writes_to_different_tables_share_one_statement_on_postgresql(a_thread: Thread) -> None:
    with CaptureQueriesContext(connection) as queries, transaction.atomic(), writes_combined():
        _add(a_thread, 1)
        audit.record(Actor.system(), "test.one", a_thread)
        audit.record(Actor.system(), "test.two", a_thread)  # a second write to the audit table
    sent = [query["sql"] for query in queries.captured_queries if "SAVEPOINT" not in query["sql"]]
    if connection.vendor == "postgresql":
        assert len(sent) == 2  # (counter, first audit row), then the second audit row on its own
        assert sent[0].startswith("WITH w0 AS (UPDATE") and "test.one" in sent[0]
        assert "test.two" in sent[1] and "WITH" not in sent[1]
    else:
        assert len(sent) == 3
    assert AuditEntry.objects.filter(action__in=["test.one", "test.two"]).count() == 2


def test_a_change_of_rows_there_before_shares_a_statement_with_inserts_into_its_table(
    a_thread: Thread,
) -> None:
    """`on_existing_rows` lets an UPDATE of rows the block did not insert join the block's INSERT
    into the same table; without it, or beside another UPDATE of that table, it goes apart."""
    rename = 'UPDATE "core_auditentry" SET "note" = %s WHERE "action" = %s'
    audit.record(Actor.system(), "test.there.before", a_thread)
    with CaptureQueriesContext(connection) as queries, transaction.atomic(), writes_combined():
        audit.record(Actor.system(), "test.new", a_thread)
        write(rename, ["renamed", "test.there.before"], on_existing_rows=True)
        write(rename, ["renamed twice", "test.there.before"], on_existing_rows=True)
        write(rename, ["not beside", "test.new"])
    sent = [query["sql"] for query in queries.captured_queries if "SAVEPOINT" not in query["sql"]]
    if connection.vendor == "postgresql":
        # (INSERT, first UPDATE), then each other UPDATE of the table on its own.
        assert len(sent) == 3
        assert sent[0].startswith("WITH w0 AS (INSERT") and sent[0].count("core_auditentry") == 2
    else:
        assert len(sent) == 4
    notes = dict(AuditEntry.objects.values_list("action", "note"))
    assert notes["test.there.before"] == "renamed twice"
    assert notes["test.new"] == "not beside"


def test_a_post_sends_its_writes_after_the_insert_together_and_stores_them_all(
    a_thread: Thread,
) -> None:
    actor = guest_actor()
    before = _count(a_thread)
    with CaptureQueriesContext(connection) as queries:
        comment = actions.post_comment(
            actor,
            a_thread,
            CommentInput(body="Held writes, all of them.", name="Ada", email="ada@example.org"),
        )
    assert _count(a_thread) == before + 1
    assert AuditEntry.objects.filter(action="comment.post", object_id=str(comment.pk)).exists()
    assert SubmissionLog.objects.filter(comment_id=comment.pk).exists()
    assert AuthorRecord.objects.filter(approved_count=1).exists()
    sent = [query["sql"] for query in queries.captured_queries if "SAVEPOINT" not in query["sql"]]
    inserted = next(n for n, sql in enumerate(sent) if 'INSERT INTO "discussion_comment"' in sql)
    before, after = sent[:inserted], sent[inserted + 1 :]
    if connection.vendor == "postgresql":
        # The duplicate check and the new comment's id are asked with the post's other reads; the
        # comment's INSERT is held with the rest and all of them go as one statement.
        (asked,) = [sql for sql in before if '"discussion_comment"' in sql]
        assert "nextval(pg_get_serial_sequence" in asked and "notifications_subscription" in asked
        assert after == []
        for table in (
            "discussion_thread",
            "core_auditentry",
            "moderation_submissionlog",
            "moderation_authorrecord",
        ):
            assert f'"{table}"' in sent[inserted]
    else:
        # The duplicate check is asked by the INSERT itself, not by a read before it.
        assert sent[inserted].startswith('INSERT INTO "discussion_comment"')
        assert "EXISTS" in sent[inserted]
        assert not [sql for sql in before if '"discussion_comment"' in sql]
        assert len(after) >= 4


def test_a_write_that_returns_its_row_hands_it_on_once_it_has_run(a_thread: Thread) -> None:
    before = _count(a_thread)
    returned: list[tuple[object, ...]] = []
    returning = _ADD_TO_COUNT + ' RETURNING "comment_count"'
    with CaptureQueriesContext(connection) as queries, transaction.atomic(), writes_combined():
        audit.record(Actor.system(), "test.before", a_thread)
        write(returning, [2, a_thread.pk], then=returned.append)
        audit.record(Actor.system(), "test.after", a_thread)  # the audit table again: sent apart
        assert returned == []  # held until the block's end
    assert returned == [(before + 2,)]
    assert _count(a_thread) == before + 2
    assert AuditEntry.objects.filter(action__in=["test.before", "test.after"]).count() == 2
    if connection.vendor == "postgresql":
        sent = [
            query["sql"] for query in queries.captured_queries if "SAVEPOINT" not in query["sql"]
        ]
        assert len(sent) == 2 and sent[0].startswith("WITH w0 AS (INSERT")
        assert sent[0].endswith('RETURNING "comment_count"')  # the wanted row's statement leads
    outside: list[tuple[object, ...]] = []
    write(returning, [1, a_thread.pk], then=outside.append)
    assert outside == [(before + 3,)]
