"""JSON API of the discussion, mounted under /api/v1/ by masthead/api.py.

Thin endpoints: input schema -> one action or query -> explicit output. Writes are same-origin only:
each checks the request size and Django's CSRF token (csrftoken cookie + X-CSRFToken header) before the
body is parsed, because guests are anonymous and the API is otherwise CSRF-exempt.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from asgiref.sync import sync_to_async
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from masthead.accounts.guest import read_guest, write_guest
from masthead.accounts.verified import verified_email
from masthead.core.actors import Actor, actor_from_request
from masthead.core.errors import ApiError, ErrorCode, ErrorOut, not_found
from masthead.core.inputs import AsciiInt, Id, PathId, parse_int, query_int
from masthead.core.streams import event_stream
from masthead.discussion import actions, guard, queries, thread_cache
from masthead.discussion.events import thread_channel
from masthead.discussion.inputs import CommentInput, clean_body
from masthead.discussion.models import CommentStatus, Thread
from masthead.discussion.policy import cached_policy, thread_policy
from masthead.discussion.rendering import render_markdown
from masthead.discussion.serialise import comment_item

router = Router(tags=["discussion"])

MAX_REQUEST_BYTES = 64 * 1024
MAX_ID = queries.MAX_ID


# --- guards --------------------------------------------------------------------------------------


def _no_view(request: HttpRequest) -> HttpResponse:  # pragma: no cover - never called
    return HttpResponse()


def same_origin_write(request: HttpRequest) -> bool:
    """Runs before the body is parsed: size limit (413), then CSRF (403). Lets guests through."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_REQUEST_BYTES:
        raise ApiError(ErrorCode.TOO_LARGE, _("The request is too large."), 413)
    try:
        if len(request.body) > MAX_REQUEST_BYTES:
            raise ApiError(ErrorCode.TOO_LARGE, _("The request is too large."), 413)
    except RequestDataTooBig as exc:
        raise ApiError(ErrorCode.TOO_LARGE, _("The request is too large."), 413) from exc
    refusal = CsrfViewMiddleware(_no_view).process_view(request, None, (), {})  # type: ignore[arg-type]
    if refusal is not None:
        raise ApiError(
            ErrorCode.CSRF_FAILED,
            _("Your session token is missing or stale; please reload the page and try again."),
            403,
        )
    return True


def _actor(request: HttpRequest, create_guest: bool = False) -> tuple[Actor, Any]:
    guest = read_guest(request)
    if create_guest and not guest.key and not request.user.is_authenticated:
        guest = guest.with_key()
    actor = actor_from_request(request, guest_key=guest.key, confirmed_email=guest.confirmed_email)
    return actor, guest


# --- schemas -------------------------------------------------------------------------------------


class ThreadOut(Schema):
    id: int
    url: str
    title: str
    comment_count: int
    is_open: bool


class AuthorOut(Schema):
    name: str
    avatar_url: str
    is_staff: bool
    is_supporter: bool = Field(
        description="The author supports the site with a monthly donation and chose to show it."
    )
    website: str


class ReplyingToOut(Schema):
    id: int
    name: str


class CommentOut(Schema):
    id: int
    parent_id: int | None
    author: AuthorOut
    html: str
    created_at: str
    edited_at: str | None
    upvotes: int
    downvotes: int
    score: int
    status: str
    is_pinned: bool
    depth: int
    replying_to: ReplyingToOut | None
    target: dict[str, Any] | None
    anchor_state: str
    replies: list[CommentOut]


class CommentPageOut(Schema):
    count: int
    items: list[CommentOut]
    next_cursor: str | None


class CommentIn(Schema):
    body: str
    parent_id: Id | None = None
    name: str = ""
    email: str = ""
    website: str = ""
    notify: Literal["none", "replies", "all"] | None = Field(
        "none",
        description=(
            "Email the commenter about replies to this comment or all new comments in the thread "
            "(a guest's address is confirmed first); none unless asked."
        ),
    )
    honeypot: str = ""
    seconds_to_submit: float | None = Field(None, ge=0, le=10**7)
    target: dict[str, Any] | None = None


