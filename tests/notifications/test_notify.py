"""Who gets an email about a new comment, and what it says: follow-ups, replies, digests, no self-mail."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from masthead.core.actors import Actor
from masthead.notifications import actions
from masthead.notifications.delivery import deliver_due
from masthead.notifications.models import Notification, NotificationStatus
from tests.notifications.conftest import bodies, confirmed, post
from tests.notifications.smtp_support import SmtpSink


def test_follower_gets_new_comments_and_a_reply_subscriber_only_replies(
    a_thread: Any, smtp: SmtpSink
) -> None:
    confirmed(a_thread, "follower@example.org", "all")
    confirmed(a_thread, "asker@example.org", "replies")
    asker_comment = post(a_thread, "Where is the dam?", name="Asker", email="asker@example.org")
    assert [m["To"] for m in smtp.messages] == ["follower@example.org"]
    assert smtp.messages[0]["Subject"].strip().startswith("New comment on")

    smtp.clear()
    reply = post(
        a_thread,
        "Upstream, near the border.",
        name="Guide",
        email="guide@example.org",
        parent=asker_comment,
    )
    to_asker = smtp.to("asker@example.org")
    assert len(to_asker) == 1
    assert to_asker[0]["Subject"].strip().startswith("New reply to your comment")
    text, html = bodies(to_asker[0])
    assert f"#comment-{reply.pk}" in text and f"#comment-{reply.pk}" in html
    # The follower had an email moments ago: this comment waits for the digest.
    assert smtp.to("follower@example.org") == []
    assert (
        Notification.objects.get(address__email="follower@example.org", comment=reply).status
        == "pending"
    )


def test_nobody_is_notified_of_their_own_comment(a_thread: Any, smtp: SmtpSink) -> None:
    confirmed(a_thread, "self@example.org", "all")
    post(a_thread, "Talking to myself.", name="Self", email="SELF@example.org")
    assert smtp.messages == []


def test_subscribed_both_ways_gets_one_email(a_thread: Any, smtp: SmtpSink) -> None:
    confirmed(a_thread, "both@example.org", "all")
    mine = post(a_thread, "My view.", name="Both", email="both@example.org", notify="all")
    confirmed(a_thread, "both@example.org", comment=mine)
    post(a_thread, "A reply to you.", name="Other", email="other@example.org", parent=mine)
    received = smtp.to("both@example.org")
    assert len(received) == 1
    assert received[0]["Subject"].strip().startswith("New reply")


def test_comments_within_the_window_arrive_as_one_digest(a_thread: Any, smtp: SmtpSink) -> None:
    confirmed(a_thread, "digest@example.org", "all")
    first = post(a_thread, "First!", name="One", email="one@example.org")
    second = post(a_thread, "Second thoughts.", name="Two", email="two@example.org")
    third = post(a_thread, "Third way.", name="Three", email="three@example.org")
    assert len(smtp.to("digest@example.org")) == 1

    assert deliver_due().sent == 0  # not due yet
    later = timezone.now() + timedelta(minutes=11)
    report = deliver_due(now=later)
    assert report.sent == 2
    received = smtp.to("digest@example.org")
    assert len(received) == 2
    assert received[1]["Subject"].strip().startswith("2 new comments on")
    text, html = bodies(received[1])
    for comment in (second, third):
        assert f"#comment-{comment.pk}" in text and f"#comment-{comment.pk}" in html
    assert f"#comment-{first.pk}" not in text
    assert deliver_due(now=later + timedelta(hours=1)).sent == 0
    statuses = set(Notification.objects.values_list("status", flat=True))
    assert statuses == {NotificationStatus.SENT}


def test_unusual_addresses_get_the_same_email_through_djangos_full_path(
    a_thread: Any, smtp: SmtpSink
) -> None:
    confirmed(a_thread, "plain@example.org", "all")
    confirmed(a_thread, "leser@bücher.example", "all")  # an IDN domain, punycoded by Django
    post(a_thread, "Both should hear of this.", name="Writer", email="writer@example.org")
    [plain] = smtp.to("plain@example.org")
    [quoted] = smtp.to("leser@xn--bcher-kva.example")
    assert plain["Subject"] == quoted["Subject"]
    assert plain["List-Unsubscribe-Post"] == quoted["List-Unsubscribe-Post"]
    assert bodies(plain)[0].split("-- ")[0] == bodies(quoted)[0].split("-- ")[0]


def test_the_clock_sends_digests_when_their_window_ends(a_thread: Any, smtp: SmtpSink) -> None:
    from masthead.core.clock import periodic_jobs
    from masthead.notifications.tasks import sweep_outbox

    assert sweep_outbox in periodic_jobs()
    confirmed(a_thread, "clock@example.org", "all")
    post(a_thread, "Now.", name="One", email="one@example.org")
    post(a_thread, "Soon.", name="Two", email="two@example.org")
    assert len(smtp.to("clock@example.org")) == 1
    sweep_outbox()  # nothing due yet
    assert len(smtp.to("clock@example.org")) == 1
    # Ten minutes pass: the waiting row's time has come.
    Notification.objects.filter(status="pending").update(
        send_after=timezone.now() - timedelta(seconds=1)
    )
    sweep_outbox()
    assert len(smtp.to("clock@example.org")) == 2


def test_a_comment_that_reaches_nobody_reads_notifications_only_before_its_transaction(
    a_thread: Any, smtp: SmtpSink
) -> None:
    """The reads that find nothing to do run before the write transaction (SQLite's one write lock)."""
    from django.db import connection

    post(a_thread, "Ada's first.", name="Ada", email="ada@example.org")
    depth = len(connection.atomic_blocks)
    seen: list[tuple[str, bool]] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append((sql, len(connection.atomic_blocks) > depth))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        post(a_thread, "Ada again, nobody follows yet.", name="Ada", email="ada@example.org")
    notifications = [(sql, inside) for sql, inside in seen if "notifications_" in sql]
    assert notifications and not any(inside for _, inside in notifications)
    # With a follower, the outbox is still written in the comment's transaction.
    actions.confirm_address(
        actions.subscribe(Actor.system(), a_thread, email="bob@example.org", kind="all").address
    )
    seen.clear()
    with connection.execute_wrapper(record):
        post(a_thread, "Ada for Bob.", name="Ada", email="ada@example.org")
    assert any(inside and "notifications_notification" in sql for sql, inside in seen)
    assert Notification.objects.filter(address__email="bob@example.org").count() == 1
