"""Notification fixtures: the real SMTP sink (tests/notifications/smtp_support.py) and helpers that
post and subscribe through the real actions, running their on-commit work."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from tests.helpers import comment_and_commit, guest_actor, run_on_commit_callbacks
from tests.notifications.smtp_support import bodies as bodies

post = comment_and_commit


def confirmed(thread: Any, email: str, kind: str = "all", comment: Any = None) -> Any:
    """A subscription whose address is confirmed (as opening the emailed link leaves it)."""
    from masthead.notifications import actions

    subscription = actions.subscribe(guest_actor(), thread, email=email, kind=kind, comment=comment)
    actions.confirm_address(subscription.address)
    return subscription


def subscribe(client: Client, thread: Any, email: str, kind: str = "all", **extra: Any) -> Any:
    """Subscribe through the API, then run the on-commit work (the confirmation mail)."""
    with run_on_commit_callbacks():
        return client.post(
            "/api/v1/subscriptions",
            {"thread_id": thread.pk, "email": email, "kind": kind, **extra},
            content_type="application/json",
        )


def confirm_link(message: Any) -> str:
    """The path of the confirmation link in a confirmation mail."""
    text, _ = bodies(message)
    match = re.search(r"http://testserver(/notifications/confirm/[^\s/]+/)", text)
    assert match, text
    return match.group(1)
