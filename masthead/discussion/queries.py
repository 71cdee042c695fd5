"""Reads of a discussion: a page of top-level comments by keyset cursor, then all their replies at once.

A page costs a fixed number of queries whatever the thread's size: pinned roots (usually none), unpinned
roots after the cursor (partial indexes in each sort order), and one query for every reply under those
roots. The tree is built iteratively (a 10,000-deep chain is fine), nested to the display depth and flat
below it, each flattened reply knowing whom it answers.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from masthead.core import cache_versions
from masthead.core.actors import Actor
from masthead.core.compiled import CompiledQuery, Param, attnames, compiled
from masthead.core.errors import ApiError, invalid, not_found
from masthead.discussion.inline.reanchoring import count_inline
from masthead.discussion.models import Comment, CommentStatus, Thread, Vote
from masthead.discussion.policy import Policy, cached_policy, policy_for, thread_policy

SORTS = ("newest", "oldest", "votes")
VISIBLE = [CommentStatus.APPROVED, CommentStatus.DELETED]
MAX_LIMIT = 100
COMMENT_FIELDS = (
    "id",
    "thread_id",
    "parent_id",
    "root_id",
    "depth",
    "user_id",
    "user__is_staff",
    "user__avatar_colour",
    "user__use_gravatar",
    "user__show_supporter_badge",
    "user__is_supporter",
    "author_name",
    "author_email",
    "author_website",
    "html",
    "status",
    "created_at",
    "edited_at",
    "upvotes",
    "downvotes",
    "score",
    "is_pinned",
    "reply_count",
    "target",
    "anchor_state",
    "moderation",
)


@dataclass
class Node:
    comment: Comment
    level: int
    replying_to: Comment | None = None  # set when shown flat below the display depth
    replies: list[Node] = field(default_factory=list)
    holder: Node | None = None  # the node whose replies list holds this one


@dataclass
class CommentPage:
    count: int
    items: list[Node]
    next_cursor: str | None


# --- what readers may see ---------------------------------------------------------------------
# Every reader endpoint (the JSON API, inline feedback, subscriptions, reports, the no-JS forms and
# permalinks) finds its thread or comment through these guards, so a thread whose page is unpublished,
# never published or behind a view restriction answers exactly as an unknown id does: ids are
# sequential, and any difference (a status, a message, a mail with the title) would tell.

MAX_ID = 2**62
NOT_VISIBLE_MESSAGE = "No such discussion or comment."
READ_STATE_SECONDS = 30


def not_visible() -> ApiError:
    """The one 404 of every reader endpoint for a thread or comment it may not show."""
    return not_found(NOT_VISIBLE_MESSAGE)


def _checked_id(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < MAX_ID:
        raise not_visible()
    return value


def page_state(page_id: int | None) -> tuple[bool, Policy | None]:
    """Whether readers may see the page (live, no view restriction on it or above it) and, if so, its
    discussion policy. `page_id` None is an external page's thread: always visible, the site's policy.

    Cached under the site's publishing version, which publishing, unpublishing, deleting, view
    restrictions and settings changes bump on commit, so a post or a read costs no page query while
    nothing changed.
    """
    from wagtail.models import Page

    (site_version,) = cache_versions.versions([("publishing", "")])
    key = f"disc:readable:{page_id}:{site_version}"
    state = cache_versions.get_versioned(key)
    if state is None and page_id is None:
        state = (True, policy_for(None, lambda: None))
        cache_versions.set_versioned(key, state, READ_STATE_SECONDS)
    elif state is None:
        page = Page.objects.filter(pk=page_id).first()
        public = page is not None and page.live and not page.get_view_restrictions().exists()
        state = (public, cached_policy(page) if public else None)
        cache_versions.set_versioned(key, state, READ_STATE_SECONDS)
    return state


def page_is_visible(page_id: int | None) -> bool:
    return page_state(page_id)[0]


_THREAD = compiled(
    lambda: (
        Thread.objects.filter(pk=Param("pk", models.BigIntegerField()))
        .order_by()
        .values_list(*attnames(Thread))
    )
)


def visible_thread(thread_id: object) -> Thread:
    """The thread `thread_id` when readers may see its page (its discussion may be closed or hidden);
    else the `not_visible` 404. One compiled read, the page's state from the cache."""
    found = _THREAD.instances(Thread, pk=_checked_id(thread_id))
    if not found or not page_is_visible(found[0].page_id):
        raise not_visible()
    return found[0]


