"""Reader reports, edit re-moderation, audit rows, author history, vote abuse."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from masthead.core.errors import ApiError, ErrorCode
from masthead.core.models import AuditEntry
from masthead.discussion.models import Comment
from masthead.moderation import actions
from masthead.moderation.models import AuthorRecord, Report, WordRule
from tests.helpers import guest_actor, user_actor

pytestmark = pytest.mark.django_db


def report_as(client: Client, comment: Comment, reason: str = "abuse", ip: str = "") -> Any:
    return client.post(
        f"/api/v1/comments/{comment.pk}/reports",
        {"reason": reason, "note": "<img src=x onerror=alert(1)>"},
        content_type="application/json",
        REMOTE_ADDR=ip or "127.0.0.1",
    )


def test_three_distinct_readers_hide_a_comment_pending_review(post: Any, a_thread: Any) -> None:
    comment = post("A provocative comment")
    for number in range(2):
        assert report_as(Client(), comment, ip=f"192.0.2.{number + 1}").status_code == 201
    comment.refresh_from_db()
    assert comment.status == "approved"
    assert report_as(Client(), comment, "spam", ip="192.0.2.9").status_code == 201
    comment.refresh_from_db()
    assert comment.status == "pending"
    assert comment.moderation["rule"] == "reports"
    a_thread.refresh_from_db()
    assert a_thread.comment_count == 0


def test_one_reader_reporting_twice_counts_once(post: Any) -> None:
    comment = post("Another comment")
    client = Client()
    assert report_as(client, comment, ip="192.0.2.50").status_code == 201
    again = report_as(client, comment, ip="192.0.2.50")
    assert again.status_code == 409
    assert again.json()["error"] == "conflict"
    assert Report.objects.count() == 1


def test_report_input_is_validated(post: Any) -> None:
    comment = post("Yet another comment")
    response = Client().post(
        f"/api/v1/comments/{comment.pk}/reports",
        {"reason": "because"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert (
        Client()
        .post(
            "/api/v1/comments/999999/reports", {"reason": "spam"}, content_type="application/json"
        )
        .status_code
        == 404
    )


def test_approving_a_reported_comment_closes_its_reports(post: Any, moderator_actor: Any) -> None:
    comment = post("Fine, actually")
    for _number in range(3):
        actions.report_comment(guest_actor(), comment, "off_topic")
    comment.refresh_from_db()
    assert comment.status == "pending"
    actions.approve_comment(moderator_actor, comment)
    assert not Report.objects.filter(is_open=True).exists()


def test_an_approved_comment_edited_into_spam_goes_back_to_the_queue(post: Any) -> None:
    from masthead.discussion.actions import edit_comment

    author = guest_actor()
    comment = post("A perfectly normal opinion.", actor=author)
    assert comment.status == "approved"
    WordRule.objects.create(kind="suspect", pattern="casino")
    edited = edit_comment(author, comment, "Visit my сasinо for bonuses")
    assert edited.status == "pending"
    assert edited.moderation["rule"] == "suspect_word"
    WordRule.objects.create(kind="banned", pattern="scam")
    with pytest.raises(ApiError) as refused:
        edit_comment(author, edited, "total sсam")
    assert refused.value.code == ErrorCode.REJECTED


def test_every_decision_leaves_an_audit_row(
    post: Any, moderator_actor: Any, a_moderator: Any
) -> None:
    comment = post("Audit me https://example.org")
    actions.approve_comment(moderator_actor, comment)
    actions.mark_spam(moderator_actor, comment)
    actions.ban_author(moderator_actor, comment, reason="spammer")
    entries = list(
        AuditEntry.objects.filter(actor=a_moderator).values_list("action", "before", "after")
    )
    names = [name for name, *_ in entries]
    assert "comment.approved" in names
    assert "comment.spam" in names
    assert "moderation.ban" in names
    spam = next(entry for entry in entries if entry[0] == "comment.spam")
    assert spam[1] == {"status": "approved"}
    assert spam[2] == {"status": "spam"}


def test_author_history_counts_approvals_and_rejections(post: Any, moderator_actor: Any) -> None:
    author = guest_actor()
    one = post("One https://example.org/1", actor=author, email="hist@example.com")
    actions.approve_comment(moderator_actor, one)
    two = post("Two", actor=author, email="hist@example.com")
    actions.remove_comment(moderator_actor, two, "off-topic")
    record = AuthorRecord.objects.get(key="email:hist@example.com")
    assert (record.approved_count, record.rejected_count) == (1, 1)


def test_non_moderators_cannot_use_moderation_actions(post: Any, a_reader: Any) -> None:
    comment = post("Hands off")
    with pytest.raises(ApiError) as refused:
        actions.approve_comment(user_actor(a_reader), comment)
    assert (refused.value.status, refused.value.code) == (403, ErrorCode.FORBIDDEN)


def test_an_author_cannot_vote_on_their_comment_from_another_account(
    post: Any, a_reader: Any
) -> None:
    from django.contrib.auth import get_user_model

    from masthead.discussion.actions import vote

    comment = post("Vote for me", actor=user_actor(a_reader))
    twin = get_user_model().objects.create_user("twin", a_reader.email, "correct horse battery")
    with pytest.raises(ApiError) as refused:
        vote(user_actor(twin), comment, 1)
    assert (refused.value.status, refused.value.code) == (403, ErrorCode.OWN_COMMENT)
    comment.refresh_from_db()
    assert comment.upvotes == 0


def test_votes_from_one_network_in_a_burst_are_limited(post: Any, settings: Any) -> None:
    from masthead.discussion.actions import vote

    settings.RATELIMIT_ENABLED = True
    settings.MASTHEAD_MODERATION = {"VOTE_BURST_RATE": "3/m"}
    comments = [post(f"Comment number {n}") for n in range(4)]
    results = []
    for number, comment in enumerate(comments):
        try:
            vote(guest_actor(ip=f"192.0.2.{number + 10}"), comment, 1)
            results.append(201)
        except ApiError as error:
            results.append((error.status, error.code))
    assert results == [201, 201, 201, (429, ErrorCode.RATE_LIMITED)]


def test_fresh_guest_cookies_from_one_address_do_not_make_more_readers(post: Any) -> None:
    comment = post("Report bait")
    actions.report_comment(guest_actor(ip="192.0.2.77", key="first"), comment, "abuse")
    for key in ("second", "third"):
        with pytest.raises(ApiError) as refused:
            actions.report_comment(guest_actor(ip="192.0.2.77", key=key), comment, "abuse")
        assert (refused.value.status, refused.value.code) == (409, ErrorCode.CONFLICT)
    comment.refresh_from_db()
    assert comment.status == "approved"
