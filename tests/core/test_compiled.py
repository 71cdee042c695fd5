"""Compiled hot queries answer what the ORM answers, on SQLite and PostgreSQL, with each call's values."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, models, transaction
from django.db.models import F
from django.test.utils import isolate_apps
from django.utils import timezone

from masthead.core.compiled import (
    CompiledInsert,
    CompiledQuery,
    CompiledUpdate,
    InsertedRow,
    Param,
    attnames,
)
from masthead.discussion.models import Comment, Thread
from tests.helpers import connected

pytestmark = pytest.mark.django_db


def _comment(thread: Thread, body: str, minutes_ago: int, **fields: Any) -> Comment:
    return Comment.objects.create(
        thread=thread,
        author_name="Ada",
        body=body,
        html=f"<p>{body}</p>",
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
        **fields,
    )


def test_rows_match_the_orm_for_each_calls_values(a_thread: Thread) -> None:
    old = _comment(a_thread, "Old news", 90, guest_key="k1")
    new = _comment(a_thread, "Fresh take", 5, guest_key="k2", is_pinned=True)
    builds = []

    def build() -> Any:
        builds.append(1)
        return (
            Comment.objects.filter(
                thread_id=Param("thread", models.BigIntegerField()),
                created_at__gte=Param("since", models.DateTimeField()),
            )
            .order_by("created_at")
            .values_list("pk", "created_at", "is_pinned", "body")
        )

    query = CompiledQuery(build)
    for since in (timezone.now() - timedelta(hours=2), timezone.now() - timedelta(minutes=30)):
        expected = list(
            Comment.objects.filter(thread=a_thread, created_at__gte=since)
            .order_by("created_at")
            .values_list("pk", "created_at", "is_pinned", "body")
        )
        assert query.rows(thread=a_thread.pk, since=since) == expected
    assert [
        row[0] for row in query.rows(thread=a_thread.pk, since=timezone.now() - timedelta(hours=2))
    ] == [old.pk, new.pk]
    row = query.first(thread=a_thread.pk, since=timezone.now() - timedelta(minutes=30))
    assert row is not None and row[1] == new.created_at and row[2] is True  # converted, not raw
    assert not query.exists(thread=a_thread.pk + 1000, since=timezone.now() - timedelta(hours=2))
    assert len(builds) == 1  # compiled once, bound many times


def test_instances_are_the_models_the_orm_would_load(a_thread: Thread) -> None:
    query = CompiledQuery(
        lambda: (
            Thread.objects.filter(pk=Param("pk", models.BigIntegerField()))
            .order_by()
            .values_list(*attnames(Thread))
        )
    )
    (found,) = query.instances(Thread, pk=a_thread.pk)
    loaded = Thread.objects.get(pk=a_thread.pk)
    assert found == loaded
    assert {name: getattr(found, name) for name in attnames(Thread)} == {
        name: getattr(loaded, name) for name in attnames(Thread)
    }
    found.comment_count = 7
    found.save(update_fields=["comment_count"])  # a usable instance, not a detached copy
    assert Thread.objects.get(pk=a_thread.pk).comment_count == 7


def test_hostile_values_are_bound_not_spliced(a_thread: Thread) -> None:
    _comment(a_thread, "x' OR '1'='1", 1)
    query = CompiledQuery(
        lambda: (
            Comment.objects.filter(body=Param("body", models.TextField()))
            .order_by()
            .values_list("body")
        )
    )
    assert query.rows(body="x' OR '1'='1") == [("x' OR '1'='1",)]
    assert query.rows(body="' OR 1=1 --") == []


def test_a_missing_value_is_an_error_and_a_queryset_must_select_values(a_thread: Thread) -> None:
    query = CompiledQuery(
        lambda: Thread.objects.filter(pk=Param("pk", models.BigIntegerField())).values_list("pk")
    )
    with pytest.raises(TypeError, match="pk"):
        query.rows()
    with pytest.raises(TypeError, match="values_list"):
        CompiledQuery(lambda: Thread.objects.all()).rows()


def test_compiled_update_changes_only_the_matching_row(a_thread: Thread, an_article: Any) -> None:
    other = Thread.objects.create(page_id=an_article.get_parent().pk)
    update = CompiledUpdate(
        lambda: (
            Thread.objects.filter(pk=Param("pk", models.BigIntegerField())),
            {"comment_count": F("comment_count") + Param("delta", models.IntegerField())},
        )
    )
    update.run(pk=a_thread.pk, delta=3)
    update.run(pk=a_thread.pk, delta=-1)
    assert Thread.objects.get(pk=a_thread.pk).comment_count == a_thread.comment_count + 2
    assert Thread.objects.get(pk=other.pk).comment_count == other.comment_count


def test_compiled_insert_saves_what_create_would_and_sends_the_save_signals(
    a_thread: Thread,
) -> None:
    from django.db.models.signals import post_save, pre_save

    seen: list[tuple[str, Any, Any]] = []

    def before(sender: Any, instance: Comment, **kwargs: Any) -> None:
        seen.append(("pre", instance.pk, kwargs.get("raw")))

    def after(sender: Any, instance: Comment, created: bool, **kwargs: Any) -> None:
        seen.append(("post", instance.pk, created))

    with connected(pre_save, before, sender=Comment), connected(post_save, after, sender=Comment):
        insert = CompiledInsert(Comment)
        values = {
            "thread": a_thread,
            "author_name": "Ada",
            "body": "A *view*",
            "html": "<p>A <em>view</em></p>",
            "moderation": {"rule": "default", "signals": {"duplicate": 0.6}},
            "target": {"quote": "passage", "prefix": "a"},
        }
        made = insert.create(**values)
        again = insert.create(**{**values, "body": "Another"})
    assert made.pk is not None and again.pk is not None and again.pk > made.pk
    assert not made._state.adding and made._state.db == "default"
    stored = Comment.objects.get(pk=made.pk)
    reference = Comment.objects.create(**values)
    for name in attnames(Comment):
        if name in ("id", "created_at"):
            continue
        assert getattr(stored, name) == getattr(reference, name), name
    assert stored.created_at == made.created_at  # the default filled in before the insert
    assert seen[:2] == [("pre", None, False), ("post", made.pk, True)]


_SAME_BODY_ELSEWHERE_IN_THREAD = CompiledQuery(
    lambda: (
        Comment.objects.filter(
            thread_id=Param("thread", models.BigIntegerField()),
            body=Param("body", models.TextField()),
        )
        .exclude(pk=InsertedRow("id", models.BigIntegerField()))
        .values_list("pk")[:1]
    )
)


class Refused(Exception):
    pass


def test_create_unless_writes_the_row_when_its_question_finds_none_but_the_new_one(
    a_thread: Thread,
) -> None:
    """On SQLite the INSERT's question sees the new row: it must leave it out (InsertedRow)."""
    insert = CompiledInsert(Comment)
    saved: list[int] = []

    def after(sender: Any, instance: Comment, **kwargs: Any) -> None:
        saved.append(instance.pk)

    values = {"thread": a_thread, "author_name": "Ada", "html": "<p>x</p>"}
    asked = {"thread": a_thread.pk, "body": "First words"}
    with connected(models.signals.post_save, after, sender=Comment), transaction.atomic():
        made = insert.create_unless(
            _SAME_BODY_ELSEWHERE_IN_THREAD, asked, Refused, body="First words", **values
        )
    assert made.pk is not None and saved == [made.pk]
    assert Comment.objects.get(pk=made.pk).body == "First words"


