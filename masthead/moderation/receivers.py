"""Moderation's receivers of discussion signals: author history, the submission log, vote abuse,
the Akismet-compatible provider's record and corrections.

All run inside discussion's transaction (see discussion/signals.py); a receiver that raises ApiError
refuses the whole action (used for vote abuse).
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from masthead.core import ratelimit
from masthead.core.actors import Actor
from masthead.core.clientip import hash_ip, network_of
from masthead.core.compiled import CompiledInsert
from masthead.core.db.held_writes import write
from masthead.core.errors import ApiError, ErrorCode
from masthead.discussion.hooks import Submission
from masthead.discussion.models import Comment, CommentStatus
from masthead.moderation import akismet
from masthead.moderation.checks import ask_copies_elsewhere, author_key, email_key
from masthead.moderation.conf import setting
from masthead.moderation.models import AuthorRecord, SubmissionLog
from masthead.moderation.normalise import fingerprint

REJECTED = (CommentStatus.REMOVED, CommentStatus.SPAM)
_INSERT_LOG = CompiledInsert(SubmissionLog)  # one row per post


def comment_author_key(comment: Comment) -> str:
    """The identity the comment's history is kept under (account, else guest cookie)."""
    return author_key(
        comment.user if comment.user_id else None, "", comment.guest_key, comment.ip_hash
    )


def comment_author_keys(comment: Comment) -> list[str]:
    """Every key a decision on `comment` counts for: its identity, and the address it was signed
    with (read back only by a browser that confirmed that address: checks.submission_author_keys)."""
    keys = [comment_author_key(comment)]
    if comment.author_email and comment.user_id is None:
        keys.append(email_key(comment.author_email))
    return keys


# One statement for all of a comment's keys whether or not they have a record yet (SQLite ≥ 3.24 and
# PostgreSQL both have it); two concurrent first comments of one author both count.
_UPSERT = (
    'INSERT INTO {table} ("key", "approved_count", "rejected_count", "updated_at") '
    "VALUES {rows} "
    'ON CONFLICT ("key") DO UPDATE SET '
    '"approved_count" = {table}."approved_count" + excluded."approved_count", '
    '"rejected_count" = {table}."rejected_count" + excluded."rejected_count", '
    '"updated_at" = excluded."updated_at"'
)


def _bump(comment: Comment, approved: int = 0, rejected: int = 0) -> None:
    keys = comment_author_keys(comment)
    table = connection.ops.quote_name(AuthorRecord._meta.db_table)
    now = timezone.now()
    rows = ", ".join(["(%s, %s, %s, %s)"] * len(keys))
    params: list[Any] = []
    for key in keys:
        params.extend([key, max(approved, 0), rejected, now])
    write(_UPSERT.format(table=table, rows=rows), params)  # held to the end of a post's writes
    if approved < 0:
        AuthorRecord.objects.filter(key__in=keys, approved_count__gt=0).update(
            approved_count=F("approved_count") - 1
        )


def on_comment_approved(sender: Any, comment: Comment, **kwargs: Any) -> None:
    _bump(comment, approved=1)


def on_status_changed(
    sender: Any, comment: Comment, old_status: str, new_status: str, **kwargs: Any
) -> None:
    akismet.report_decision(kwargs.get("actor") or Actor.system(), comment, new_status)
    if new_status in REJECTED and old_status not in REJECTED:
        # An approval that a moderator takes back no longer counts towards trust.
        _bump(comment, approved=-1 if old_status == CommentStatus.APPROVED else 0, rejected=1)
    elif old_status in REJECTED and new_status == CommentStatus.APPROVED:
        AuthorRecord.objects.filter(
            key__in=comment_author_keys(comment), rejected_count__gt=0
        ).update(rejected_count=F("rejected_count") - 1)
    elif old_status == CommentStatus.APPROVED and new_status == CommentStatus.PENDING:
        AuthorRecord.objects.filter(
            key__in=comment_author_keys(comment), approved_count__gt=0
        ).update(approved_count=F("approved_count") - 1)


def on_comment_asking(sender: Any, submission: Submission, **kwargs: Any) -> None:
    """Before the checks: ask what the spam score's duplicate signal reads, with the other apps' reads."""
    ask_copies_elsewhere(submission)


def on_comment_preparing(
    sender: Any, submission: Submission, prepared: dict[str, Any], **kwargs: Any
) -> None:
    """Before the comment's transaction: hand on what the spam provider was asked and answered."""
    if akismet.EXTRA_KEY in submission.extra:
        prepared[akismet.EXTRA_KEY] = submission.extra[akismet.EXTRA_KEY]


def on_comment_posted(
    sender: Any, comment: Comment, prepared: dict[str, Any] | None = None, **kwargs: Any
) -> None:
    akismet.record_check(comment, (prepared or {}).get(akismet.EXTRA_KEY))
    ip = getattr(kwargs.get("actor"), "ip", "")
    _INSERT_LOG.add(
        digest=fingerprint(comment.body),
        thread_id=comment.thread_id,
        comment_id=comment.pk,
        ip_hash=comment.ip_hash,
        network_hash=hash_ip(network_of(ip)) if ip else "",
    )


def on_comment_edited(sender: Any, comment: Comment, **kwargs: Any) -> None:
    SubmissionLog.objects.filter(comment_id=comment.pk).update(digest=fingerprint(comment.body))


def on_vote_changed(
    sender: Any, comment: Comment, actor: Actor, old_value: int, new_value: int, **kwargs: Any
) -> None:
    """Refuse votes from the author's other accounts, and bursts of votes from one network."""
    if new_value == 0:
        return
    user = actor.user if actor.is_authenticated else None
    same_person = (
        (actor.ip_hash and comment.ip_hash and actor.ip_hash == comment.ip_hash)
        or (
            user is not None
            and user.email
            and comment.author_email
            and user.email.strip().lower() == comment.author_email.strip().lower()
        )
        or (
            user is not None
            and comment.user_id is not None
            and user.email
            and comment.user is not None
            and (comment.user.email or "").lower() == user.email.lower()
        )
    )
    if same_person:
        raise ApiError(ErrorCode.OWN_COMMENT, _("You cannot vote on your own comment."), 403)
    if actor.ip:
        ratelimit.enforce(
            "vote-network",
            network_of(actor.ip),
            str(setting("VOTE_BURST_RATE")),
            "Too many votes from your network; please wait a moment.",
        )
