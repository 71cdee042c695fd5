"""The writer on records straight from a source: articles by page id, subscriptions, accounts,
one vote per reader, a thread read in two parts, the report."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from masthead.core.clientip import hash_ip
from masthead.discussion.models import Comment, Thread, Vote
from masthead.migration.records import (
    ImportedStatus,
    SourceComment,
    SourceSubscription,
    SourceThread,
    SourceUser,
)
from masthead.migration.report import ImportReport
from masthead.migration.writer import ImportWriter
from masthead.notifications.models import EmailAddress, Subscription

pytestmark = pytest.mark.django_db

WHEN = dt.datetime(2022, 5, 1, 12, 0, tzinfo=dt.UTC)


def comment(source_id: str, parent: str | None = None, **fields: Any) -> SourceComment:
    fields.setdefault("author_name", "Ann")
    return SourceComment(
        source_id=source_id,
        parent_id=parent,
        body=fields.pop("body", f"<p>{source_id}</p>"),
        created_at=WHEN,
        **fields,
    )


def writer(report: ImportReport | None = None, **options: Any) -> ImportWriter:
    return ImportWriter("test:site", report or ImportReport(io.StringIO()), **options)


def test_a_thread_with_page_id_goes_to_that_article_with_subscriptions(an_article: Any) -> None:
    record = SourceThread(
        source_id="p1",
        url="https://old.example.org/?p=1",
        page_id=an_article.pk,
        closed=True,
        comments=[
            comment("1", author_ip="203.0.113.9\x00"),
            comment("2", "1", body="hi\x00 there"),
        ],
        subscriptions=[
            SourceSubscription(
                email="Sub@Example.org", kind="all", confirmed=True, created_at=WHEN
            ),
            SourceSubscription(
                email="later@example.org", kind="replies", confirmed=False, comment_id="1"
            ),
            SourceSubscription(email="nobody", kind="all", confirmed=True),
            SourceSubscription(
                email="x@example.org", kind="replies", confirmed=True, comment_id="99"
            ),
        ],
    )
    report = ImportReport(io.StringIO())
    thread = writer(report).write(record)
    assert thread is not None and thread.page_id == an_article.pk
    thread.refresh_from_db()
    assert thread.is_closed and thread.comment_count == 2
    confirmed = Subscription.objects.get(address__email="sub@example.org")
    assert confirmed.kind == "all" and confirmed.confirmed_at == WHEN
    assert EmailAddress.objects.get(email="sub@example.org").confirmed_at == WHEN
    waiting = Subscription.objects.get(address__email="later@example.org")
    assert waiting.confirmed_at is None and waiting.comment is not None
    assert EmailAddress.objects.get(email="later@example.org").confirmed_at is None
    text = report.render()
    assert "1 subscription: not an email address" in text
    assert "1 subscription: its comment was not imported" in text
    assert Comment.objects.get(body__startswith="hi").body == "hi there"
    # Again: nothing new, the confirmation kept.
    writer().write(record)
    assert Subscription.objects.count() == 2 and Comment.objects.count() == 2


def test_accounts_are_one_per_source_id_and_never_share_an_address(db: Any) -> None:
    get_user_model().objects.create(username="existing", email="ann@example.org")
    record = SourceThread(
        source_id="t",
        url="https://old.example.org/t/",
        users=[
            SourceUser("u1", "Ann", email="ann@example.org", verified=True),
            SourceUser("u2", "Ann", email="ann2@example.org", verified=True),
        ],
        comments=[
            comment("1", user_id="u1"),
            comment("2", user_id="u2"),
            comment("3", user_id="u3", author_name="Cat"),  # known only from the comment
        ],
    )
    report = ImportReport(io.StringIO())
    writer(report, create_stubs=True).write(record)
    rows = {c.source_id: c for c in record.comments}
    users = {c.body: c.user for c in Comment.objects.select_related("user")}
    assert len({users["<p>1</p>"].pk, users["<p>2</p>"].pk, users["<p>3</p>"].pk}) == 3
    assert users["<p>1</p>"].email == "" and users["<p>2</p>"].email == "ann2@example.org"
    assert users["<p>3</p>"].display_name == "Cat"
    assert not users["<p>2</p>"].has_usable_password()
    assert "email already belongs to an account" in report.render()
    assert rows  # the records are not changed by writing them
    writer(create_stubs=True).write(record)
    assert get_user_model().objects.count() == 4


def test_one_vote_per_reader_and_counts_from_the_votes(db: Any) -> None:
    record = SourceThread(
        source_id="t",
        url="https://old.example.org/t/",
        comments=[comment("1", votes=[("v1", 1), ("v2", 1), ("v1", -1), ("v3", -1)])],
    )
    report = ImportReport(io.StringIO())
    writer(report, create_stubs=True).write(record)
    row = Comment.objects.get()
    assert Vote.objects.filter(comment=row).count() == 3
    assert (row.upvotes, row.downvotes, row.score) == (1, 2, -1)
    assert "one vote per reader: last kept" in report.render()


def test_a_thread_read_in_two_parts_keeps_its_tree(db: Any) -> None:
    first = SourceThread(
        "t", "https://old.example.org/t/", comments=[comment("1"), comment("2", "1")]
    )
    second = SourceThread("t", "https://old.example.org/t/", comments=[comment("3", "2")])
    write = writer(create_stubs=True)
    write.write(first)
    write.write(second)
    rows = {c.body: c for c in Comment.objects.all()}
    assert rows["<p>3</p>"].parent == rows["<p>2</p>"]
    assert rows["<p>3</p>"].root == rows["<p>1</p>"] and rows["<p>3</p>"].depth == 2
    assert Thread.objects.count() == 1
    assert Thread.objects.get().comment_count == 3 and rows["<p>1</p>"].reply_count == 1


def test_statuses_dates_and_addresses(db: Any) -> None:
    naive = dt.datetime(2010, 1, 1, 8, 0)  # noqa: DTZ001 - a date without a zone is read as UTC
    record = SourceThread(
        "t",
        "https://old.example.org/t/",
        comments=[
            comment("1", status=ImportedStatus.SPAM, author_ip="192.0.2.7"),
            comment("2", status=ImportedStatus.REMOVED, author_website="javascript:alert(1)"),
            comment("3", kind="pingback"),
            SourceComment("4", None, "Dee", "**md**", naive, body_is_html=False),
        ],
    )
    report = ImportReport(io.StringIO())
    writer(report, create_stubs=True).write(record)
    rows = {c.body: c for c in Comment.objects.all()}
    assert rows["<p>1</p>"].status == "spam" and rows["<p>1</p>"].ip_hash == hash_ip("192.0.2.7")
    assert rows["<p>2</p>"].status == "removed" and rows["<p>2</p>"].author_website == ""
    assert rows["**md**"].html == "<p><strong>md</strong></p>"
    assert rows["**md**"].created_at == dt.datetime(2010, 1, 1, 8, 0, tzinfo=dt.UTC)
    assert (
        "<p>3</p>" not in rows and "1 pingback: pingback: not a reader comment" in report.render()
    )
    assert Thread.objects.get().comment_count == 1


def test_report_has_no_progress_bar_when_not_on_a_terminal() -> None:
    stream = io.StringIO()
    report = ImportReport(stream)
    report.thread_done(10)
    report.close_progress()
    assert stream.getvalue() == ""
    shown = io.StringIO()
    bar = ImportReport(shown, progress=True)
    bar.thread_done(10)
    bar.close_progress()
    assert "threads" in shown.getvalue()