def readable_thread(thread_id: object) -> tuple[Thread, Policy]:
    """A thread whose comments readers may list, with its policy: visible, and the discussion not
    hidden. The light read of the fields a page of comments needs (its version keys the cached JSON)."""
    thread = (
        Thread.objects.filter(pk=_checked_id(thread_id))
        .only("id", "page_id", "url", "comment_count", "is_closed", "version")
        .first()
    )
    if thread is None:
        raise not_visible()
    policy: Policy | None
    if (
        thread.page_id is None
    ):  # an external page's: always public, its policy as THREAD_POLICY says
        public, policy = True, thread_policy(thread)
    else:
        public, policy = page_state(thread.page_id)
    if not public or policy is None or policy.is_hidden:
        raise not_visible()
    return thread, policy


def external_thread(url: str) -> Thread | None:
    """The discussion kept for an external page's URL (any spelling of it), or None."""
    from masthead.core.canonical_url import canonical_url_or_none

    canonical = canonical_url_or_none(url)
    if canonical is None:
        return None
    return external_thread_for_key(canonical)


def external_thread_for_key(canonical: str, embed_key: str = "") -> Thread | None:
    """The external thread named by an embedding site's key, else the one kept for `canonical` (a
    URL already in `core.canonical_url`'s spelling); or None."""
    if embed_key:
        return Thread.objects.filter(embed_key=embed_key).first()
    return Thread.objects.filter(url=canonical, page__isnull=True, embed_key="").first()


def external_comment_counts(canonical_urls: Sequence[str]) -> dict[str, int]:
    """Approved comments of the external threads kept for these canonical URLs (one query)."""
    rows = Thread.objects.filter(
        url__in=list(canonical_urls), page__isnull=True, embed_key=""
    ).values_list("url", "comment_count")
    return dict(rows)


def visible_comment(comment_id: object, *, statuses: Sequence[str] | None = None) -> Comment:
    """The comment `comment_id` (with its thread) when its thread is visible, and, with `statuses`,
    only in one of them; else the `not_visible` 404."""
    comments = Comment.objects.select_related("thread").filter(pk=_checked_id(comment_id))
    if statuses is not None:
        comments = comments.filter(status__in=statuses)
    comment = comments.first()
    if comment is None or not page_is_visible(comment.thread.page_id):
        raise not_visible()
    return comment


# --- cursors -------------------------------------------------------------------------------------


def _order(sort: str) -> list[tuple[str, bool]]:
    """(field, descending) keys of a sort order, after the pinned phase."""
    if sort == "oldest":
        return [("created_at", False), ("id", False)]
    if sort == "votes":
        return [("score", True), ("created_at", True), ("id", True)]
    return [("created_at", True), ("id", True)]


def encode_cursor(sort: str, comment: Comment) -> str:
    data = {
        "s": sort,
        "p": int(comment.is_pinned),
        "c": comment.created_at.isoformat(),
        "i": comment.pk,
        "v": comment.score,
    }
    return (
        base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode())
        .decode()
        .rstrip("=")
    )


def decode_cursor(sort: str, cursor: str) -> dict[str, Any]:
    """The position a cursor stands for; anything malformed or from another sort order is a 400."""
    bad = invalid(
        _("That page link is not valid; please reload the discussion."), cursor="Invalid cursor."
    )
    if len(cursor) > 300:
        raise bad
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        created = datetime.fromisoformat(data["c"])
        pk, score = int(data["i"]), int(data["v"])
        position: dict[str, Any] = {
            "s": str(data["s"]),
            "p": bool(int(data["p"])),
            "created_at": created if timezone.is_aware(created) else None,
            "id": pk,
            "score": score,
        }
    except (
        ValueError,
        TypeError,
        KeyError,
        binascii.Error,
        UnicodeDecodeError,
        OverflowError,
    ) as exc:
        raise bad from exc
    if position["s"] != sort or position["created_at"] is None:
        raise bad
    if not (-(2**62) < pk < 2**62 and -(2**31) < score < 2**31):
        raise bad
    return position


def _after(sort: str, position: dict[str, Any]) -> Q:
    """Rows strictly after `position` in the sort order (lexicographic keyset condition)."""
    condition = Q(pk__in=[])
    equal = Q()
    for name, descending in _order(sort):
        value = position[name]
        step = Q(**{f"{name}__lt" if descending else f"{name}__gt": value})
        condition |= equal & step
        equal &= Q(**{name: value})
    return condition


# --- reads ---------------------------------------------------------------------------------------


def _roots(
    thread: Thread, sort: str, pinned: bool, kind: str = "", status: str | None = None
) -> QuerySet[Comment]:
    ordering = [f"-{name}" if descending else name for name, descending in _order(sort)]
    statuses = {"status": status} if status else {"status__in": VISIBLE}
    return (
        Comment.objects.filter(
            thread=thread,
            parent__isnull=True,
            is_pinned=pinned,
            **statuses,
            **({"target__isnull": False} if kind == "inline" else {}),  # inline feedback only
        )
        .select_related("user")
        .only(*COMMENT_FIELDS)
        .order_by(*ordering)
    )