def test_create_unless_refuses_when_its_question_finds_an_earlier_row_and_keeps_nothing(
    a_thread: Thread, a_section: Any
) -> None:
    from masthead.discussion.actions import thread_for_page
    from masthead.publishing.actions import create_article

    other_thread = thread_for_page(create_article(a_section, "Another story"))
    insert = CompiledInsert(Comment)
    _comment(a_thread, "Said once", 0)
    _comment(other_thread, "Said elsewhere", 0)
    saved: list[int] = []

    def after(sender: Any, instance: Comment, **kwargs: Any) -> None:
        saved.append(instance.pk)

    values = {"thread": a_thread, "author_name": "Ada", "html": "<p>x</p>"}
    with connected(models.signals.post_save, after, sender=Comment):
        with pytest.raises(Refused), transaction.atomic():
            insert.create_unless(
                _SAME_BODY_ELSEWHERE_IN_THREAD,
                {"thread": a_thread.pk, "body": "Said once"},
                Refused,
                body="Said once",
                **values,
            )
        assert saved == [] and Comment.objects.filter(body="Said once").count() == 1
        with transaction.atomic():  # the same words in another thread are not asked about
            insert.create_unless(
                _SAME_BODY_ELSEWHERE_IN_THREAD,
                {"thread": a_thread.pk, "body": "Said elsewhere"},
                Refused,
                body="Said elsewhere",
                **values,
            )
    assert Comment.objects.filter(body="Said elsewhere").count() == 2 and len(saved) == 1


@pytest.mark.django_db(transaction=True)
def test_create_unless_outside_a_transaction_is_refused_before_writing(a_thread: Thread) -> None:
    with pytest.raises(TypeError, match="transaction"):
        CompiledInsert(Comment).create_unless(
            _SAME_BODY_ELSEWHERE_IN_THREAD,
            {"thread": a_thread.pk, "body": "Loose"},
            Refused,
            thread=a_thread,
            author_name="Ada",
            body="Loose",
            html="<p>Loose</p>",
        )
    assert not Comment.objects.filter(body="Loose").exists()
    assert connection.in_atomic_block is False


@isolate_apps("masthead.core")
def test_a_compiled_insert_refuses_a_model_whose_save_it_would_skip() -> None:
    class Stamped(models.Model):  # declared in a throw-away registry: no content type, no table
        name = models.CharField(max_length=10)

        class Meta:
            app_label = "core"

        def __str__(self) -> str:
            return self.name

        def save(self, *args: Any, **kwargs: Any) -> None:
            self.name = self.name.upper()
            super().save(*args, **kwargs)

    with pytest.raises(TypeError, match=r"Stamped overrides save\(\)"):
        CompiledInsert(Stamped)
    CompiledInsert(Comment)  # the rows a post writes override neither save() nor save_base()


def test_a_compiled_add_stores_the_row_and_reads_nothing_back(a_thread: Thread) -> None:
    from django.db.models.signals import post_save

    from masthead.core.models import AuditEntry

    saved: list[Any] = []
    with connected(post_save, lambda sender, **kwargs: saved.append(kwargs), sender=AuditEntry):
        added = CompiledInsert(AuditEntry).add(
            actor_label="reader",
            action="comment.post",
            object_type="discussion.comment",
            object_id="7",
            after={"status": "approved"},
        )
    assert added is None and saved == []  # no instance with a key to hand to post_save
    stored = AuditEntry.objects.get(action="comment.post", object_id="7")
    assert stored.after == {"status": "approved"} and stored.before == {}
    assert stored.created_at is not None  # the field's default, filled in as create() would
