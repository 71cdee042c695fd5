"""Notification fixtures: the real SMTP sink (tests/notifications/smtp_support.py) and helpers that
post and subscribe through the real actions, running their on-commit work."""

from __future__ import annotations

import re
from email.message import EmailMessage
from typing import Any

from django.test import Client

from tests.helpers import GUEST_NAME, guest_actor, run_on_commit_callbacks


def post(
    thread: Any,
    body: str,
    *,
    name: str = GUEST_NAME,
    email: str = "",
    parent: Any = None,
    notify: str | None = None,
    actor: Any = None,
) -> Any:
    """Post through the discussion's real action (signals, outbox and all), running on-commit work."""
    from masthead.discussion.actions import post_comment
    from masthead.discussion.inputs import CommentInput

    data = CommentInput(
        body=body,
        parent_id=parent.pk if parent is not None else None,
        name=name,
        email=email,
        notify=notify,
    )
    with run_on_commit_callbacks():
        return post_comment(actor or guest_actor(), thread, data)


def bodies(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None, "both parts are present"
    return text.get_content(), html.get_content()


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