def _sort_key(sort: str, comment: Comment) -> tuple[float, ...]:
    stamp = comment.created_at.timestamp()
    if sort == "oldest":
        return (stamp, comment.pk)
    if sort == "votes":
        return (-comment.score, -stamp, -comment.pk)
    return (-stamp, -comment.pk)


def _phase(
    thread: Thread,
    sort: str,
    pinned: bool,
    kind: str,
    position: dict[str, Any] | None,
    want: int | None,
) -> list[Comment]:
    """Roots of one phase (pinned or not) after `position`: one ordered index scan per status
    (equality on status keeps each scan in index order, so a page costs the same in any thread size)."""
    rows: list[Comment] = []
    pinned_ids: list[int] = []
    if pinned:
        pinned_ids = list(
            Comment.objects.filter(thread=thread, is_pinned=True)
            .order_by()
            .values_list("id", flat=True)
        )
        if not pinned_ids:
            return rows
    for status in VISIBLE:
        rows_of_status = _roots(thread, sort, pinned, kind, status)
        if pinned:
            rows_of_status = rows_of_status.filter(pk__in=pinned_ids)
        if position is not None:
            rows_of_status = rows_of_status.filter(_after(sort, position))
        rows.extend(rows_of_status if want is None else rows_of_status[:want])
    rows.sort(key=lambda comment: _sort_key(sort, comment))
    return rows if want is None else rows[:want]


def root_page(
    thread: Thread,
    sort: str = "newest",
    limit: int | None = 20,
    cursor: str | None = None,
    kind: str = "",
) -> tuple[list[Comment], str | None]:
    """A page of top-level comments (pinned first) and the cursor of the next page, if any."""
    if sort not in SORTS:
        raise invalid(_("Sort by newest, oldest or votes."), sort="One of newest, oldest, votes.")
    position = decode_cursor(sort, cursor) if cursor else None
    want = None if limit is None else limit + 1
    found: list[Comment] = []
    if position is None or position["p"]:
        found.extend(_phase(thread, sort, True, kind, position, want))
    if want is None or len(found) < want:
        after = position if position is not None and not position["p"] else None
        found.extend(
            _phase(thread, sort, False, kind, after, None if want is None else want - len(found))
        )
    if limit is not None and len(found) > limit:
        found = found[:limit]
        return found, encode_cursor(sort, found[-1])
    return found, None


def replies_of(root_ids: list[int]) -> list[Comment]:
    """Every visible reply under these top-level comments, in chronological order (one query)."""
    if not root_ids:
        return []
    return list(
        Comment.objects.filter(root_id__in=root_ids, status__in=VISIBLE)
        .select_related("user")
        .only(*COMMENT_FIELDS)
        .order_by("created_at", "id")
    )


def build_tree(roots: list[Comment], replies: list[Comment], display_depth: int) -> list[Node]:
    """Nest replies under their parents up to `display_depth` levels; deeper ones go flat at the last level.

    Iterative: parents come before their replies in chronological order. A reply whose parent is not
    visible (held, removed) is hidden with it.
    """
    items = [Node(root, 0) for root in roots]
    nodes: dict[int, Node] = {node.comment.pk: node for node in items}
    for reply in replies:
        parent = nodes.get(reply.parent_id)  # type: ignore[arg-type]
        if parent is None:
            continue
        if parent.level + 1 < display_depth:
            node = Node(reply, parent.level + 1, holder=parent)
        else:
            node = Node(reply, parent.level, replying_to=parent.comment, holder=parent.holder)
        (node.holder or parent).replies.append(node)
        nodes[reply.pk] = node
    return _prune_empty_placeholders(items)


def _prune_empty_placeholders(items: list[Node]) -> list[Node]:
    """A deleted placeholder with nothing visible under it has nothing to hold; drop it (bottom-up)."""
    stack = [(items, node) for node in items]
    order: list[tuple[list[Node], Node]] = []
    while stack:
        siblings, node = stack.pop()
        order.append((siblings, node))
        stack.extend((node.replies, child) for child in node.replies)
    for siblings, node in reversed(order):
        if node.comment.status == CommentStatus.DELETED and not node.replies:
            siblings.remove(node)
    return items


