"""The discussion actions: the only writers of comments, counters and votes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from wagtail import hooks as wagtail_hooks

from masthead.core.errors import ApiError, ErrorCode
from masthead.core.hooks import COMMENT_CHECK
from masthead.core.models import AuditEntry
from masthead.discussion import actions, hooks, signals
from masthead.discussion.models import Comment, CommentStatus, Thread
from tests.helpers import comment_input, connected, guest_actor, user_actor

pytestmark = pytest.mark.django_db


def refreshed(obj: Any) -> Any:
    obj.refresh_from_db()
    return obj


def test_published_article_has_a_thread_from_the_start(an_article: Any) -> None:
    assert Thread.objects.filter(page=an_article).exists()
    assert actions.thread_for_page(an_article) == actions.thread_for_page(an_article)


def test_post_comment_writes_rendered_html_counters_audit_and_signals(
    a_thread: Any, a_guest: Any
) -> None:
    seen: list[tuple[str, dict[str, Any]]] = []

    def on_posted(sender: Any, **kwargs: Any) -> None:
        seen.append(("posted", kwargs))

    def on_approved(sender: Any, **kwargs: Any) -> None:
        seen.append(("approved", kwargs))

    with (
        connected(signals.comment_posted, on_posted),
        connected(signals.comment_approved, on_approved),
    ):
        comment = actions.post_comment(
            a_guest, a_thread, comment_input("Hello *world*", notify="all")
        )
    assert comment.status == CommentStatus.APPROVED
    assert comment.html == "<p>Hello <em>world</em></p>"
    assert comment.guest_key == a_guest.guest_key
    assert refreshed(a_thread).comment_count == 1
    assert [name for name, _ in seen] == ["posted", "approved"]
    assert seen[0][1]["notify"] == "all" and seen[0][1]["actor"] is a_guest
    assert AuditEntry.objects.filter(action="comment.post", object_id=str(comment.pk)).exists()


def test_reply_sets_root_depth_and_reply_count(
    a_thread: Any, a_guest: Any, another_guest: Any
) -> None:
    top = actions.post_comment(a_guest, a_thread, comment_input("Top"))
    reply = actions.post_comment(another_guest, a_thread, comment_input("Reply", parent_id=top.pk))
    deeper = actions.post_comment(a_guest, a_thread, comment_input("Deeper", parent_id=reply.pk))
    assert (reply.root_id, reply.depth) == (top.pk, 1)
    assert (deeper.root_id, deeper.depth) == (top.pk, 2)
    assert refreshed(top).reply_count == 1
    assert refreshed(a_thread).comment_count == 3


def test_reply_to_pending_comment_is_refused(
    a_thread: Any, a_guest: Any, moderator_actor: Any
) -> None:
    top = actions.post_comment(a_guest, a_thread, comment_input("Top"))
    actions.set_comment_status(moderator_actor, top, CommentStatus.PENDING)
    with pytest.raises(ApiError) as refused:
        actions.post_comment(a_guest, a_thread, comment_input("Reply", parent_id=top.pk))
    assert (refused.value.status, refused.value.code) == (400, ErrorCode.INVALID)
    assert "parent_id" in refused.value.fields


def test_reply_to_comment_of_another_thread_is_refused(
    a_thread: Any, a_section: Any, a_guest: Any
) -> None:
    from masthead.publishing.actions import create_article

    other = actions.thread_for_page(create_article(a_section, "Another story"))
    elsewhere = actions.post_comment(a_guest, other, comment_input("Elsewhere"))
    with pytest.raises(ApiError) as refused:
        actions.post_comment(a_guest, a_thread, comment_input("Reply", parent_id=elsewhere.pk))
    assert (refused.value.status, refused.value.code) == (400, ErrorCode.INVALID)
    assert Comment.objects.filter(thread=a_thread).count() == 0


def test_duplicate_within_a_minute_is_one_comment(a_thread: Any, a_guest: Any) -> None:
    actions.post_comment(a_guest, a_thread, comment_input("Same words"))
    with pytest.raises(ApiError) as refused:
        actions.post_comment(a_guest, a_thread, comment_input("Same words"))
    assert (refused.value.status, refused.value.code) == (409, "duplicate")
    assert Comment.objects.count() == 1


def test_rejecting_check_refuses_with_public_message_and_writes_nothing(
    a_thread: Any, a_guest: Any
) -> None:
    def no_cabbage(submission: hooks.Submission) -> hooks.Verdict | None:
        if "cabbage" in submission.body:
            return hooks.Verdict("rejected", "banned_word", public_message="No cabbages here.")
        return None

    with (
        wagtail_hooks.register_temporarily(COMMENT_CHECK, no_cabbage),
        pytest.raises(ApiError) as refused,
    ):
        actions.post_comment(a_guest, a_thread, comment_input("I like cabbage"))
    assert (refused.value.status, refused.value.code, refused.value.message) == (
        400,
        "rejected",
        "No cabbages here.",
    )
    assert Comment.objects.count() == 0 and refreshed(a_thread).comment_count == 0


def test_pending_verdict_keeps_comment_out_of_the_count(a_thread: Any, a_guest: Any) -> None:
    def hold(submission: hooks.Submission) -> hooks.Verdict:
        return hooks.Verdict("pending", "suspect_word", reason="suspect", score=0.7)

    with wagtail_hooks.register_temporarily(COMMENT_CHECK, hold):
        comment = actions.post_comment(a_guest, a_thread, comment_input("Hold me"))
    assert comment.status == CommentStatus.PENDING
    assert comment.moderation == {
        "status": "pending",
        "rule": "suspect_word",
        "reason": "suspect",
        "score": 0.7,
    }
    assert refreshed(a_thread).comment_count == 0


def test_shadow_verdict_stores_comment_non_public(a_thread: Any, a_guest: Any) -> None:
    def shadow(submission: hooks.Submission) -> hooks.Verdict:
        return hooks.Verdict("approved", "shadow_ban", shadow=True)

    with wagtail_hooks.register_temporarily(COMMENT_CHECK, shadow):
        comment = actions.post_comment(a_guest, a_thread, comment_input("Shadowed"))
    assert comment.status != CommentStatus.APPROVED and comment.moderation["shadow"] is True
    assert refreshed(a_thread).comment_count == 0


def test_status_transitions_keep_counts_right_and_signal(
    a_thread: Any, a_guest: Any, moderator_actor: Any
) -> None:
    top = actions.post_comment(a_guest, a_thread, comment_input("Top"))
    reply = actions.post_comment(a_guest, a_thread, comment_input("Reply", parent_id=top.pk))
    approved: list[Any] = []
    changed: list[tuple[str, str]] = []

    def on_approved(sender: Any, comment: Any, actor: Any, **kwargs: Any) -> None:
        approved.append(comment.pk)

    def on_changed(
        sender: Any,
        comment: Any,
        old_status: str,
        new_status: str,
        actor: Any,
        reason: str,
        **kwargs: Any,
    ) -> None:
        changed.append((old_status, new_status))

    with (
        connected(signals.comment_approved, on_approved),
        connected(signals.comment_status_changed, on_changed),
    ):
        for status in ["pending", "spam", "removed", "approved", "approved", "pending", "approved"]:
            actions.set_comment_status(moderator_actor, reply, status, reason="test")
            expected = 2 if status == "approved" else 1
            assert refreshed(a_thread).comment_count == expected
            assert refreshed(top).reply_count == expected - 1
    assert approved == [reply.pk, reply.pk]
    assert changed[0] == ("approved", "pending") and len(changed) == 6
    assert AuditEntry.objects.filter(action="comment.spam", object_id=str(reply.pk)).exists()


def test_readers_cannot_moderate(a_thread: Any, a_guest: Any, a_reader: Any) -> None:
    comment = actions.post_comment(a_guest, a_thread, comment_input("Top"))
    for attempt in (
        lambda: actions.set_comment_status(user_actor(a_reader), comment, "removed"),
        lambda: actions.set_pinned(a_guest, comment, True),
        lambda: actions.set_thread_closed(user_actor(a_reader), a_thread, True),
    ):
        with pytest.raises(ApiError) as refused:
            attempt()
        assert (refused.value.status, refused.value.code) == (403, ErrorCode.FORBIDDEN)
    assert refreshed(comment).status == "approved"


def test_author_edits_within_window_and_not_after(
    a_thread: Any, a_guest: Any, another_guest: Any
) -> None:
    comment = actions.post_comment(a_guest, a_thread, comment_input("First draft"))
    edited = actions.edit_comment(a_guest, comment, "Second **draft**")
    assert edited.html == "<p>Second <strong>draft</strong></p>" and edited.edited_at is not None
    with pytest.raises(ApiError) as not_yours:
        actions.edit_comment(another_guest, comment, "Hijack")
    assert (not_yours.value.status, not_yours.value.code) == (403, ErrorCode.FORBIDDEN)
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    with pytest.raises(ApiError) as late:
        actions.edit_comment(a_guest, refreshed(comment), "Too late")
    assert (late.value.status, late.value.code) == (403, "edit_window_closed")


def test_edit_into_spam_goes_back_to_the_queue(a_thread: Any, a_guest: Any) -> None:
    comment = actions.post_comment(a_guest, a_thread, comment_input("Innocent"))

    def spam_links(submission: hooks.Submission) -> hooks.Verdict | None:
        return hooks.Verdict("spam", "links") if "casino" in submission.body else None

    with wagtail_hooks.register_temporarily(COMMENT_CHECK, spam_links):
        edited = actions.edit_comment(a_guest, comment, "Visit casino")
    assert edited.status == "spam" and refreshed(a_thread).comment_count == 0


def test_delete_with_replies_leaves_placeholder_without_replies_disappears(
    a_thread: Any, a_guest: Any, another_guest: Any
) -> None:
    top = actions.post_comment(a_guest, a_thread, comment_input("Top"))
    reply = actions.post_comment(another_guest, a_thread, comment_input("Reply", parent_id=top.pk))
    placeholder = actions.delete_comment(a_guest, top)
    assert placeholder is not None and placeholder.status == "deleted" and placeholder.body == ""
    assert refreshed(a_thread).comment_count == 1
    assert actions.delete_comment(another_guest, reply) is None
    # The placeholder held only that reply, so it goes too.
    assert not Comment.objects.filter(thread=a_thread).exists()
    assert refreshed(a_thread).comment_count == 0


def test_votes_are_one_per_reader_changeable_and_not_on_own_comment(
    a_thread: Any, a_guest: Any, another_guest: Any, a_reader: Any
) -> None:
    comment = actions.post_comment(a_guest, a_thread, comment_input("Vote on me"))
    with pytest.raises(ApiError) as own:
        actions.vote(a_guest, comment, 1)
    assert own.value.code == "own_comment"
    assert actions.vote(another_guest, comment, 1).score == 1
    assert actions.vote(another_guest, comment, 1).score == 1
    # Clearing cookies (a new guest key) from the same address buys no extra vote.
    same_address = guest_actor("bob-again", ip=another_guest.ip)
    changed = actions.vote(same_address, comment, -1)
    assert (changed.upvotes, changed.downvotes, changed.score) == (0, 1, -1)
    reader = actions.vote(user_actor(a_reader, ip=another_guest.ip), comment, 1)
    assert (reader.upvotes, reader.downvotes, reader.score) == (1, 1, 0)
    withdrawn = actions.vote(same_address, comment, 0)
    assert (withdrawn.upvotes, withdrawn.downvotes, withdrawn.score) == (1, 0, 1)


def test_closed_thread_refuses_comments_and_votes(
    a_thread: Any, a_guest: Any, another_guest: Any, moderator_actor: Any
) -> None:
    comment = actions.post_comment(a_guest, a_thread, comment_input("Before closing"))
    actions.set_thread_closed(moderator_actor, a_thread, True)
    for attempt in (
        lambda: actions.post_comment(another_guest, refreshed(a_thread), comment_input("After")),
        lambda: actions.vote(another_guest, refreshed(comment), 1),
    ):
        with pytest.raises(ApiError) as refused:
            attempt()
        assert (refused.value.status, refused.value.code) == (403, "closed")


def test_pinned_comment_is_audited(a_thread: Any, a_guest: Any, moderator_actor: Any) -> None:
    comment = actions.post_comment(a_guest, a_thread, comment_input("Pin me"))
    assert actions.set_pinned(moderator_actor, comment, True).is_pinned
    assert AuditEntry.objects.filter(action="comment.pin").exists()
