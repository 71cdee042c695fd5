"""JSON API of moderation, mounted under /api/v1/ by masthead/api.py.

Every /moderation/ endpoint needs a user with the moderation permission (403 otherwise), signed in
by session (writes also need the CSRF token) or by an API token (`Authorization: Bearer mh_...`,
no CSRF: no cookie is involved). A bad, expired or revoked token is a 401. Endpoints see only
comments of the request's site. Commenters' emails appear here, for moderators, and nowhere in the
public API. Readers report comments through /comments/{id}/reports.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Annotated, Any, Literal

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from masthead.accounts.guest import read_guest
from masthead.core.actors import Actor, actor_from_request, can_moderate
from masthead.core.errors import ApiError, ErrorCode, ErrorOut, forbidden, not_found
from masthead.core.inputs import MAX_COUNT, MAX_ID, AsciiInt, Id, PathId, query_int
from masthead.core.streams import event_stream
from masthead.discussion.models import Comment
from masthead.discussion.queries import not_visible, visible_comment
from masthead.moderation import actions, queries, tokens
from masthead.moderation.conf import setting
from masthead.moderation.models import ApiToken, Ban


class ModeratorToken(HttpBearer):
    """`Authorization: Bearer mh_<id>_<secret>`: an API token made in Moderation → API tokens."""

    openapi_bearerFormat = "mh_<id>_<secret>"
    openapi_description = (
        "A moderator's API token (Wagtail admin → Moderation → API tokens, or `masthead manage "
        "moderation_token create`). It acts as its user, who must hold the moderation permission. "
        "No CSRF token is needed. A bad, expired or revoked token answers 401 `not_authenticated`."
    )

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        return tokens.authenticate_token(token)  # ApiError 401 when it is not a live token


class ModeratorSession(APIKeyCookie):
    """The admin's session cookie; writes also need the CSRF token (X-CSRFToken header)."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = "The Wagtail admin session; writes also need the X-CSRFToken header."

    def __init__(self) -> None:
        super().__init__(csrf=False)  # checked by the endpoint for writes only

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        # Without a session the request goes on as an anonymous user, and the permission check
        # answers 403 as it always has; only a presented token that fails is a 401.
        return request.user


MODERATOR_AUTH = [ModeratorToken(), ModeratorSession()]
router = Router(tags=["moderation"])


def _moderator(request: HttpRequest, write: bool = False) -> Actor:
    actor = actor_from_request(request)
    token = getattr(request, "auth", None)
    if isinstance(token, ApiToken):
        actor = replace(actor, user=token.user)
    if not can_moderate(actor):
        raise forbidden(_("You need the moderator permission for this."))
    if write and not isinstance(token, ApiToken):
        error = check_csrf(request)
        if error is not None:
            raise forbidden(_("CSRF check failed; reload the page and try again."))
    return actor


def _comment(request: HttpRequest, comment_id: int) -> Comment:
    comment = queries.comment_for_moderator(request, comment_id)
    if comment is None:
        raise not_found(_("No such comment."))
    return comment


class ArticleOut(Schema):
    id: int
    title: str
    url: str


class ThreadRefOut(Schema):
    id: int
    title: str = Field(description="The article's title, or the external page's.")
    url: str = Field(description="The article's path, or the external page's full URL.")


class ParentOut(Schema):
    id: int
    author_name: str
    excerpt: str


class AuthorOut(Schema):
    name: str
    email: str
    website: str
    user_id: int | None
    address: str = Field(description="A short tag of the salted address hash.")
    approved: int
    rejected: int


class ProviderOut(Schema):
    name: str = Field(description="The external spam provider, e.g. akismet.")
    result: Literal["spam", "ham", "discard", "unavailable"]
    detail: str = Field("", description="The provider's pro-tip, or why it did not answer.")
    feedback: str = Field("", description="spam or ham: a moderator's correction sent back.")


class WhyOut(Schema):
    rule: str = ""
    reason: str = ""
    scorer: str = ""
    version: str = ""
    score: float | None = None
    shadow: bool = False
    reports: list[dict[str, Any]] = []
    provider: ProviderOut | None = None