class EditIn(Schema):
    body: str


class VoteIn(Schema):
    value: Literal[-1, 0, 1]


class VoteOut(Schema):
    id: int
    upvotes: int
    downvotes: int
    score: int
    my_vote: int


class PreviewIn(Schema):
    body: str


class PreviewOut(Schema):
    html: str


class MeOut(Schema):
    authenticated: bool
    is_moderator: bool
    name: str
    email: str
    website: str
    csrf_token: str
    editable_ids: list[int]
    deletable_ids: list[int]
    edit_deadlines: dict[str, str]
    votes: dict[str, int]
    hidden: list[CommentOut]
    is_open: bool
    likes_only: bool
    can_comment: bool = Field(
        description="This reader may comment under the policy's 'who may comment' (sign-in, supporters)."
    )
    comment_refusal: str = Field(
        description="Why not, as an error code (registration_required, supporters_only); '' when they may."
    )


ERRORS: dict[int, Any] = dict.fromkeys((400, 403, 404, 409, 413, 429), ErrorOut)


# --- threads -------------------------------------------------------------------------------------


def _thread_out(thread: Thread) -> dict[str, Any]:
    policy = thread_policy(thread) if thread.page is None else cached_policy(thread.page)
    return {
        "id": thread.pk,
        "url": thread.display_url,
        "title": thread.display_title,
        "comment_count": thread.comment_count,
        "is_open": policy.is_open and not thread.is_closed,
    }


def _page_for_url(url: str) -> Any:
    from wagtail.models import Page, Site

    from masthead.publishing.models import ArticlePage

    if len(url) > 2000:
        return None
    path = urlsplit(url).path if "://" in url else url.split("?")[0].split("#")[0]
    if not path.startswith("/"):
        return None
    path = path if path.endswith("/") else path + "/"
    for site in Site.objects.select_related("root_page"):
        candidate = site.root_page.url_path.rstrip("/") + path
        page = Page.objects.live().public().filter(url_path=candidate).first()
        if page is not None and isinstance(page.specific, ArticlePage):
            return page.specific
    return None


NO_THREAD_AT_URL = "No article or discussion is kept for this URL."


@router.get("/threads", response={200: ThreadOut, **ERRORS}, summary="The thread of a page")
def get_thread(request: HttpRequest, url: str) -> Any:
    """The thread of the article at `url` (a path or a full URL on this site), else the discussion
    kept for that external URL (an import with `--create-stubs`), else 404 `not_found`."""
    page = _page_for_url(url)
    if page is not None:
        if cached_policy(page).is_hidden:
            raise queries.not_visible()
        return _thread_out(actions.thread_for_page(page))
    thread = queries.external_thread(url)
    if thread is None:
        raise not_found(NO_THREAD_AT_URL)
    if thread_policy(thread).is_hidden:
        raise queries.not_visible()
    return _thread_out(thread)


# --- comments ------------------------------------------------------------------------------------


def _parse_limit(limit: str | None, default: int) -> int | None:
    if limit in (None, ""):
        return default
    if limit == "all":
        return None
    try:
        return parse_int(limit, name="limit", minimum=1, maximum=queries.MAX_LIMIT)
    except ApiError as error:
        error.message = f"limit must be a whole number from 1 to {queries.MAX_LIMIT}, or 'all'."
        raise


