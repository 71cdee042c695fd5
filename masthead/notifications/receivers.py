"""Listening to the discussion: subscribe commenters, write the outbox, alert moderators.

The discussion sends comment_posted and comment_approved inside its transaction, so the rows written
here commit (or roll back) with the comment itself. comment_preparing comes just before that
transaction: the reads that decide whether there is anything to write happen there, outside the
database's write lock (on SQLite, one writer at a time).
"""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver

from masthead.core.actors import Actor
from masthead.core.errors import ApiError
from masthead.discussion.hooks import Submission
from masthead.discussion.models import Comment
from masthead.discussion.signals import (
    comment_approved,
    comment_asking,
    comment_posted,
    comment_preparing,
)
from masthead.notifications import actions
from masthead.notifications.conf import setting

logger = logging.getLogger("masthead.notifications")


def _choice(notify: str | None) -> str:
    """What the commenter asked to hear about; nothing unless they chose (subscribing is opt-in)."""
    return str(notify or "none")


@receiver(comment_asking, dispatch_uid="notifications.comment_asking")
def on_comment_asking(sender: Any, submission: Submission, **_: Any) -> None:
    """Before the checks: ask whether the thread has a confirmed subscriber, with the other apps'
    reads, for `on_comment_preparing` (an approved comment reaches nobody without one)."""
    actions.ask_any_confirmed(submission.questions, submission.thread)


@receiver(comment_preparing, dispatch_uid="notifications.comment_preparing")
def on_comment_preparing(
    sender: Any,
    submission: Submission,
    status: str,
    prepared: dict[str, Any],
    notify: str | None = None,
    **_: Any,
) -> None:
    """Before the comment's transaction: is the author subscribed as asked already, and would an
    approved comment reach anyone? Usually yes and no, and then nothing below reads inside it."""
    user = submission.actor.user if submission.actor.is_authenticated else None
    found: dict[str, bool] = {}
    choice = _choice(notify)
    if choice in ("replies", "all") and submission.email:
        found["subscribed"] = actions.subscription_is_current(
            submission.actor, submission.thread, email=submission.email, kind=choice
        )
    if status == "approved":
        found["recipients"] = actions.has_recipients(
            submission.thread, submission.parent, submission.email, user, submission.questions
        )
    prepared["notifications"] = found


@receiver(comment_posted, dispatch_uid="notifications.comment_posted")
def on_comment_posted(
    sender: Any,
    comment: Comment,
    actor: Actor,
    notify: str | None = None,
    prepared: dict[str, Any] | None = None,
    **_: Any,
) -> None:
    email = comment.author_email or (comment.user.email if comment.user_id and comment.user else "")
    choice = _choice(notify)
    subscribed = (prepared or {}).get("notifications", {}).get("subscribed", False)
    if choice in ("replies", "all") and email and not subscribed:
        try:
            actions.subscribe(actor, comment.thread, email=email, kind=choice)
        except ApiError as error:  # an address the discussion accepted but mail cannot use
            logger.info("Not subscribing comment %s: %s", comment.pk, error.message)
    if comment.status == "pending" and setting("NOTIFICATIONS_MODERATOR_ALERTS"):
        actions.alert_moderators(comment)


@receiver(comment_approved, dispatch_uid="notifications.comment_approved")
def on_comment_approved(
    sender: Any, comment: Comment, prepared: dict[str, Any] | None = None, **_: Any
) -> None:
    if (prepared or {}).get("notifications", {}).get("recipients", True):
        actions.notify_comment(comment)
