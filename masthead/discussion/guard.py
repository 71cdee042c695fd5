"""Abuse basics before a comment or vote is written: rate limits, the honeypot, duplicate submissions.

Rates are per IP (salted hash) and per identity (user, guest cookie), set in `settings.DISCUSSION_RATES`
(defaults below, which a reader would not hit) and switched off with MASTHEAD_RATELIMIT_ENABLED=0.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from masthead.core import ratelimit
from masthead.core.actors import Actor
from masthead.core.compiled import CompiledQuery, InsertedRow, Param, compiled
from masthead.core.errors import ApiError, ErrorCode

if TYPE_CHECKING:
    from masthead.discussion.models import Thread

DEFAULT_RATES = {
    "post_ip": "20/m",
    "post_ip_hourly": "200/h",
    "post_identity": "8/m",
    "vote_ip": "120/m",
    "vote_identity": "60/m",
    "preview_ip": "60/m",
}
DUPLICATE_WINDOW = timedelta(minutes=1)


def rates() -> dict[str, str]:
    return {**DEFAULT_RATES, **getattr(settings, "DISCUSSION_RATES", {})}


def identity_key(actor: Actor) -> str:
    return str(actor.voter_key)


def check_post_rate(actor: Actor) -> None:
    limits = rates()
    message = _("You are commenting too fast; please wait a moment.")
    ratelimit.enforce("post-ip", actor.ip_hash or "none", limits["post_ip"], message)
    ratelimit.enforce("post-ip-h", actor.ip_hash or "none", limits["post_ip_hourly"], message)
    ratelimit.enforce("post-id", identity_key(actor), limits["post_identity"], message)


def check_vote_rate(actor: Actor) -> None:
    limits = rates()
    message = _("You are voting too fast; please wait a moment.")
    ratelimit.enforce("vote-ip", actor.ip_hash or "none", limits["vote_ip"], message)
    ratelimit.enforce("vote-id", identity_key(actor), limits["vote_identity"], message)


def check_preview_rate(actor: Actor) -> None:
    ratelimit.enforce("preview-ip", actor.ip_hash or "none", rates()["preview_ip"])


def check_honeypot(value: str) -> None:
    """The form's hidden field is empty for people; anything in it is a bot."""
    if value:
        raise ApiError(
            ErrorCode.REJECTED, _("This comment looks automated and was not posted."), 400
        )


def _recent_copies(by: dict[str, Any]) -> CompiledQuery:
    def build() -> Any:
        from masthead.discussion.models import Comment

        return (
            Comment.objects.filter(
                thread_id=Param("thread", models.BigIntegerField()),
                body=Param("body", models.TextField()),
                created_at__gte=Param("since", models.DateTimeField()),
                **by,
            )
            .exclude(pk=InsertedRow("id", models.BigIntegerField()))
            .order_by()
            .values_list("pk")[:1]
        )

    return compiled(build)


# One compiled question per kind of identity, asked by the comment's own INSERT (`copies_question`).
_COPIES_BY_USER = _recent_copies({"user_id": Param("user", models.BigIntegerField())})
_COPIES_BY_GUEST = _recent_copies({"guest_key": Param("guest", models.CharField())})
_COPIES_BY_IP = _recent_copies(
    {"user__isnull": True, "ip_hash": Param("ip_hash", models.CharField())}
)


def copies_question(
    actor: Actor, thread: Thread, body: str
) -> tuple[CompiledQuery, dict[str, Any]]:
    """The same body from the same reader in the same thread within a minute is one comment: the
    question (and its values) the comment's INSERT asks in the same statement
    (`CompiledInsert.create_unless`), refused with `duplicate()` when it finds an earlier copy."""
    asked: dict[str, Any] = {
        "thread": thread.pk,
        "body": body,
        "since": timezone.now() - DUPLICATE_WINDOW,
    }
    if actor.user is not None:
        return _COPIES_BY_USER, {**asked, "user": actor.user.pk}
    if actor.guest_key:
        return _COPIES_BY_GUEST, {**asked, "guest": actor.guest_key}
    return _COPIES_BY_IP, {**asked, "ip_hash": actor.ip_hash}


def duplicate() -> ApiError:
    return ApiError(ErrorCode.DUPLICATE, _("You already posted this comment."), 409)
