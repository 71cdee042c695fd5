"""Reads asked before any is needed are answered in one statement, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from masthead.core.asked_together import Questions
from masthead.core.compiled import CompiledQuery, Param
from masthead.discussion import actions
from masthead.discussion.inputs import CommentInput
from masthead.discussion.models import Comment, Thread
from tests.helpers import guest_actor

pytestmark = pytest.mark.django_db

_BY_AUTHOR = CompiledQuery(
    lambda: (
        Comment.objects.filter(
            thread_id=Param("thread", models.BigIntegerField()),
            author_name=Param("name", models.CharField()),
        )
        .order_by()
        .values_list("author_name")[:5]
    )
)
_IDS_IN_THREAD = CompiledQuery(
    lambda: (
        Comment.objects.filter(thread_id=Param("thread", models.BigIntegerField()))
        .order_by()
        .values_list("pk")[:3]
    )
)


def _comment(thread: Thread, name: str) -> Comment:
    return Comment.objects.create(thread=thread, author_name=name, body="x", html="<p>x</p>")


def test_questions_asked_first_are_answered_in_one_statement(a_thread: Thread) -> None:
    for name in ["Ada", "Ada", "Bo"]:
        _comment(a_thread, name)
    questions = Questions()
    questions.ask("ada", _BY_AUTHOR, thread=a_thread.pk, name="Ada")
    questions.ask("ids", _IDS_IN_THREAD, thread=a_thread.pk)
    questions.ask("nobody", _BY_AUTHOR, thread=a_thread.pk, name="Cy")
    with CaptureQueriesContext(connection) as sent:
        # Distinct rows: Ada's two comments give one name; the ids are capped by the query's [:3].
        assert questions.count("ada", _BY_AUTHOR, thread=a_thread.pk, name="Ada") == 1
        assert questions.count("ids", _IDS_IN_THREAD, thread=a_thread.pk) == 3
        assert questions.count("nobody", _BY_AUTHOR, thread=a_thread.pk, name="Cy") == 0
    assert len(sent.captured_queries) == 1


def test_a_question_nobody_asked_is_asked_when_wanted_with_those_waiting(
    a_thread: Thread,
) -> None:
    _comment(a_thread, "Ada")
    questions = Questions()
    questions.ask("ids", _IDS_IN_THREAD, thread=a_thread.pk)
    with CaptureQueriesContext(connection) as sent:
        assert questions.count("ada", _BY_AUTHOR, thread=a_thread.pk, name="Ada") == 1
        assert questions.count("ids", _IDS_IN_THREAD, thread=a_thread.pk) == 1
    assert len(sent.captured_queries) == 1
    # Answers are kept: a second asking under a name already answered changes nothing.
    _comment(a_thread, "Ada")
    with CaptureQueriesContext(connection) as again:
        assert questions.count("ids", _IDS_IN_THREAD, thread=a_thread.pk) == 1
    assert again.captured_queries == []


def test_a_post_asks_moderations_and_notifications_reads_in_one_statement(
    a_thread: Thread, settings: Any
) -> None:
    settings.RATELIMIT_ENABLED = False
    with CaptureQueriesContext(connection) as sent:
        actions.post_comment(
            guest_actor(),
            a_thread,
            CommentInput(
                body="A comment long enough to be fingerprinted.", name="Ada", email="a@b.org"
            ),
        )
    sent_sql = [query["sql"] for query in sent.captured_queries]
    inserted = next(
        n for n, sql in enumerate(sent_sql) if 'INSERT INTO "discussion_comment"' in sql
    )
    reads = [
        sql
        for sql in sent_sql[:inserted]
        if "moderation_submissionlog" in sql or "notifications_subscription" in sql
    ]
    assert len(reads) == 1
    assert "moderation_submissionlog" in reads[0] and "notifications_subscription" in reads[0]


def test_ids_are_reserved_from_postgresql_sequences_only() -> None:
    """Elsewhere a held INSERT is not chosen (`holds_inserts`); asking anyway is a mistake, said
    at once rather than as a database error later."""
    if connection.vendor == "postgresql":
        first = Questions().reserved_id("id", Comment)
        assert Questions().reserved_id("id", Comment) > first
    else:
        with pytest.raises(TypeError, match="PostgreSQL's sequences only"):
            Questions().reserve_id("id", Comment)
