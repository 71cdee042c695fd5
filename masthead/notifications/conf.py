"""Notification settings, each overridable in Django settings (see docs/notifications.md)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

DEFAULTS: dict[str, object] = {
    # Comments in one thread within this many seconds of the last email go out as one digest.
    "NOTIFICATIONS_DIGEST_WINDOW": 600,
    # A guest's address gets at most one confirmation email per this many seconds.
    "NOTIFICATIONS_CONFIRMATION_INTERVAL": 3600,
    "NOTIFICATIONS_CONFIRM_MAX_AGE": 7 * 24 * 3600,
    "NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE": 365 * 24 * 3600,
    # Temporary SMTP failures: retry after min(base * 2**attempt, cap) seconds, give up after max attempts.
    "NOTIFICATIONS_RETRY_BASE": 60,
    "NOTIFICATIONS_RETRY_CAP": 3600,
    "NOTIFICATIONS_MAX_ATTEMPTS": 12,
    # A row claimed by a worker that never recorded the outcome is given up after this many seconds.
    "NOTIFICATIONS_CLAIM_TIMEOUT": 900,
    "NOTIFICATIONS_MODERATOR_ALERTS": True,
    "NOTIFICATIONS_SUBSCRIBE_RATE": "20/h",
    "NOTIFICATIONS_EXCERPT_LENGTH": 400,
    # SMTP connections one drain sends over in parallel (threads; 1 inside a transaction).
    "NOTIFICATIONS_SMTP_CONNECTIONS": 4,
    # The task queue for notification mail (a worker may serve it separately).
    "NOTIFICATIONS_TASK_QUEUE": "default",
}


def setting(name: str) -> object:
    return getattr(settings, name, DEFAULTS[name])


def seconds(name: str) -> timedelta:
    return timedelta(seconds=int(setting(name)))  # type: ignore[call-overload]


def base_url() -> str:
    """Absolute links in emails start here (MASTHEAD_BASE_URL)."""
    return str(getattr(settings, "MASTHEAD_BASE_URL", "") or settings.WAGTAILADMIN_BASE_URL).rstrip(
        "/"
    )
