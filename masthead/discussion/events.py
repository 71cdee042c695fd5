"""Live events of the discussion: what readers' and moderators' open pages learn without reloading.

The discussion signals (sent inside the actions' transactions) register the events here; they are
published on commit through the broker (`core/events.py`), built from the committed rows. Each
thread has a channel, `thread:<id>`, carrying only what an anonymous reader may see:

- `comment`: a comment that became public (at once, or approved later by a moderator), as the item
  the list endpoint returns;
- `edit` {id, html, edited_at}; `delete` {id, placeholder}: a public comment deleted, or moved out of
  public view (held, removed, spam); `votes` {id, upvotes, downvotes, score}; `pin` {id, pinned};
  `closed` {closed}; `count` {count}: the thread's public comment count.

Pending, spam and shadow-banned authors' comments (stored as spam) are never public, so never
published there. The `moderation` channel, for moderators only, carries `pending` (a comment that
waits for a moderator) and `reported` (a reader's report), each with the comment's id and thread.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from masthead.core.compiled import Param, compiled
from masthead.core.events import MakeData, publish_on_commit
from masthead.discussion import signals
from masthead.discussion.models import Comment, CommentStatus, Thread

MODERATION = "moderation"
PUBLIC = CommentStatus.APPROVED


def thread_channel(thread_id: int) -> str:
    return f"thread:{thread_id}"


def _public_item(comment: Comment) -> dict[str, Any] | None:
    """The API item of `comment`, built from the row the action committed: no query on the posting
    path (the thread, author and parent are the instances the action already holds)."""
    from masthead.discussion.policy import thread_policy
    from masthead.discussion.serialise import comment_item

    if comment.status != PUBLIC:  # withdrawn again before the transaction ended
        return None
    policy = thread_policy(comment.thread)
    replying_to = comment.parent if comment.depth >= policy.display_depth else None
    return comment_item(comment, replying_to=replying_to, gravatar=policy.gravatar)


_COMMENT_COUNT = compiled(
    lambda: (
        Thread.objects.filter(pk=Param("pk", models.BigIntegerField()))
        .order_by()
        .values_list("comment_count")
    )
)


_KNOWN_COUNT = "_live_thread_count"


def count_known(comment: Comment, count: int) -> None:
    """The thread's comment count as `comment`'s transaction leaves it (the counter's RETURNING, read
    under the row's lock): its `count` event sends that instead of reading the thread again after
    the commit, a round trip on PostgreSQL."""
    setattr(comment, _KNOWN_COUNT, count)


def _count(thread_id: int, comment: Comment | None = None) -> dict[str, Any] | None:
    known = getattr(comment, _KNOWN_COUNT, None)
    if known is not None:
        return {"count": known}
    row = _COMMENT_COUNT.first(pk=thread_id)
    return {"count": row[0]} if row else None


def _count_event(thread_id: int, comment: Comment | None = None) -> tuple[str, str, MakeData]:
    return thread_channel(thread_id), "count", lambda: _count(thread_id, comment)


def _for_moderators(comment: Comment, kind: str) -> None:
    comment_id, thread_id = comment.pk, comment.thread_id

    def data() -> dict[str, Any]:
        return {
            "id": comment_id,
            "thread_id": thread_id,
            "author_name": comment.author_name,
            "excerpt": comment.body[:200],
            "status": str(comment.status),
        }

    publish_on_commit((MODERATION, kind, data))


def published_reports(comment: Comment) -> None:
    """A reader reported `comment` (moderation calls this inside its transaction)."""
    _for_moderators(comment, "reported")


# --- receivers -----------------------------------------------------------------------------------


def on_posted(comment: Comment, **_: Any) -> None:
    if comment.status == CommentStatus.PENDING:
        _for_moderators(comment, "pending")


def on_approved(comment: Comment, **_: Any) -> None:
    publish_on_commit(
        (thread_channel(comment.thread_id), "comment", lambda: _public_item(comment)),
        _count_event(comment.thread_id, comment),
    )


def on_status_changed(comment: Comment, old_status: str, new_status: str, **_: Any) -> None:
    if new_status == CommentStatus.PENDING:
        _for_moderators(comment, "pending")
    # Becoming public is comment_approved's; an author's deletion is comment_deleted's.
    if old_status == PUBLIC and new_status not in (PUBLIC, CommentStatus.DELETED):
        comment_id = comment.pk
        publish_on_commit(
            (
                thread_channel(comment.thread_id),
                "delete",
                lambda: {"id": comment_id, "placeholder": False},
            ),
            _count_event(comment.thread_id),
        )


def on_deleted(comment: Comment, **_: Any) -> None:
    # Sent before the row changes: `comment.status` is what readers saw until now.
    if comment.status not in (PUBLIC, CommentStatus.DELETED):
        return
    comment_id = comment.pk

    def data() -> dict[str, Any]:
        kept = Comment.objects.filter(pk=comment_id, status=CommentStatus.DELETED).exists()
        return {"id": comment_id, "placeholder": kept}

    deleted = (thread_channel(comment.thread_id), "delete", data)
    if comment.status == PUBLIC:
        publish_on_commit(deleted, _count_event(comment.thread_id))
    else:
        publish_on_commit(deleted)


def on_edited(comment: Comment, **_: Any) -> None:
    if comment.status != PUBLIC:
        return
    comment_id = comment.pk

    def data() -> dict[str, Any] | None:
        row = Comment.objects.filter(pk=comment_id, status=PUBLIC).first()
        if row is None:
            return None
        return {
            "id": comment_id,
            "html": row.html,
            "edited_at": row.edited_at.isoformat() if row.edited_at else None,
        }

    publish_on_commit((thread_channel(comment.thread_id), "edit", data))


def on_vote(comment: Comment, **_: Any) -> None:
    comment_id = comment.pk

    def data() -> dict[str, Any] | None:
        row = (
            Comment.objects.filter(pk=comment_id, status=PUBLIC)
            .values("upvotes", "downvotes", "score")
            .first()
        )
        return None if row is None else {"id": comment_id, **row}

    publish_on_commit((thread_channel(comment.thread_id), "votes", data))


def on_pinned(comment: Comment, pinned: bool, **_: Any) -> None:
    if comment.status == PUBLIC:
        data = {"id": comment.pk, "pinned": pinned}
        publish_on_commit((thread_channel(comment.thread_id), "pin", lambda: data))


def on_closed(thread: Thread, closed: bool, **_: Any) -> None:
    publish_on_commit((thread_channel(thread.pk), "closed", lambda: {"closed": closed}))


def connect() -> None:
    """Called once from DiscussionConfig.ready()."""
    for signal, receiver in (
        (signals.comment_posted, on_posted),
        (signals.comment_approved, on_approved),
        (signals.comment_status_changed, on_status_changed),
        (signals.comment_deleted, on_deleted),
        (signals.comment_edited, on_edited),
        (signals.vote_changed, on_vote),
        (signals.comment_pinned, on_pinned),
        (signals.thread_closed, on_closed),
    ):
        signal.connect(receiver, dispatch_uid=f"discussion-live-{receiver.__name__}")