class QueueItemOut(Schema):
    id: int
    status: str
    body: str
    html: str
    created_at: datetime
    edited_at: datetime | None
    is_pinned: bool
    article: ArticleOut | None = Field(
        description="None for a discussion of an external page (imported by URL): see `thread`."
    )
    thread: ThreadRefOut
    parent: ParentOut | None
    author: AuthorOut
    why: WhyOut


class QueueOut(Schema):
    count: int
    items: list[QueueItemOut]


def _item(comment: Comment) -> dict[str, Any]:
    page = comment.thread.page
    moderation = comment.moderation or {}
    history = getattr(comment, "history", {"approved": 0, "rejected": 0})
    score = moderation.get("score")
    return {
        "id": comment.pk,
        "status": comment.status,
        "body": comment.body,
        "html": comment.html,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "is_pinned": comment.is_pinned,
        "article": (
            {"id": page.pk, "title": page.title, "url": page.url or ""}
            if page is not None
            else None
        ),
        "thread": {
            "id": comment.thread_id,
            "title": comment.thread.display_title,
            "url": comment.thread.display_url,
        },
        "parent": (
            {
                "id": comment.parent.pk,
                "author_name": comment.parent.author_name,
                "excerpt": comment.parent.body[:200],
            }
            if comment.parent is not None
            else None
        ),
        "author": {
            "name": comment.author_name,
            "email": comment.author_email,
            "website": comment.author_website,
            "user_id": comment.user_id,
            "address": queries.masked_address(comment),
            **history,
        },
        "why": {
            "rule": str(moderation.get("rule", "")),
            "reason": str(
                moderation.get("reason", "") or (moderation.get("decision") or {}).get("reason", "")
            ),
            "scorer": str(moderation.get("scorer", "")),
            "version": str(moderation.get("version", "")),
            "score": float(score) if isinstance(score, int | float) else None,
            "shadow": bool(moderation.get("shadow", False)),
            "reports": [
                {"reason": reason, "count": count}
                for reason, count in getattr(comment, "report_summary", [])
            ],
            "provider": getattr(comment, "provider", None),
        },
    }


@router.get(
    "/moderation/comments",
    response=QueueOut,
    summary="The moderation queue (moderators)",
    auth=MODERATOR_AUTH,
)
def moderation_queue(
    request: HttpRequest,
    status: Literal["pending", "reported", "spam", "approved", "removed"] = "pending",
    limit: Annotated[AsciiInt, query_int(50, minimum=1, maximum=200)] = 50,
    offset: Annotated[AsciiInt, query_int(0, minimum=0, maximum=MAX_COUNT)] = 0,
    article: Annotated[
        AsciiInt | None, query_int(None, minimum=1, maximum=MAX_ID - 1, description="A page id.")
    ] = None,
    rule: str = "",
) -> dict[str, Any]:
    _moderator(request)
    comments = queries.queue(request, status, queries.QueueFilters(article=article, rule=rule[:40]))
    rows = queries.annotate_rows(list(comments[offset : offset + limit]))
    return {"count": comments.count(), "items": [_item(comment) for comment in rows]}


class DecisionIn(Schema):
    reason: str = Field("", max_length=1000)


Decision = Literal["approve", "remove", "spam", "pin", "unpin"]


@router.post(
    "/moderation/comments/{comment_id}/{decision}",
    response=QueueItemOut,
    summary="Approve, remove, mark as spam, pin or unpin a comment (moderators)",
    auth=MODERATOR_AUTH,
)
def moderation_decide(
    request: HttpRequest, comment_id: PathId, decision: Decision, data: DecisionIn | None = None
) -> dict[str, Any]:
    actor = _moderator(request, write=True)
    comment = _comment(request, comment_id)
    actions.decide(actor, comment, decision, data.reason if data else "")
    fresh = _comment(request, comment_id)
    return _item(queries.annotate_rows([fresh])[0])