def thread_page(
    thread: Thread,
    sort: str = "newest",
    limit: int | None = 20,
    cursor: str | None = None,
    display_depth: int = 4,
    kind: str = "",
) -> CommentPage:
    """Top-level comments after `cursor` with all their visible replies; `limit=None` is "View all"."""
    roots, next_cursor = root_page(thread, sort, limit, cursor, kind)
    replies = replies_of([root.pk for root in roots])
    count = thread.comment_count if kind != "inline" else count_inline(thread)
    return CommentPage(count, build_tree(roots, replies, display_depth), next_cursor)


def page_of_comment(thread: Thread, comment_id: int, sort: str, page_size: int) -> int | None:
    """How many top-level comments to show so that `comment_id` is on the page (None: not visible)."""
    comment = Comment.objects.filter(pk=comment_id, thread=thread, status__in=VISIBLE).first()
    if comment is None:
        return None
    root = comment.root if comment.root_id else comment
    if root is None or root.status not in VISIBLE:
        return None
    before = _roots(thread, sort, True).count() if not root.is_pinned else 0
    position = {
        "created_at": root.created_at,
        "id": root.pk,
        "score": root.score,
    }
    ahead = _roots(thread, sort, root.is_pinned).exclude(pk=root.pk).exclude(_after(sort, position))
    return before + ahead.count() + 1


# --- the reader's own state ----------------------------------------------------------------------


def _own_comments_of(owner: Callable[[], dict[str, Any]]) -> CompiledQuery:
    """(id, created_at, status) of one reader's comments in a thread, `owner()` the filter that says
    whose; the `Param`s are made anew by each build."""
    return compiled(
        lambda: (
            Comment.objects.filter(thread_id=Param("thread", models.BigIntegerField()), **owner())
            .exclude(status=CommentStatus.DELETED)
            .order_by("created_at", "id")
            .values_list("id", "created_at", "status")
        )
    )


_OWN_BY_USER = _own_comments_of(lambda: {"user_id": Param("user", models.BigIntegerField())})
_OWN_BY_GUEST = _own_comments_of(
    lambda: {"user__isnull": True, "guest_key": Param("guest", models.CharField())}
)
_OWN_VOTES = compiled(
    lambda: (
        Vote.objects.filter(
            comment__thread_id=Param("thread", models.BigIntegerField()),
            voter_key=Param("voter", models.CharField()),
        )
        .order_by()
        .values_list("comment_id", "value")
    )
)
_HIDDEN = (CommentStatus.PENDING, CommentStatus.SPAM)


def own_comments(thread: Thread, actor: Actor) -> list[tuple[int, datetime, str]]:
    """(id, created_at, status) of the reader's comments in `thread`, oldest first, deleted ones
    left out. A reader the site cannot recognise (no account, no guest cookie) has none: no query.

    Every page view asks for this (GET .../me), so the queries are compiled once (core/compiled.py).
    """
    if actor.is_authenticated and actor.user is not None:
        return _OWN_BY_USER.rows(thread=thread.pk, user=actor.user.pk)  # type: ignore[return-value]
    if actor.guest_key:
        return _OWN_BY_GUEST.rows(thread=thread.pk, guest=actor.guest_key)  # type: ignore[return-value]
    return []


def own_votes(thread: Thread, actor: Actor) -> dict[int, int]:
    return dict(_OWN_VOTES.rows(thread=thread.pk, voter=actor.voter_key))  # type: ignore[arg-type]


def own_hidden(
    thread: Thread, actor: Actor, own: Sequence[tuple[int, datetime, str]]
) -> list[Comment]:
    """The reader's comments others cannot see: pending ('awaiting moderation') and shadowed ones.
    `own` is what own_comments() found: with none of them hidden (most readers), no query."""
    ids = [pk for pk, _created_at, status in own if status in _HIDDEN]
    if not ids:
        return []
    hidden = Comment.objects.filter(thread=thread, pk__in=ids[:50])
    return list(hidden.select_related("user").only(*COMMENT_FIELDS).order_by("created_at", "id"))


def follows_live(thread: Thread, policy: Policy) -> bool:
    """Whether open pages of `thread` follow it live: the policy's live switch (site, section, article)
    is on, and the discussion was active in the last LIVE_QUIET_DAYS days (a quiet thread is not
    worth a connection per reader; the page still shows what is there)."""
    from datetime import timedelta

    from django.conf import settings
    from django.db.models import Max

    if not policy.live or policy.is_hidden:
        return False
    quiet_days = int(getattr(settings, "LIVE_QUIET_DAYS", 14))
    since = timezone.now() - timedelta(days=quiet_days)
    newest = Comment.objects.filter(thread_id=thread.pk, status=CommentStatus.APPROVED).aggregate(
        newest=Max("created_at")
    )["newest"]
    started = Thread.objects.filter(pk=thread.pk).values_list("created_at", flat=True).first()
    return any(moment is not None and moment >= since for moment in (newest, started))
