"""What the discussion publishes live (discussion/events.py): only what an anonymous reader may see,
on commit, as the API shows it; and the moderators' queue events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from masthead.core import events
from masthead.core.actors import Actor
from masthead.discussion import actions
from masthead.discussion.events import MODERATION, thread_channel
from tests.helpers import Reader, comment_as, guest_actor


@pytest.fixture
def heard(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], list[tuple[str, dict[str, Any]]]]:
    """heard(channel) -> [(kind, data)]: what went out through a broker of this test's own."""
    broker = events.InProcessBroker()
    monkeypatch.setattr(events, "broker", lambda: broker)
    return lambda channel: [(event.kind, event.data) for event in broker.recent(channel)]


def test_an_approved_comment_goes_out_as_the_list_endpoint_shows_it(
    a_thread: Any, heard: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_as(guest_actor("ada"), a_thread, "Fresh from the river bank.")
    listed = Reader().get(f"/api/v1/threads/{a_thread.pk}/comments").json()["items"]
    assert heard(thread_channel(a_thread.pk)) == [("comment", listed[0]), ("count", {"count": 1})]
    assert listed[0]["id"] == comment.pk
    assert "email" not in str(heard(thread_channel(a_thread.pk)))


def test_nothing_goes_out_before_commit_or_when_the_transaction_rolls_back(
    a_thread: Any, heard: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        comment_as(guest_actor("ada"), a_thread, "Not yet committed.")
    assert heard(thread_channel(a_thread.pk)) == []
    assert callbacks  # registered for the commit, which a rollback never runs


def test_a_pending_comment_reaches_moderators_only_until_it_is_approved(
    a_thread: Any,
    an_article: Any,
    moderator_actor: Any,
    heard: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    an_article.comments_premoderation = "all"
    an_article.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_as(guest_actor("ada"), a_thread, "Held for a moderator.")
    assert comment.status == "pending"
    assert heard(thread_channel(a_thread.pk)) == []
    assert [(kind, data["id"]) for kind, data in heard(MODERATION)] == [("pending", comment.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        actions.set_comment_status(moderator_actor, comment, "approved")
    kinds = [
        (kind, data.get("id", data.get("count")))
        for kind, data in heard(thread_channel(a_thread.pk))
    ]
    assert kinds == [("comment", comment.pk), ("count", 1)]


def test_a_shadow_banned_authors_comment_never_goes_out(
    a_thread: Any, heard: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from masthead.moderation.models import Ban

    Ban.objects.create(kind="email", value="sly@example.com", mode="shadow")
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_as(
            guest_actor("sly"), a_thread, "Nobody will notice", email="sly@example.com"
        )
    assert comment.moderation["shadow"] is True
    assert heard(thread_channel(a_thread.pk)) == []


def test_votes_edits_pins_closing_and_deletion_go_out(
    a_thread: Any,
    moderator_actor: Any,
    heard: Any,
    no_rate_limits: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    author = guest_actor("ada")
    comment = comment_as(author, a_thread, "First version.")
    reply = comment_as(guest_actor("bo"), a_thread, "A reply.", parent_id=comment.pk)
    channel = thread_channel(a_thread.pk)
    before = len(heard(channel))
    with django_capture_on_commit_callbacks(execute=True):
        actions.vote(guest_actor("voter", ip="198.51.100.7"), comment, 1)
    with django_capture_on_commit_callbacks(execute=True):
        actions.edit_comment(author, comment, "Second version.")
    with django_capture_on_commit_callbacks(execute=True):
        actions.set_pinned(moderator_actor, comment, True)
    with django_capture_on_commit_callbacks(execute=True):
        actions.set_thread_closed(moderator_actor, a_thread, True)
    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_comment(moderator_actor, comment)  # it has a reply: a placeholder stays
    with django_capture_on_commit_callbacks(execute=True):
        actions.set_comment_status(moderator_actor, reply, "removed")
    got = heard(channel)[before:]
    assert got[0] == ("votes", {"id": comment.pk, "upvotes": 1, "downvotes": 0, "score": 1})
    assert got[1][0] == "edit" and got[1][1]["html"] == "<p>Second version.</p>"
    assert got[1][1]["edited_at"]
    assert got[2:] == [
        ("pin", {"id": comment.pk, "pinned": True}),
        ("closed", {"closed": True}),
        ("delete", {"id": comment.pk, "placeholder": True}),
        ("count", {"count": 1}),
        ("delete", {"id": reply.pk, "placeholder": False}),
        ("count", {"count": 0}),
    ]


def test_a_report_reaches_the_moderators_queue(
    a_thread: Any, heard: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from masthead.moderation.actions import report_comment

    comment = comment_as(guest_actor("ada"), a_thread, "Reported soon.")
    with django_capture_on_commit_callbacks(execute=True):
        report_comment(guest_actor("critic", ip="198.51.100.9"), comment, "spam")
    assert [(kind, data["id"]) for kind, data in heard(MODERATION)] == [("reported", comment.pk)]
    assert heard(thread_channel(a_thread.pk)) == []  # one report hides nothing


def test_system_actor_approval_is_published_too(
    a_thread: Any, an_article: Any, heard: Any, django_capture_on_commit_callbacks: Any
) -> None:
    an_article.comments_premoderation = "all"
    an_article.save_revision().publish()
    comment = comment_as(guest_actor("ada"), a_thread, "Approved by the system.")
    with django_capture_on_commit_callbacks(execute=True):
        actions.set_comment_status(Actor.system(), comment, "approved")
    assert heard(thread_channel(a_thread.pk))[0][0] == "comment"


def test_a_posts_count_event_carries_the_count_its_own_transaction_left(
    a_thread: Any, heard: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with django_capture_on_commit_callbacks(execute=True):
        comment_as(guest_actor("ada"), a_thread, "The first word on the matter.")
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        comment_as(guest_actor("bob"), a_thread, "And a second one, from another reader.")
    counts = [data for kind, data in heard(thread_channel(a_thread.pk)) if kind == "count"]
    assert counts == [{"count": 1}, {"count": 2}]
    a_thread.refresh_from_db()
    assert a_thread.comment_count == 2
    # The count came with the counter's update, not from a read of the thread after the commit.
    assert not [
        query
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT "discussion_thread"."comment_count"')
    ]
