"""An author's edit never undoes a moderator's decision, and an edited approved comment is judged anew.

Issue 13, hole 1: a guest posted, a moderator removed the comment, the author edited it within the
window and it was public again (every status but pending/spam was mapped to approved).
"""

from __future__ import annotations

from typing import Any

import pytest

from masthead.discussion.models import Comment
from masthead.discussion.policy import DiscussionSettings
from masthead.moderation.models import WordRule
from tests.helpers import Reader, assert_error
from tests.moderation.conftest import decide

pytestmark = pytest.mark.django_db


def public_ids(reader: Reader, thread_id: int) -> list[int]:
    response = reader.get(f"/api/v1/threads/{thread_id}/comments")
    assert response.status_code == 200
    return [item["id"] for item in response.json()["items"]]


def test_a_removed_comment_stays_removed_when_its_author_edits_it(
    a_thread: Any, a_moderator: Any
) -> None:
    author = Reader(ip="192.0.2.21")
    posted = author.comment(a_thread.pk, "A comment the desk will remove.")
    assert posted.status_code == 201, posted.content
    comment_id = posted.json()["id"]
    assert posted.json()["status"] == "approved"

    decide(a_moderator, comment_id, "remove")

    response = author.patch(f"/api/v1/comments/{comment_id}", {"body": "Edited back to life?"})
    assert_error(response, 403, "comment_removed")
    comment = Comment.objects.get(pk=comment_id)
    assert comment.status == "removed"
    assert comment.body == "A comment the desk will remove."
    assert comment_id not in public_ids(Reader(ip="192.0.2.22"), a_thread.pk)
    assert comment_id not in author.me(a_thread.pk)["editable_ids"]


@pytest.mark.parametrize("decision, status", [("spam", "spam"), ("hold", "pending")])
def test_an_edit_keeps_a_comment_held_or_filed_as_spam(
    decision: str, status: str, a_thread: Any, a_moderator: Any, moderator_actor: Any
) -> None:
    from masthead.moderation import actions

    author = Reader(ip="192.0.2.23")
    comment_id = author.comment(a_thread.pk, "Held or spam, then edited.").json()["id"]
    if decision == "hold":  # the API has no hold; the admin queue does
        actions.hold_comment(moderator_actor, Comment.objects.get(pk=comment_id))
    else:
        decide(a_moderator, comment_id, decision)

    response = author.patch(f"/api/v1/comments/{comment_id}", {"body": "Edited, still waiting."})
    assert response.status_code == 200, response.content
    comment = Comment.objects.get(pk=comment_id)
    assert (comment.status, comment.body) == (status, "Edited, still waiting.")
    assert comment_id not in public_ids(Reader(ip="192.0.2.24"), a_thread.pk)


def test_an_edit_of_an_approved_comment_goes_through_the_checks_of_a_new_one(
    a_thread: Any, a_home: Any, a_moderator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Under "every comment waits for approval", an approved text edited is not approved any more."""
    author = Reader(ip="192.0.2.25")
    settings = DiscussionSettings.for_site(a_home.get_site())
    settings.premoderation = "all"
    settings.save()
    comment_id = author.comment(a_thread.pk, "Approved by the desk.").json()["id"]
    assert Comment.objects.get(pk=comment_id).status == "pending"
    decide(a_moderator, comment_id, "approve")
    assert comment_id in public_ids(Reader(ip="192.0.2.26"), a_thread.pk)

    with django_capture_on_commit_callbacks(execute=True):  # the cached page copies go on commit
        response = author.patch(f"/api/v1/comments/{comment_id}", {"body": "Something else now."})
    assert response.status_code == 200, response.content
    assert Comment.objects.get(pk=comment_id).status == "pending"
    assert comment_id not in public_ids(Reader(ip="192.0.2.27"), a_thread.pk)


def test_a_plain_edit_of_an_approved_comment_stays_public(a_thread: Any) -> None:
    author = Reader(ip="192.0.2.28")
    comment_id = author.comment(a_thread.pk, "Fine as it is.").json()["id"]
    response = author.patch(f"/api/v1/comments/{comment_id}", {"body": "Fine, with a typo fixed."})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    assert comment_id in public_ids(Reader(ip="192.0.2.29"), a_thread.pk)


def test_an_edit_with_a_banned_word_is_refused_whatever_the_status(
    a_thread: Any, a_moderator: Any
) -> None:
    author = Reader(ip="192.0.2.30")
    comment_id = author.comment(a_thread.pk, "Waiting for the desk.").json()["id"]
    decide(a_moderator, comment_id, "spam")
    WordRule.objects.create(kind="banned", pattern="scam")
    response = author.patch(f"/api/v1/comments/{comment_id}", {"body": "total scam"})
    assert_error(response, 400, "rejected")
    assert Comment.objects.get(pk=comment_id).body == "Waiting for the desk."
