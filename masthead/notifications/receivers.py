"""Listening to the discussion: subscribe commenters, write the outbox, alert moderators.

The discussion sends these signals inside its transaction, so the rows written here commit (or roll
back) with the comment itself.
"""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver

from masthead.core.errors import ApiError
from masthead.discussion.signals import comment_approved, comment_posted
from masthead.notifications import actions
from masthead.notifications.conf import setting

logger = logging.getLogger("masthead.notifications")


@receiver(comment_posted, dispatch_uid="notifications.comment_posted")
def on_comment_posted(
    sender: Any, comment: Any, actor: Any = None, notify: Any = None, **_: Any
) -> None:
    email = comment.author_email or (comment.user.email if comment.user_id and comment.user else "")
    choice = notify or ("replies" if email else "none")
    if choice in ("replies", "all") and email:
        try:
            actions.subscribe(actor, comment.thread, email=email, kind=choice)
        except ApiError as error:  # an address the discussion accepted but mail cannot use
            logger.info("Not subscribing comment %s: %s", comment.pk, error.message)
    if comment.status == "pending" and setting("NOTIFICATIONS_MODERATOR_ALERTS"):
        actions.alert_moderators(comment)


@receiver(comment_approved, dispatch_uid="notifications.comment_approved")
def on_comment_approved(sender: Any, comment: Any, actor: Any = None, **_: Any) -> None:
    actions.notify_comment(comment)