class BanIn(Schema):
    comment_id: Id | None = Field(
        None, description="Ban this comment's author on every identity it carries."
    )
    kind: Literal["user", "email", "ip", "ip_hash", "guest"] | None = None
    value: str = Field("", max_length=255)
    mode: Literal["block", "shadow"] = "block"
    reason: str = Field("", max_length=300)
    days: int | None = Field(None, ge=1, le=3650, description="Empty: until lifted.")


class BanOut(Schema):
    id: int
    kind: str
    mode: str
    reason: str
    expires_at: datetime | None


@router.post(
    "/moderation/bans",
    response={201: list[BanOut]},
    summary="Ban or shadow-ban (moderators)",
    auth=MODERATOR_AUTH,
)
def moderation_ban(request: HttpRequest, data: BanIn) -> tuple[int, list[Ban]]:
    actor = _moderator(request, write=True)
    if data.comment_id is not None:
        comment = _comment(request, data.comment_id)
        bans = actions.ban_author(
            actor, comment, mode=data.mode, reason=data.reason, days=data.days
        )
    elif data.kind and data.value:
        from datetime import timedelta

        from django.utils import timezone

        expires_at = timezone.now() + timedelta(days=data.days) if data.days else None
        bans = [
            actions.create_ban(
                actor,
                data.kind,
                data.value,
                mode=data.mode,
                reason=data.reason,
                expires_at=expires_at,
            )
        ]
    else:
        raise ApiError(
            ErrorCode.INVALID,
            _("Give a comment_id, or a kind and a value."),
            400,
            {"comment_id": _("Required.")},
        )
    return 201, bans


@router.delete(
    "/moderation/bans/{ban_id}",
    response={204: None},
    summary="Lift a ban (moderators)",
    auth=MODERATOR_AUTH,
)
def moderation_unban(request: HttpRequest, ban_id: PathId) -> tuple[int, None]:
    actor = _moderator(request, write=True)
    ban = Ban.objects.filter(pk=ban_id).first()
    if ban is None:
        raise not_found(_("No such ban."))
    actions.lift_ban(actor, ban)
    return 204, None


class ReportIn(Schema):
    reason: Literal["spam", "abuse", "off_topic", "other"]
    note: str = Field("", max_length=500)


class ReportOut(Schema):
    id: int
    reason: str
    threshold: int


@router.post(
    "/comments/{comment_id}/reports",
    response={201: ReportOut},
    summary="Report a comment (readers)",
)
def report(request: HttpRequest, comment_id: PathId, data: ReportIn) -> tuple[int, dict[str, Any]]:
    error = check_csrf(request)
    if error is not None:
        raise forbidden(_("CSRF check failed; reload the page and try again."))
    guest = read_guest(request)
    actor = actor_from_request(request, guest_key=guest.key, confirmed_email=guest.confirmed_email)
    comment = visible_comment(comment_id)
    if not queries.site_comments(request).filter(pk=comment.pk).exists():
        raise not_visible()  # a comment of another site on this install
    created = actions.report_comment(actor, comment, data.reason, data.note)
    return 201, {
        "id": created.pk,
        "reason": created.reason,
        "threshold": int(setting("REPORT_THRESHOLD")),
    }


@router.get(
    "/moderation/events",
    response={403: ErrorOut, 429: ErrorOut, 503: ErrorOut},
    summary="Live events of the moderation queue (moderators; server-sent events)",
    openapi_extra={
        "responses": {
            200: {
                "description": (
                    "A text/event-stream for the signed-in moderator's queue page: `pending` (a "
                    "comment waits for a moderator) and `reported` (a reader reported one), each "
                    "with the comment's id, thread id, author name and an excerpt. See docs/live.md."
                ),
                "content": {"text/event-stream": {"schema": {"type": "string"}}},
            }
        }
    },
)
async def moderation_events(request: HttpRequest) -> StreamingHttpResponse:
    """The Wagtail admin session's moderator only (403 otherwise); no API token: the queue page uses it."""
    await sync_to_async(_moderator)(request)
    from masthead.discussion.events import MODERATION

    return await event_stream(request, MODERATION)
