"""A commenter's own data in the discussion: export, erasure, claiming guest comments, renaming.

Called by accounts.privacy, inside its transaction (these functions never open an outermost one of
their own): the caller writes the audit row for the request as a whole. An author is a signed-in user,
a set of email addresses, or both; an address counts only when the caller has proved it is the
reader's (a verified account email, a signed link, or staff acting on a request).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q, QuerySet

from masthead.core import cache_versions
from masthead.core.actors import Actor
from masthead.core.models import AuditEntry
from masthead.discussion import signals
from masthead.discussion.models import Comment, CommentStatus, Thread, Vote
from masthead.discussion.serialise import DELETED_NAME

PUBLIC = CommentStatus.APPROVED


@dataclass(frozen=True)
class Author:
    """Whose comments: `user`'s (by account) and those stored with any of `emails`."""

    user: Any = None
    emails: tuple[str, ...] = ()

    @property
    def voter_keys(self) -> list[str]:
        return [f"user:{self.user.pk}"] if self.user is not None else []


@dataclass
class Erased:
    placeholders: int = 0
    removed: int = 0
    votes: int = 0
    thread_ids: set[int] = field(default_factory=set)


def comments_q(author: Author) -> Q:
    query = Q(pk__in=[])
    if author.user is not None:
        query |= Q(user_id=author.user.pk)
    for email in author.emails:
        query |= Q(author_email__iexact=email)
    return query


def comments_of(author: Author) -> QuerySet[Comment]:
    """Every comment of `author` except deleted placeholders (nothing of theirs is left in those)."""
    return (
        Comment.objects.filter(comments_q(author))
        .exclude(status=CommentStatus.DELETED)
        .select_related("thread__page")
    )


def _article(comment: Comment) -> dict[str, Any]:
    page = comment.thread.page
    if page is None:
        return {"title": comment.thread.display_title, "url": comment.thread.url}
    return {"title": page.title, "url": page.full_url or page.url or ""}


def export_comments(author: Author) -> list[dict[str, Any]]:
    return [
        {
            "id": comment.pk,
            "article": _article(comment),
            "parent_id": comment.parent_id,
            "status": comment.status,
            "author_name": comment.author_name,
            "author_email": comment.author_email,
            "author_website": comment.author_website,
            "body": comment.body,
            "created_at": comment.created_at.isoformat(),
            "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
            "upvotes": comment.upvotes,
            "downvotes": comment.downvotes,
            "quoted_passage": comment.target,
        }
        for comment in comments_of(author).order_by("created_at", "id")
    ]


def export_votes(author: Author) -> list[dict[str, Any]]:
    votes = Vote.objects.filter(voter_key__in=author.voter_keys).select_related(
        "comment__thread__page"
    )
    return [
        {
            "comment_id": vote.comment_id,
            "article": _article(vote.comment),
            "value": vote.value,
            "created_at": vote.created_at.isoformat(),
        }
        for vote in votes.order_by("created_at", "id")
    ]


def bump_threads(thread_ids: Iterable[int]) -> None:
    """Readers of these threads see the change: versions now, page caches on commit."""
    ids = sorted(set(thread_ids))
    if not ids:
        return
    Thread.objects.filter(pk__in=ids).update(version=F("version") + 1)
    for thread in Thread.objects.filter(pk__in=ids).only("id", "page_id"):
        cache_versions.bump("thread", thread.version_key)


def _count(comment: Comment, delta: int) -> None:
    Thread.objects.filter(pk=comment.thread_id).update(comment_count=F("comment_count") + delta)
    if comment.parent_id is not None:
        Comment.objects.filter(pk=comment.parent_id).update(reply_count=F("reply_count") + delta)


def _scrub_audit(comment_ids: list[int]) -> None:
    """Bodies and names kept in audit rows of erased comments go too; the decisions stay."""
    rows = AuditEntry.objects.filter(
        object_type=Comment._meta.label_lower, object_id__in=[str(pk) for pk in comment_ids]
    )
    for entry in rows.iterator():
        before = {
            key: value for key, value in entry.before.items() if key not in ("body", "author")
        }
        after = {key: value for key, value in entry.after.items() if key not in ("body", "author")}
        if before != entry.before or after != entry.after:
            AuditEntry.objects.filter(pk=entry.pk).update(before=before, after=after)


