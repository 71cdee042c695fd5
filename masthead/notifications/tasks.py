"""Background tasks (django-tasks): drain the outbox, send confirmation emails; the clock's sweep."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import default_task_backend, task
from wagtail import hooks

from masthead.core.hooks import EVERY_MINUTE
from masthead.core.language import email_language
from masthead.notifications import emails
from masthead.notifications.conf import setting
from masthead.notifications.delivery import deliver_due
from masthead.notifications.models import EmailAddress, Notification, NotificationStatus

logger = logging.getLogger("masthead.notifications")


@task()
def deliver_notifications() -> dict[str, object]:
    """Send every notification that is due; several may run at once without sending anything twice."""
    report = deliver_due()
    if report.errors:
        logger.warning("Notification delivery deferred: %s", report.errors[0])
    return report.as_dict()


@task()
def send_confirmation(address_id: int) -> bool:
    """The confirmation email of an address (queued by `request_confirmation`, at most once an hour):
    of the address itself, or of new subscriptions someone asked for an address confirmed before."""
    address = EmailAddress.objects.filter(pk=address_id).first()
    if address is None or address.failed_at is not None:
        return False
    titles = [
        subscription.thread.display_title
        for subscription in address.subscriptions.filter(confirmed_at__isnull=True)
        .select_related("thread__page")
        .order_by("-created_at")[:10]
    ]
    if address.confirmed_at is not None and not titles:
        return False  # confirmed, and nothing waits for a click
    with translation.override(email_language(address.language)):
        message = emails.confirmation_email(address, titles)
    try:
        message.connection = get_connection(fail_silently=False)
        message.send()
    except Exception:
        # Let the reader ask again at once rather than wait out the hourly limit.
        EmailAddress.objects.filter(pk=address_id).update(confirmation_sent_at=None)
        raise
    return True


def _queued(task_: Any) -> Any:
    return task_.using(queue_name=str(setting("NOTIFICATIONS_TASK_QUEUE")))


def schedule_delivery(when: datetime, now: datetime) -> None:
    """After commit, run the drain now (or at `when`, when the backend can defer); the clock sweeps too."""
    if when <= now:
        transaction.on_commit(_queued(deliver_notifications).enqueue, robust=True)
    elif getattr(default_task_backend, "supports_defer", False):
        deferred = _queued(deliver_notifications).using(run_after=when)
        transaction.on_commit(deferred.enqueue, robust=True)


@hooks.register(EVERY_MINUTE)
def sweep_outbox() -> None:
    """Clock job: start a drain when digests or retries are due or a claim went stale."""
    now = timezone.now()
    if Notification.objects.filter(
        status=NotificationStatus.PENDING, send_after__lte=now
    ).exists() or (Notification.objects.filter(status=NotificationStatus.SENDING).exists()):
        _queued(deliver_notifications).enqueue()