@router.get(
    "/threads/{thread_id}/comments",
    response={200: CommentPageOut, **ERRORS},
    summary="A page of comments with their replies",
)
def list_comments(
    request: HttpRequest,
    thread_id: PathId,
    sort: str = "newest",
    limit: str | None = None,
    cursor: str | None = None,
    around: Annotated[
        AsciiInt | None, query_int(None, minimum=1, maximum=MAX_ID - 1, description="A comment id.")
    ] = None,
    kind: str = "",
) -> Any:
    """Top-level comments (pinned first) in `sort` order with nested replies; `limit=all` is "View all";
    `around=<comment id>` returns enough top-level comments for that comment to be included."""
    thread, policy = queries.readable_thread(thread_id)
    if sort not in queries.SORTS:
        raise ApiError(
            ErrorCode.INVALID, _("Sort by newest, oldest or votes."), 400, {"sort": _("Invalid.")}
        )
    if kind not in ("", "all", "inline"):  # inline: only comments on a passage
        raise ApiError(
            ErrorCode.INVALID, _("Kind is all or inline."), 400, {"kind": _("One of all, inline.")}
        )
    stamp = thread_cache.read_stamp(thread.version_key)
    count = _parse_limit(limit, policy.page_size)
    if around is not None and not cursor:
        needed = queries.page_of_comment(thread, around, sort, policy.page_size)
        if needed is not None and count is not None:
            count = max(count, needed)
    body = thread_cache.thread_page_json(
        thread, policy, sort=sort, count=count, cursor=cursor, kind=kind
    )
    thread_cache.keep_for_fast_path(thread, request.META.get("QUERY_STRING", ""), stamp, body)
    return HttpResponse(body, content_type="application/json")


@router.post(
    "/threads/{thread_id}/comments",
    response={201: CommentOut, **ERRORS},
    auth=same_origin_write,
    summary="Post a comment or a reply",
)
def create_comment(
    request: HttpRequest, response: HttpResponse, thread_id: PathId, payload: CommentIn
) -> Any:
    thread = queries.visible_thread(thread_id)
    actor, guest = _actor(request, create_guest=True)
    comment = actions.post_comment(actor, thread, CommentInput(**payload.model_dump()))
    if not actor.is_authenticated:
        write_guest(
            response,
            guest.remembering(comment.author_name, comment.author_email, comment.author_website),
        )
    shadow = bool(comment.moderation.get("shadow"))
    return 201, comment_item(comment, as_public=shadow)


@router.post(
    "/comments/preview",
    response={200: PreviewOut, **ERRORS},
    auth=same_origin_write,
    summary="Render a comment body without posting it",
)
def preview_comment(request: HttpRequest, payload: PreviewIn) -> Any:
    actor, _ = _actor(request)
    guard.check_preview_rate(actor)
    return {"html": render_markdown(clean_body(payload.body, 5000))}


@router.patch(
    "/comments/{comment_id}",
    response={200: CommentOut, **ERRORS},
    auth=same_origin_write,
    summary="Edit a comment",
)
def patch_comment(request: HttpRequest, comment_id: PathId, payload: EditIn) -> Any:
    comment = queries.visible_comment(comment_id)
    actor, _ = _actor(request)
    comment = actions.edit_comment(actor, comment, payload.body)
    return comment_item(comment, as_public=bool(comment.moderation.get("shadow")))


@router.delete(
    "/comments/{comment_id}",
    response={204: None, 200: CommentOut, **ERRORS},
    auth=same_origin_write,
    summary="Delete a comment (a placeholder stays while it has replies)",
)
def remove_comment(request: HttpRequest, comment_id: PathId) -> Any:
    comment = queries.visible_comment(comment_id)
    actor, _ = _actor(request)
    placeholder = actions.delete_comment(actor, comment)
    if placeholder is None:
        return 204, None
    return 200, comment_item(placeholder)


@router.put(
    "/comments/{comment_id}/vote",
    response={200: VoteOut, **ERRORS},
    auth=same_origin_write,
    summary="Vote +1, -1, or 0 to withdraw",
)
def put_vote(
    request: HttpRequest, response: HttpResponse, comment_id: PathId, payload: VoteIn
) -> Any:
    comment = queries.visible_comment(comment_id)
    actor, guest = _actor(request, create_guest=True)
    comment = actions.vote(actor, comment, payload.value)
    if not actor.is_authenticated and not read_guest(request).key:
        write_guest(response, guest)
    return {
        "id": comment.pk,
        "upvotes": comment.upvotes,
        "downvotes": comment.downvotes,
        "score": comment.score,
        "my_vote": payload.value,
    }