def erase_comments(actor: Actor, author: Author, result: Erased) -> None:
    """Erase `author`'s comments: one with replies becomes a "[deleted]" placeholder with nothing of
    theirs left in it (body, name, email, website, address hash, guest key, account); one without is
    removed, and so is any placeholder above it left holding nothing. Counters move with F(). The
    caller's transaction holds it; each comment sends comment_deleted."""
    comments = list(
        Comment.objects.select_for_update()
        .filter(comments_q(author))
        .order_by("-depth", "-id")  # replies before their parents: a whole own subthread goes
    )
    ids = [comment.pk for comment in comments]
    for comment in comments:
        if comment.status == PUBLIC:
            _count(comment, -1)
        if comment.status in (PUBLIC, CommentStatus.DELETED):
            result.thread_ids.add(comment.thread_id)
        signals.comment_deleted.send(sender=Comment, comment=comment, actor=actor)
        if Comment.objects.filter(parent_id=comment.pk).exists():
            Comment.objects.filter(pk=comment.pk).update(
                status=CommentStatus.DELETED,
                body="",
                html="",
                author_name=DELETED_NAME,
                author_email="",
                author_website="",
                ip_hash="",
                guest_key="",
                user=None,
                moderation={},
                is_pinned=False,
            )
            result.placeholders += 1
            continue
        parent_id = comment.parent_id
        Comment.objects.filter(pk=comment.pk).delete()
        result.removed += 1
        while parent_id is not None:
            parent = Comment.objects.filter(pk=parent_id, status=CommentStatus.DELETED).first()
            if parent is None or Comment.objects.filter(parent_id=parent.pk).exists():
                break
            parent_id = parent.parent_id
            parent.delete()
    _scrub_audit(ids)


def withdraw_votes(actor: Actor, author: Author, result: Erased) -> None:
    """Withdraw every vote of `author` (signed-in votes: guests' are keyed by their browser)."""
    votes = list(
        Vote.objects.select_for_update()
        .filter(voter_key__in=author.voter_keys)
        .select_related("comment")
    )
    for vote in votes:
        ups = -1 if vote.value == 1 else 0
        downs = -1 if vote.value == -1 else 0
        Comment.objects.filter(pk=vote.comment_id).update(
            upvotes=F("upvotes") + ups,
            downvotes=F("downvotes") + downs,
            score=F("score") + ups - downs,
        )
        vote.delete()
        signals.vote_changed.send(
            sender=Comment, comment=vote.comment, actor=actor, old_value=vote.value, new_value=0
        )
        result.votes += 1
        result.thread_ids.add(vote.comment.thread_id)


def unclaimed_comments(emails: Iterable[str]) -> QuerySet[Comment]:
    """Guest comments written with any of these addresses and not yet attached to an account."""
    query = Q(pk__in=[])
    for email in emails:
        query |= Q(author_email__iexact=email)
    return Comment.objects.filter(query, user__isnull=True).exclude(status=CommentStatus.DELETED)


def attach_comments(user: Any, emails: Iterable[str]) -> list[int]:
    """Attach the unclaimed guest comments of `emails` to `user`, under their public name; returns
    the claimed ids (the caller checked that the addresses are the user's, verified)."""
    rows = list(
        unclaimed_comments(emails).select_for_update().values_list("pk", "thread_id", "status")
    )
    ids = [pk for pk, _, _ in rows]
    Comment.objects.filter(pk__in=ids).update(
        user=user, author_name=user.public_name[:50], guest_key=""
    )
    bump_threads(thread_id for _, thread_id, status in rows if status == PUBLIC)
    return ids


def rename_author(user: Any) -> int:
    """Show `user`'s current public name on all their comments; returns how many changed."""
    name = user.public_name[:50]
    mine = Comment.objects.filter(user=user).exclude(status=CommentStatus.DELETED)
    threads = set(mine.exclude(author_name=name).values_list("thread_id", flat=True))
    changed = mine.exclude(author_name=name).update(author_name=name)
    bump_threads(threads)
    return changed


def threads_of(user: Any) -> set[int]:
    """Threads where `user` has public comments (their badge or avatar shows there)."""
    return set(Comment.objects.filter(user=user, status=PUBLIC).values_list("thread_id", flat=True))
