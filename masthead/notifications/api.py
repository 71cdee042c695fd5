"""JSON API endpoints of this app, mounted under /api/v1/ by masthead/api.py."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.utils import check_csrf

from masthead.accounts.guest import read_guest
from masthead.accounts.verified import verified_email
from masthead.core.actors import Actor, actor_from_request
from masthead.core.errors import ApiError, ErrorCode, ErrorOut
from masthead.core.inputs import Id, PathId
from masthead.core.ratelimit import enforce
from masthead.discussion.models import CommentStatus
from masthead.discussion.queries import not_visible, visible_comment, visible_thread
from masthead.notifications import actions
from masthead.notifications.conf import setting
from masthead.notifications.emails import page_url
from masthead.notifications.queries import subscriptions_of

router = Router(tags=["notifications"])


class SubscribeIn(Schema):
    thread_id: Id
    email: str | None = None
    kind: Literal["replies", "all"] = "replies"
    comment_id: Id | None = None


class AcceptedOut(Schema):
    status: str
    message: str


class SubscriptionOut(Schema):
    id: int
    thread_id: int
    comment_id: int | None
    kind: str
    title: str
    url: str
    confirmed: bool
    created_at: datetime


def _signed_in(request: HttpRequest) -> bool:
    """A session counts only with a valid CSRF token, so another site cannot subscribe our readers."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return check_csrf(request) is None


def _subscriber(request: HttpRequest) -> Actor:
    """Who asks: the signed-in reader, or the guest browser (its cookie may hold an address it
    confirmed), each only with a valid CSRF token; otherwise nobody in particular."""
    if check_csrf(request) is not None:
        return Actor(ip=actor_from_request(request).ip)
    if _signed_in(request):
        return actor_from_request(request)
    guest = read_guest(request)
    return actor_from_request(request, guest_key=guest.key, confirmed_email=guest.confirmed_email)


@router.post(
    "/subscriptions",
    response={202: AcceptedOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="Subscribe an email address to a thread or to one comment's replies",
)
def create_subscription(request: HttpRequest, data: SubscribeIn) -> tuple[int, AcceptedOut]:
    """Always `202` whatever the address's state; a guest's address gets a confirmation email first
    (at most one an hour). A signed-in reader with a verified email may omit `email`."""
    actor = _subscriber(request)
    enforce(
        "subscribe",
        actor_from_request(request).ip_hash,
        str(setting("NOTIFICATIONS_SUBSCRIBE_RATE")),
    )
    thread = visible_thread(data.thread_id)
    comment = None
    if data.comment_id is not None:
        comment = visible_comment(data.comment_id, statuses=[CommentStatus.APPROVED])
        if comment.thread_id != thread.pk:
            raise not_visible()
    email = data.email
    if not email and actor.user is not None:
        email = verified_email(actor.user)
    if not email:
        raise ApiError(
            ErrorCode.INVALID, _("Enter your email address."), 400, {"email": _("Required.")}
        )
    actions.subscribe(actor, thread, email=email, kind=data.kind, comment=comment)
    return 202, AcceptedOut(
        status="accepted",
        message=_("Thanks. If this address still needs confirming, we have sent it a link."),
    )


@router.get(
    "/subscriptions",
    response={200: list[SubscriptionOut], 401: ErrorOut},
    summary="The signed-in reader's subscriptions",
)
def list_subscriptions(request: HttpRequest) -> list[SubscriptionOut]:
    if not request.user.is_authenticated:
        raise ApiError(ErrorCode.NOT_AUTHENTICATED, _("Please sign in first."), 401)
    return [
        SubscriptionOut(
            id=s.pk,
            thread_id=s.thread_id,
            comment_id=s.comment_id,
            kind=s.kind,
            title=s.thread.display_title,
            url=page_url(s.thread.page) if s.thread.page is not None else s.thread.url,
            confirmed=s.confirmed_at is not None,
            created_at=s.created_at,
        )
        for s in subscriptions_of(request.user)[:500]
    ]


@router.delete(
    "/subscriptions/{subscription_id}",
    response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Remove one of the signed-in reader's subscriptions",
)
def delete_subscription(request: HttpRequest, subscription_id: PathId) -> tuple[int, None]:
    if not request.user.is_authenticated:
        raise ApiError(ErrorCode.NOT_AUTHENTICATED, _("Please sign in first."), 401)
    if check_csrf(request) is not None:
        raise ApiError(ErrorCode.FORBIDDEN, _("The CSRF check failed; reload the page."), 403)
    actions.delete_subscription(actor_from_request(request), subscription_id)
    return 204, None