@router.get(
    "/threads/{thread_id}/me",
    response={200: MeOut, **ERRORS},
    summary="This reader's state in a thread (sets the CSRF cookie)",
)
def me(request: HttpRequest, response: HttpResponse, thread_id: PathId) -> Any:
    """Per-reader state kept out of the cached page: own editable comments, votes, remembered name,
    own comments awaiting moderation (with their HTML), and the CSRF token (also set as a cookie)."""
    thread = queries.visible_thread(thread_id)
    policy = thread_policy(thread)
    actor, guest = _actor(request)
    token = get_token(request)
    response["Cache-Control"] = "private, no-store"
    own = queries.own_comments(thread, actor)
    moderator = actions.can_moderate(actor)
    editable: list[int] = []
    deadlines: dict[str, str] = {}
    open_now = policy.is_open and not thread.is_closed
    for pk, created_at, status in own:
        deadline = created_at + policy.edit_window
        if (
            open_now
            and status != CommentStatus.REMOVED  # a moderator's decision: not the author's to edit
            and actions.within_edit_window_at(created_at, policy)
        ):
            editable.append(pk)
            deadlines[str(pk)] = deadline.isoformat()
    deletable = [pk for pk, *_ in own] if actor.is_authenticated else list(editable)
    hidden = [
        comment_item(comment, as_public=bool(comment.moderation.get("shadow")))
        for comment in queries.own_hidden(thread, actor, own)
    ]
    user = actor.user
    if user is not None:
        name, email, website = user.public_name, verified_email(user), ""
    else:
        name, email, website = guest.name, guest.email, guest.website
    refusal = actions.commenting_refusal(actor, policy)
    return {
        "authenticated": actor.is_authenticated,
        "is_moderator": moderator and actor.is_authenticated,
        "name": name,
        "email": email,
        "website": website,
        "csrf_token": token,
        "editable_ids": editable,
        "deletable_ids": deletable,
        "edit_deadlines": deadlines,
        "votes": {str(pk): value for pk, value in queries.own_votes(thread, actor).items()},
        "hidden": hidden,
        "is_open": open_now,
        "likes_only": policy.likes_only,
        "can_comment": refusal is None,
        "comment_refusal": refusal.code if refusal is not None else "",
    }


# --- live events ---------------------------------------------------------------------------------

EVENT_STREAM_DOC = {
    "responses": {
        200: {
            "description": (
                "A text/event-stream (server-sent events) of the thread, for EventSource: events "
                "`comment` (a comment item), `edit`, `delete`, `votes`, `pin`, `closed`, `count`, "
                "and `reset` (fetch the comments afresh), each with an `id:`; comment lines every "
                "~20 s keep it open. Reconnect with `Last-Event-ID` to get what was missed. See "
                "docs/live.md."
            ),
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        },
        204: {"description": "This discussion is not followed live (switched off, or quiet)."},
    }
}


def _live_thread(thread_id: int) -> bool:
    thread, policy = queries.readable_thread(thread_id)
    return queries.follows_live(thread, policy)


@router.get(
    "/threads/{thread_id}/events",
    response={204: None, 429: ErrorOut, 503: ErrorOut, 404: ErrorOut, 400: ErrorOut},
    summary="Live events of a thread (server-sent events)",
    openapi_extra=EVENT_STREAM_DOC,
)
async def thread_events(request: HttpRequest, thread_id: PathId) -> Any:
    """Only what an anonymous reader may see is ever sent. 204 when the discussion is not followed
    live (EventSource then stops); 429 (too many streams from this address) or 503 (too many
    streams, or live updates down) with Retry-After: poll the comments meanwhile."""
    if not await sync_to_async(_live_thread)(thread_id):
        return HttpResponse(status=204)
    return await event_stream(request, thread_channel(thread_id))
