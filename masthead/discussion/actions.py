"""The only writers of threads, comments and votes.

Every public action takes an Actor first (masthead.core.actors), validates and checks permission,
then writes in one transaction: rows, counters (F expressions), an audit row where it matters, the
discussion signals (inside the transaction) and, on commit, a page-cache bump for the article.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from masthead.accounts.verified import verified_email
from masthead.core import audit, cache_versions
from masthead.core.actors import Actor, can_moderate
from masthead.core.compiled import CompiledInsert, CompiledUpdate, Param, attnames, compiled
from masthead.core.db.held_writes import transaction_combined
from masthead.core.errors import ApiError, ErrorCode, forbidden, invalid
from masthead.core.inputs import MAX_ID
from masthead.discussion import events, guard, signals
from masthead.discussion.hooks import (
    REJECTED,
    Submission,
    Verdict,
    first_time_is_delegated,
    run_checks,
    strictest,
)
from masthead.discussion.inline.reanchoring import complete_comment_target
from masthead.discussion.inputs import (
    CommentInput,
    check_guest_name,
    clean_body,
    clean_email,
    clean_name,
    clean_notify,
    clean_website,
)
from masthead.discussion.models import Comment, CommentStatus, Thread, Vote
from masthead.discussion.policy import Policy, WhoMayComment, thread_policy
from masthead.discussion.queries import external_thread_for_key, not_visible
from masthead.discussion.rendering import render_markdown

__all__ = [
    "CommentInput",
    "can_moderate",
    "delete_comment",
    "edit_comment",
    "post_comment",
    "set_comment_status",
    "set_pinned",
    "set_thread_closed",
    "thread_for_page",
    "vote",
]

PUBLIC = CommentStatus.APPROVED


# --- helpers -------------------------------------------------------------------------------------


def is_author(actor: Actor, comment: Comment) -> bool:
    if actor.user is not None and actor.is_authenticated:
        return comment.user_id == actor.user.pk
    return (
        bool(actor.guest_key) and comment.user_id is None and comment.guest_key == actor.guest_key
    )


def within_edit_window_at(created_at: datetime, policy: Policy) -> bool:
    return bool(timezone.now() < created_at + policy.edit_window)


def within_edit_window(comment: Comment, policy: Policy) -> bool:
    return within_edit_window_at(comment.created_at, policy)


def commenting_refusal(actor: Actor, policy: Policy) -> ApiError | None:
    """Why this reader may not comment under `policy`'s "who may comment", or None when they may.
    Supporters are read from the user row (kept by funding's supporter_changed): no query."""
    if policy.who_may_comment == WhoMayComment.SUPPORTERS:
        if not (actor.is_authenticated and getattr(actor.user, "is_supporter", False)):
            return ApiError(
                ErrorCode.SUPPORTERS_ONLY,
                _("Comments here are open to supporters: readers who give monthly.")
                if actor.is_authenticated
                else _("Comments here are open to supporters: please sign in."),
                403,
            )
    elif policy.require_registration and not actor.is_authenticated:
        return ApiError(ErrorCode.REGISTRATION_REQUIRED, _("Please sign in to comment."), 403)
    return None


def _thread_is_open(thread: Thread, policy: Policy) -> bool:
    return policy.is_open and not thread.is_closed


def _changed(thread: Thread) -> None:
    """Readers see something new: bump the thread version now and the page cache on commit."""
    Thread.objects.filter(pk=thread.pk).update(version=F("version") + 1)
    cache_versions.bump("thread", thread.version_key)


def _counter_update(
    model: type[Thread] | type[Comment], changes: dict[str, Any], returning: tuple[str, ...] = ()
) -> CompiledUpdate:
    return CompiledUpdate(
        lambda: (model.objects.filter(pk=Param("pk", models.BigIntegerField())), changes),
        returning,
    )


# Compiled once (`core/compiled.py`): every approved post runs these inside its write transaction.
_DELTA = Param("delta", models.IntegerField())
_COUNT_COMMENTS = _counter_update(Thread, {"comment_count": F("comment_count") + _DELTA})
_COUNT_COMMENTS_AND_CHANGE = _counter_update(
    Thread,
    {"comment_count": F("comment_count") + _DELTA, "version": F("version") + 1},
    returning=("comment_count",),
)
_COUNT_REPLIES = _counter_update(Comment, {"reply_count": F("reply_count") + _DELTA})
_INSERT_COMMENT = CompiledInsert(Comment)
# The comment a reply answers, looked up in the thread it is posted to (a third of posts are replies).
_PARENT_IN_THREAD = compiled(
    lambda: (
        Comment.objects.filter(
            pk=Param("pk", models.BigIntegerField()),
            thread_id=Param("thread", models.BigIntegerField()),
        )
        .order_by()
        .values_list(*attnames(Comment))
    )
)


def _count(
    comment: Comment, delta: int, thread_changed: bool = False, being_posted: bool = False
) -> None:
    """Keep comment_count and the parent's reply_count right when `comment` enters/leaves public view
    (`thread_changed`: bump the thread's version in the same statement, as `_changed` does, and hand
    the live events the count this transaction leaves; `being_posted`: `comment` is a new post)."""
    if thread_changed:
        _COUNT_COMMENTS_AND_CHANGE.run(
            pk=comment.thread_id, delta=delta, then=lambda row: events.count_known(comment, row[0])
        )
    else:
        _COUNT_COMMENTS.run(pk=comment.thread_id, delta=delta)
    if comment.parent_id is not None:
        # A new reply's parent was there before the post (read at its start) and nothing else in
        # the post changes it: its count may share a statement with the reply's INSERT.
        _COUNT_REPLIES.run(pk=comment.parent_id, delta=delta, on_existing_rows=being_posted)


def _has_approved_history(actor: Actor, email: str) -> bool:
    """An approved comment by this account, or by this guest browser, or signed with an address this
    browser confirmed; never by whoever merely types that address."""
    approved = Comment.objects.filter(status=PUBLIC)
    if actor.is_authenticated:
        return approved.filter(user=actor.user).exists()
    mine = Q(user__isnull=True, guest_key=actor.guest_key) if actor.guest_key else Q(pk__in=[])
    if email and actor.owns_email(email):
        mine |= Q(user__isnull=True, author_email__iexact=email)
    return approved.filter(mine).exists()


def _default_verdict(actor: Actor, policy: Policy, email: str) -> Verdict:
    if actor.is_staff:
        return Verdict(CommentStatus.APPROVED, "staff")
    if policy.premoderation == "all":
        return Verdict(CommentStatus.PENDING, "premoderation", "Every comment waits for approval.")
    if (
        policy.premoderation == "first_time"
        and not first_time_is_delegated()
        and not _has_approved_history(actor, email)
    ):
        return Verdict(CommentStatus.PENDING, "first_time", "First comment from this reader.")
    return Verdict(CommentStatus.APPROVED, "default")


def _judge(submission: Submission, default: Verdict) -> Verdict:
    verdicts = run_checks(submission)
    verdict = strictest(verdicts, default)
    if verdict.status == CommentStatus.APPROVED:
        verdict = next((item for item in verdicts if item.shadow), verdict)
    if verdict.status == REJECTED:
        raise ApiError(
            ErrorCode.REJECTED, verdict.public_message or _("This comment cannot be posted."), 400
        )
    return verdict


def _status_for(verdict: Verdict) -> str:
    # A shadow verdict stores the comment non-public; its author still sees it as public (via /me).
    if verdict.shadow and verdict.status == CommentStatus.APPROVED:
        return CommentStatus.SPAM
    return verdict.status


def _locked(comment: Comment) -> Comment:
    return Comment.objects.select_for_update().select_related("thread").get(pk=comment.pk)


# --- threads -------------------------------------------------------------------------------------


def thread_for_page(page: Page) -> Thread:
    """The thread of `page`, created on first use (and when an article is published)."""
    thread = Thread.objects.filter(page_id=page.pk).first()
    if thread is not None:
        return thread
    try:
        with transaction.atomic():
            thread, _ = Thread.objects.get_or_create(page_id=page.pk)
    except IntegrityError:
        thread = Thread.objects.get(page_id=page.pk)
    return thread


def thread_for_external_url(
    url: str, title: str = "", *, embed_key: str = "", keep_query: Iterable[str] | None = None
) -> Thread:
    """The discussion of an external page (one that is no article of this site), created on first use.

    `url` is stored in its canonical spelling (`core.canonical_url`, keeping the `keep_query`
    parameters), so any spelling finds the same thread; raises `NotAUrl` when it is not an http(s)
    URL. With `embed_key` (an embedding site's own id for the discussion) the thread is found by that
    key instead, and several keyed threads may share a URL. An existing thread's title is filled in
    when it had none. Used by imports (`--create-stubs`) and the embed; such a thread has the site's
    policy (adjusted by THREAD_POLICY hooks).
    """
    from masthead.core.canonical_url import canonical_url

    canonical = canonical_url(url, keep_query)
    title = title.strip()[:255]
    embed_key = embed_key[:200]
    thread = external_thread_for_key(canonical, embed_key)
    if thread is None:
        try:
            with transaction.atomic():
                thread = Thread.objects.create(url=canonical, title=title, embed_key=embed_key)
        except IntegrityError:  # made at the same moment by another request
            thread = external_thread_for_key(canonical, embed_key)
            if thread is None:
                raise
    elif title and not thread.title:
        Thread.objects.filter(pk=thread.pk).update(title=title)
        thread.title = title
    return thread


def set_thread_closed(actor: Actor, thread: Thread, closed: bool) -> Thread:
    """Close or reopen a thread for new comments and votes (moderators). Audited."""
    if not can_moderate(actor):
        raise forbidden(_("Only moderators can close a discussion."))
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        if thread.is_closed != closed:
            before = thread.is_closed
            thread.is_closed = closed
            thread.save(update_fields=["is_closed"])
            audit.record(
                actor,
                "thread.close" if closed else "thread.reopen",
                thread,
                {"is_closed": before},
                {"is_closed": closed},
            )
            signals.thread_closed.send(sender=Thread, thread=thread, actor=actor, closed=closed)
            _changed(thread)
    thread.refresh_from_db()
    return thread


# --- comments ------------------------------------------------------------------------------------


def post_comment(actor: Actor, thread: Thread, data: CommentInput) -> Comment:
    """Post a comment (or a reply) to `thread`.

    Preconditions: the thread is open, the reader may comment (registration setting), the input is valid,
    the parent (if any) is an approved comment of this same thread, looked up here and never trusted.
    Writes the comment with the strictest verdict of the moderation checks, counters, an audit row;
    sends comment_preparing before the write transaction, comment_posted (and comment_approved when
    public at once) in it; bumps the page cache on commit.
    A signed-in reader posts under their verified primary address (allauth's EmailAddress).
    Raises ApiError: 400 invalid/rejected, 403 closed/registration_required/supporters_only
    (the policy's "who may comment")/email_unverified, 409 duplicate,
    413 too_large, 429 rate_limited.
    """
    policy = thread_policy(thread)
    if policy.is_hidden or not _thread_is_open(thread, policy):
        raise ApiError(ErrorCode.CLOSED, _("Comments are closed on this article."), 403)
    refusal = commenting_refusal(actor, policy)
    if refusal is not None:
        raise refusal
    body = clean_body(data.body, policy.max_length)
    notify = clean_notify(data.notify)
    user = actor.user
    if user is not None:
        # A signed-in reader comments under their verified address only (never user.email as typed).
        email = verified_email(user)
        if not email:
            raise ApiError(
                ErrorCode.EMAIL_UNVERIFIED,
                _("Please confirm your email address before commenting under your account."),
                403,
            )
        name = user.public_name[:50]
        website = clean_website(data.website)
    else:
        name = clean_name(data.name)
        check_guest_name(name)
        email = clean_email(data.email, policy.email_required)
        website = clean_website(data.website)
    parent = None
    if data.parent_id is not None:
        if (
            not isinstance(data.parent_id, int)
            or isinstance(data.parent_id, bool)
            or not 0 < data.parent_id < MAX_ID
        ):
            raise invalid(_("Unknown comment to reply to."), parent_id="Unknown comment.")
        found = _PARENT_IN_THREAD.instances(Comment, pk=data.parent_id, thread=thread.pk)
        parent = found[0] if found else None
        if parent is None or parent.status != PUBLIC:
            raise invalid(
                _("You can only reply to a published comment of this discussion."),
                parent_id="Unknown comment.",
            )
    target = complete_comment_target(thread, data.target, parent)
    guard.check_honeypot(data.honeypot)
    guard.check_post_rate(actor)
    html = render_markdown(body)

    # The checks only read (and may ask an outside provider): they run before the write transaction,
    # which on SQLite holds the database's one write lock, so other readers' posts need not wait on them.
    submission = Submission(
        thread=thread,
        parent=parent,
        body=body,
        html=html,
        actor=actor,
        name=name,
        email=email,
        website=website,
        seconds_to_submit=data.seconds_to_submit,
        honeypot=data.honeypot,
        extra={"target": target} if target else {},
    )
    copies = guard.copies_question(actor, thread, body)
    _INSERT_COMMENT.ask_ahead(submission.questions, *copies)
    signals.comment_asking.send(sender=Comment, submission=submission)
    verdict = _judge(submission, _default_verdict(actor, policy, email))
    status = _status_for(verdict)
    prepared: dict[str, Any] = {}
    signals.comment_preparing.send(
        sender=Comment, submission=submission, status=status, notify=notify, prepared=prepared
    )
    # The writes (the comment where the database holds it, counters, audit, moderation's log and
    # record) are sent together; on PostgreSQL a top-level comment's are one statement.
    with transaction_combined():
        # A copy posted by the same reader within a minute is refused, and nothing is written.
        comment = _INSERT_COMMENT.create_unless(
            *copies,
            guard.duplicate,
            questions=submission.questions,
            thread=thread,
            parent=parent,
            root_id=(parent.root_id or parent.pk) if parent is not None else None,
            depth=parent.depth + 1 if parent is not None else 0,
            user=actor.user if actor.is_authenticated else None,
            guest_key="" if actor.is_authenticated else actor.guest_key,
            author_name=name,
            author_email=email,
            author_website=website,
            ip_hash=actor.ip_hash,
            body=body,
            html=html,
            status=status,
            moderation=verdict.as_dict(),
            target=target,
            anchor_state="anchored" if target else "",
        )
        if status == PUBLIC:
            _count(comment, +1, thread_changed=True, being_posted=True)
            cache_versions.bump("thread", thread.version_key)
        audit.record(
            actor,
            "comment.post",
            comment,
            after={"status": status, "rule": verdict.rule},
        )
        signals.comment_posted.send(
            sender=Comment, comment=comment, actor=actor, notify=notify, prepared=prepared
        )
        if status == PUBLIC:
            signals.comment_approved.send(
                sender=Comment, comment=comment, actor=actor, prepared=prepared
            )
    return comment


def _edit_verdict(actor: Actor, policy: Policy, comment: Comment, body: str, html: str) -> Verdict:
    """The moderation checks on an author's edit, run as on a new comment (outside any transaction).

    Only an approved comment can move (back to the queue, or to spam); for any other status the
    default keeps it where a moderator or an earlier check put it, and only a rejection counts.
    """
    submission = Submission(
        thread=comment.thread,
        parent=comment.parent,
        body=body,
        html=html,
        actor=actor,
        name=comment.author_name,
        email=comment.author_email,
        website=comment.author_website,
        is_edit=True,
        comment=comment,
    )
    if comment.status == PUBLIC:
        default = _default_verdict(actor, policy, comment.author_email)
    else:
        default = Verdict(CommentStatus(comment.status), "edit")
    return _judge(submission, default)


def _refuse_removed(comment: Comment) -> None:
    if comment.status == CommentStatus.REMOVED:
        raise ApiError(
            ErrorCode.COMMENT_REMOVED,
            _("A moderator removed this comment; it can no longer be edited."),
            403,
        )


def edit_comment(actor: Actor, comment: Comment, body: str) -> Comment:
    """Change a comment's body: its author within the edit window (open thread), or a moderator at any time.

    An edit never undoes a moderator's decision: a removed comment cannot be edited by its author
    (403 `comment_removed`), a held or spam one stays so. An author's edit of an approved comment goes
    through the same checks as a new comment (pre-moderation included), before the write transaction:
    it may go back to the queue or to spam; a rejected edit is refused (400) and nothing changes.
    Moderators' edits keep the status. Sends comment_edited (and comment_status_changed when the
    status moves). Audited.
    """
    policy = thread_policy(comment.thread)
    moderator = can_moderate(actor)
    if not moderator:
        if not is_author(actor, comment):
            raise forbidden(_("You can only edit your own comments."))
        if comment.status == CommentStatus.DELETED:
            raise forbidden(_("This comment was deleted."))
        _refuse_removed(comment)
        if not _thread_is_open(comment.thread, policy):
            raise ApiError(ErrorCode.CLOSED, _("Comments are closed on this article."), 403)
        if not within_edit_window(comment, policy):
            raise ApiError(
                ErrorCode.EDIT_WINDOW_CLOSED, _("The time to edit this comment has passed."), 403
            )
    new_body = clean_body(body, policy.max_length)
    if new_body == comment.body:
        return comment
    html = render_markdown(new_body)
    verdict = None if moderator else _edit_verdict(actor, policy, comment, new_body, html)
    with transaction.atomic():
        comment = _locked(comment)
        if new_body == comment.body:
            return comment
        old_body, old_status = comment.body, comment.status
        new_status = old_status
        if verdict is not None:
            if old_status == CommentStatus.DELETED:
                raise forbidden(_("This comment was deleted."))
            _refuse_removed(comment)  # a moderator may have decided while the checks ran
            if old_status == PUBLIC:
                # Judged on another status (a moderator approved it meanwhile): that verdict is at
                # least as strict, so the edit waits for a moderator rather than skipping the checks.
                new_status = _status_for(verdict)
            if new_status != old_status:
                comment.moderation = verdict.as_dict()
        comment.body, comment.html = new_body, html
        comment.edited_at = timezone.now()
        comment.status = new_status
        comment.save(update_fields=["body", "html", "edited_at", "status", "moderation"])
        if new_status != old_status:
            _count(comment, (new_status == PUBLIC) - (old_status == PUBLIC))
        audit.record(
            actor,
            "comment.edit",
            comment,
            {"body": old_body, "status": old_status},
            {"body": new_body, "status": new_status},
        )
        signals.comment_edited.send(sender=Comment, comment=comment, actor=actor, old_body=old_body)
        if new_status != old_status:
            signals.comment_status_changed.send(
                sender=Comment,
                comment=comment,
                old_status=old_status,
                new_status=new_status,
                actor=actor,
                reason="edit",
            )
        if PUBLIC in (old_status, new_status):
            _changed(comment.thread)
    return comment


def delete_comment(actor: Actor, comment: Comment) -> Comment | None:
    """Delete a comment: its author (guests within the edit window) or a moderator.

    With replies it becomes a "[deleted]" placeholder (status deleted, body emptied) so the thread stays
    readable, and that Comment is returned; without replies the row goes (and so do deleted placeholders
    left without replies above it), and None is returned. Sends comment_deleted. Audited.
    """
    policy = thread_policy(comment.thread)
    moderator = can_moderate(actor)
    if not moderator:
        if not is_author(actor, comment):
            raise forbidden(_("You can only delete your own comments."))
        if not actor.is_authenticated and not within_edit_window(comment, policy):
            raise ApiError(
                ErrorCode.EDIT_WINDOW_CLOSED, _("The time to delete this comment has passed."), 403
            )
    with transaction.atomic():
        comment = _locked(comment)
        old_status = comment.status
        audit.record(
            actor,
            "comment.delete",
            comment,
            {"status": old_status, "body": comment.body, "author": comment.author_name},
            {},
        )
        if old_status == PUBLIC:
            _count(comment, -1)
        signals.comment_deleted.send(sender=Comment, comment=comment, actor=actor)
        thread = comment.thread
        result: Comment | None
        if comment.children.exists():
            comment.status = CommentStatus.DELETED
            comment.body = comment.html = ""
            comment.save(update_fields=["status", "body", "html"])
            if old_status != CommentStatus.DELETED:
                signals.comment_status_changed.send(
                    sender=Comment,
                    comment=comment,
                    old_status=old_status,
                    new_status=CommentStatus.DELETED,
                    actor=actor,
                    reason="deleted by author" if not moderator else "deleted by moderator",
                )
            result = comment
        else:
            parent_id = comment.parent_id
            comment.delete()
            # Placeholders exist only to hold replies; one left without any goes too.
            while parent_id is not None:
                parent = Comment.objects.filter(pk=parent_id, status=CommentStatus.DELETED).first()
                if parent is None or parent.children.exists():
                    break
                parent_id = parent.parent_id
                parent.delete()
            result = None
        if old_status in (PUBLIC, CommentStatus.DELETED):
            _changed(thread)
    return result


def set_comment_status(
    actor: Actor, comment: Comment, status: str, reason: str = "", verdict: Verdict | None = None
) -> Comment:
    """Move a comment to `status` (moderators): approve, hold, mark spam, remove.

    Keeps comment_count and reply_count right on every transition, stores the verdict (or the decision)
    in comment.moderation, writes an audit row, sends comment_status_changed and, when the comment becomes
    public, comment_approved. Replies stay attached; a comment that leaves public view hides its replies.
    """
    if not can_moderate(actor):
        raise forbidden(_("Only moderators can change a comment's status."))
    if status not in CommentStatus.values:
        raise invalid(_("Unknown status."), status="One of " + ", ".join(CommentStatus.values))
    with transaction.atomic():
        comment = _locked(comment)
        old_status = comment.status
        if old_status == status:
            return comment
        comment.status = status
        if verdict is not None:
            comment.moderation = verdict.as_dict()
        else:
            comment.moderation = {
                **(comment.moderation or {}),
                "decision": {
                    "status": status,
                    "by": actor.get_username(),
                    "reason": reason,
                    "at": timezone.now().isoformat(),
                },
            }
        comment.save(update_fields=["status", "moderation"])
        delta = (status == PUBLIC) - (old_status == PUBLIC)
        if delta:
            _count(comment, delta)
        audit.record(
            actor,
            f"comment.{status}",
            comment,
            {"status": old_status},
            {"status": status},
            note=reason,
        )
        signals.comment_status_changed.send(
            sender=Comment,
            comment=comment,
            old_status=old_status,
            new_status=status,
            actor=actor,
            reason=reason,
        )
        if status == PUBLIC:
            signals.comment_approved.send(sender=Comment, comment=comment, actor=actor)
        if PUBLIC in (old_status, status):
            _changed(comment.thread)
    return comment


def set_pinned(actor: Actor, comment: Comment, pinned: bool) -> Comment:
    """Pin a top-level comment so it comes first in every sort order (moderators). Audited."""
    if not can_moderate(actor):
        raise forbidden(_("Only moderators can pin comments."))
    if comment.parent_id is not None and pinned:
        raise invalid(_("Only top-level comments can be pinned."))
    with transaction.atomic():
        comment = _locked(comment)
        if comment.is_pinned != pinned:
            comment.is_pinned = pinned
            comment.save(update_fields=["is_pinned"])
            audit.record(
                actor,
                "comment.pin" if pinned else "comment.unpin",
                comment,
                {"is_pinned": not pinned},
                {"is_pinned": pinned},
            )
            signals.comment_pinned.send(sender=Comment, comment=comment, actor=actor, pinned=pinned)
            _changed(comment.thread)
    return comment


# --- votes ---------------------------------------------------------------------------------------


def _existing_vote(actor: Actor, comment: Comment) -> Vote | None:
    votes = Vote.objects.select_for_update().filter(comment=comment)
    vote_row = votes.filter(voter_key=actor.voter_key).first()
    if vote_row is None and not actor.is_authenticated and actor.ip_hash:
        # A guest who cleared cookies is still the same address: no extra votes.
        vote_row = (
            votes.filter(ip_hash=actor.ip_hash).exclude(voter_key__startswith="user:").first()
        )
    return vote_row


def vote(actor: Actor, comment: Comment, value: int) -> Comment:
    """Set this reader's vote on a public comment to +1, -1 or 0 (withdraw); returns the comment with new counts.

    One vote per reader (user, or guest cookie plus hashed IP); not on one's own comment; up-votes only
    when the site uses likes. Sends vote_changed. Raises 400, 403 (closed, own comment), 429.
    """
    if isinstance(value, bool) or value not in (-1, 0, 1):
        raise invalid(_("A vote is -1, 0 or 1."), value="One of -1, 0, 1.")
    policy = thread_policy(comment.thread)
    if value == -1 and policy.likes_only:
        raise invalid(_("This site only has likes."), value="One of 0, 1.")
    if comment.status != PUBLIC:
        raise not_visible()
    if not _thread_is_open(comment.thread, policy):
        raise ApiError(ErrorCode.CLOSED, _("Voting is closed on this article."), 403)
    if is_author(actor, comment) or (
        not actor.is_authenticated
        and comment.user_id is None
        and actor.ip_hash
        and comment.ip_hash == actor.ip_hash
    ):
        raise ApiError(ErrorCode.OWN_COMMENT, _("You cannot vote on your own comment."), 403)
    guard.check_vote_rate(actor)
    try:
        with transaction.atomic():
            comment = _locked(comment)
            existing = _existing_vote(actor, comment)
            old_value = existing.value if existing is not None else 0
            if old_value == value:
                return comment
            if existing is None:
                Vote.objects.create(
                    comment=comment, voter_key=actor.voter_key, ip_hash=actor.ip_hash, value=value
                )
            elif value == 0:
                existing.delete()
            else:
                existing.value = value
                existing.save(update_fields=["value"])
            ups = (value == 1) - (old_value == 1)
            downs = (value == -1) - (old_value == -1)
            Comment.objects.filter(pk=comment.pk).update(
                upvotes=F("upvotes") + ups,
                downvotes=F("downvotes") + downs,
                score=F("score") + ups - downs,
            )
            comment.refresh_from_db(fields=["upvotes", "downvotes", "score"])
            signals.vote_changed.send(
                sender=Comment, comment=comment, actor=actor, old_value=old_value, new_value=value
            )
            _changed(comment.thread)
    except IntegrityError as exc:
        raise ApiError(ErrorCode.CONFLICT, _("Your vote was already counted."), 409) from exc
    return comment
