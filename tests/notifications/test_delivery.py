"""Delivery: SMTP outages retried with back-off, 5xx refusals stop mail, crashes neither lose nor repeat."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from wagtail import hooks as wagtail_hooks

from masthead.core.hooks import COMMENT_CHECK
from masthead.discussion.actions import set_comment_status
from masthead.discussion.hooks import Verdict
from masthead.notifications.delivery import deliver_due
from masthead.notifications.models import EmailAddress, Notification, NotificationStatus
from tests.helpers import user_actor
from tests.notifications.conftest import bodies, confirmed, post
from tests.notifications.smtp_support import SmtpSink


def subscribers(thread: Any, count: int, prefix: str = "sub") -> list[str]:
    emails = [f"{prefix}{n}@example.org" for n in range(count)]
    for email in emails:
        confirmed(thread, email, "all")
    return emails


def test_smtp_outage_is_retried_with_backoff_then_everything_arrives_once(
    a_thread: Any, smtp: SmtpSink
) -> None:
    emails = subscribers(a_thread, 5)
    smtp.stop()
    comment = post(
        a_thread, "Posted while the mail server is down.", name="W", email="w@example.org"
    )
    pending = Notification.objects.filter(comment=comment)
    assert pending.count() == 5 and set(pending.values_list("status", flat=True)) == {"pending"}
    retried = pending.filter(attempts=1).get()
    assert retried.send_after > timezone.now() + timedelta(seconds=30), "backed off"

    # Every attempt while the server stays down backs off further and loses nothing.
    later = timezone.now() + timedelta(minutes=5)
    for step in range(6):
        deliver_due(now=later + timedelta(minutes=step))
    assert pending.filter(status="pending").count() == 5
    assert max(pending.values_list("attempts", flat=True)) >= 2

    smtp.start()
    report = deliver_due(now=timezone.now() + timedelta(hours=3))
    assert report.sent == 5
    received = Counter(str(m["To"]) for m in smtp.messages if "w@example.org" not in str(m["To"]))
    assert received == Counter(emails)
    assert deliver_due(now=timezone.now() + timedelta(days=1)).sent == 0
    assert set(pending.values_list("status", flat=True)) == {NotificationStatus.SENT}


def test_a_5xx_refusal_marks_the_address_and_stops_mail(a_thread: Any, smtp: SmtpSink) -> None:
    confirmed(a_thread, "bounce@example.org", "all")
    confirmed(a_thread, "fine@example.org", "all")
    first = post(a_thread, "One.", name="W", email="w@example.org")
    address = EmailAddress.objects.get(email="bounce@example.org")
    assert address.failed_at is not None and "550" in address.failure
    assert (
        Notification.objects.get(address=address, comment=first).status == NotificationStatus.FAILED
    )
    assert len(smtp.to("fine@example.org")) == 1
    second = post(a_thread, "Two.", name="W2", email="w2@example.org")
    assert not Notification.objects.filter(address=address, comment=second).exists()


def test_a_4xx_refusal_is_retried(a_thread: Any, smtp: SmtpSink) -> None:
    confirmed(a_thread, "greylist@example.org", "all")
    comment = post(a_thread, "Greylisted.", name="W", email="w@example.org")
    row = Notification.objects.get(address__email="greylist@example.org", comment=comment)
    assert row.status == "pending" and row.attempts == 1 and "451" in row.last_error
    assert EmailAddress.objects.get(email="greylist@example.org").failed_at is None


def test_gives_up_after_the_last_attempt(a_thread: Any, smtp: SmtpSink) -> None:
    confirmed(a_thread, "greylist2@example.org", "all")
    with override_settings(NOTIFICATIONS_MAX_ATTEMPTS=2):
        comment = post(a_thread, "Greylisted twice.", name="W", email="w@example.org")
        deliver_due(now=timezone.now() + timedelta(hours=2))
    row = Notification.objects.get(address__email="greylist2@example.org", comment=comment)
    assert row.status == NotificationStatus.FAILED and row.last_error.startswith("gave up")


def test_a_worker_killed_mid_send_does_not_send_twice(a_thread: Any, smtp: SmtpSink) -> None:
    confirmed(a_thread, "crash@example.org", "all")
    confirmed(a_thread, "queued@example.org", "all")
    smtp.stop()
    comment = post(a_thread, "Crash test.", name="W", email="w@example.org")
    smtp.start()
    # A worker claimed crash@'s row and died before recording the outcome.
    Notification.objects.filter(address__email="crash@example.org").update(
        status=NotificationStatus.SENDING,
        claimed_at=timezone.now() - timedelta(hours=1),
        message_id="<x@y>",
    )
    report = deliver_due(now=timezone.now() + timedelta(hours=1))
    assert report.uncertain == 1
    assert smtp.to("crash@example.org") == []
    assert len(smtp.to("queued@example.org")) == 1
    assert (
        Notification.objects.get(address__email="crash@example.org", comment=comment).status
        == "uncertain"
    )


@pytest.mark.django_db(transaction=True)  # the worker closes connections
def test_outbox_survives_a_crash_between_commit_and_send(a_thread: Any, smtp: SmtpSink) -> None:
    """The comment and its outbox rows commit together; with no worker running, nothing is lost:
    the database worker started later sends each notification once."""
    emails = subscribers(a_thread, 3, "later")
    smtp.clear()  # their confirmation emails, sent at once in this transactional test
    tasks = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with override_settings(TASKS=tasks):  # django-tasks rebuilds its backends on this change
        post(a_thread, "Queued, not yet sent.", name="W", email="w@example.org")
        assert [m for m in smtp.messages if str(m["To"]) in emails] == []
        assert Notification.objects.filter(status="pending").count() == 3
        # The worker starts later ("after the crash") and drains the queue; a second run finds nothing.
        call_command(
            "db_worker", batch=True, startup_delay=False, verbosity=0, queue_name="*", reload=False
        )
        call_command(
            "db_worker", batch=True, startup_delay=False, verbosity=0, queue_name="*", reload=False
        )
    assert Counter(str(m["To"]) for m in smtp.messages if str(m["To"]) in emails) == Counter(emails)


def test_only_approved_comments_notify_and_moderators_hear_of_the_queue(
    a_thread: Any, smtp: SmtpSink, a_staff_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    confirmed(a_thread, "watcher@example.org", "all")

    def hold(submission: Any) -> Verdict:
        return Verdict("pending", "test_hold", "held by the test")

    with wagtail_hooks.register_temporarily(COMMENT_CHECK, hold):
        held = post(a_thread, "Hold me for review.", name="Held", email="held@example.org")
    assert held.status == "pending"
    assert smtp.to("watcher@example.org") == []
    [alert] = smtp.to("editor@example.com")
    assert "waiting for moderation" in alert["Subject"]
    assert "Hold me for review." in bodies(alert)[0]

    with django_capture_on_commit_callbacks(execute=True):
        set_comment_status(user_actor(a_staff_user), held, "approved", "fine")
    [notification] = smtp.to("watcher@example.org")
    assert f"#comment-{held.pk}" in bodies(notification)[0]


def test_moderator_alert_carries_one_click_decisions_that_act_once(
    a_thread: Any, smtp: SmtpSink, a_staff_user: Any, client: Any
) -> None:
    import re
    from urllib.parse import urlsplit

    def hold(submission: Any) -> Verdict:
        return Verdict("pending", "test_hold", "held by the test")

    with wagtail_hooks.register_temporarily(COMMENT_CHECK, hold):
        held = post(a_thread, "Please look at this one.", name="Held", email="held@example.org")
    [alert] = smtp.to("editor@example.com")
    text = bodies(alert)[0]
    approve = re.search(r"Approve: (\S+)", text)
    assert approve is not None, text
    assert "/admin/moderation/" in text
    path = urlsplit(approve.group(1)).path
    assert client.get(path).status_code == 200
    held.refresh_from_db()
    assert held.status == "pending", "opening the link (as a mail scanner would) decides nothing"
    assert client.post(path).status_code == 200
    held.refresh_from_db()
    assert held.status == "approved"
    assert client.post(path).status_code == 410, "a one-click link works once"


def test_hostile_names_and_bodies_are_inert_in_both_parts(a_thread: Any, smtp: SmtpSink) -> None:
    from tests.helpers import hostile_strings

    confirmed(a_thread, "inert@example.org", "all")
    strings = hostile_strings("xss.txt")
    for index, value in enumerate(strings[::6]):
        name = value[:50].strip() or "x"
        post(
            a_thread,
            f"{value}\n\n{index}",
            name=name if name.isprintable() else "x",
            email=f"h{index}@example.org",
        )
    deliver_due(now=timezone.now() + timedelta(hours=1))
    messages = smtp.to("inert@example.org")
    assert len(messages) == 2  # one at once, one digest
    for message in messages:
        _, html = bodies(message)
        tags = Elements()
        tags.feed(html)
        assert tags.names <= {
            "html",
            "head",
            "meta",
            "title",
            "body",
            "table",
            "tr",
            "td",
            "a",
            "p",
            "h1",
            "strong",
            "bdi",  # readers' names, isolated from the text around them
            "span",
            "br",
            "ul",
            "li",
        }
        for name, value in tags.attributes:
            assert not name.startswith("on"), name
            if name in ("href", "src"):
                assert value.startswith("http://testserver/"), value
        assert "\n" not in str(message["Subject"]).strip()


class Elements(HTMLParser):
    """Every element and attribute of an HTML document, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.names.add(tag)
        self.attributes += [(name.lower(), (value or "").strip().lower()) for name, value in attrs]


@pytest.mark.service
def test_delivery_through_rq_and_redis(a_thread: Any, smtp: SmtpSink, redis_url: str) -> None:
    """With the RQ backend, the comment's on-commit enqueue lands in Redis and a burst worker sends."""
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    queue = f"notif-test-{uuid.uuid4().hex[:8]}"  # a queue of its own; Redis is never flushed
    tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [queue]}}
    emails = subscribers(a_thread, 2, "rq")
    with override_settings(
        TASKS=tasks, RQ_QUEUES={queue: {"URL": redis_url}}, NOTIFICATIONS_TASK_QUEUE=queue
    ):
        post(a_thread, "Through Redis.", name="W", email="w@example.org")
        assert [m for m in smtp.messages if str(m["To"]) in emails] == []
        rq_queue = django_rq.get_queue(queue, job_class=Job)
        assert rq_queue.count >= 1
        SimpleWorker([rq_queue], connection=rq_queue.connection, job_class=Job).work(burst=True)
        rq_queue.delete(delete_jobs=True)
    assert Counter(str(m["To"]) for m in smtp.messages if str(m["To"]) in emails) == Counter(emails)
