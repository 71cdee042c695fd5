"""Export and erasure of a reader's data: what the JSON holds, and what deleting an account leaves."""

from __future__ import annotations

from typing import Any

import pytest

from masthead.accounts import privacy
from masthead.accounts.models import PrivacyRequest
from masthead.core.actors import Actor
from masthead.core.models import AuditEntry
from masthead.discussion.actions import edit_comment, vote
from masthead.discussion.models import Comment, CommentStatus, Thread, Vote
from masthead.funding.models import Donation, LedgerEntry
from masthead.notifications.actions import subscribe
from masthead.notifications.models import EmailAddress, Subscription
from tests.helpers import (
    comment_as,
    guest_actor,
    make_reader,
    monthly_donation,
    user_actor,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(a_thread: Any, a_verified_reader: Any, a_campaign: Any) -> dict[str, Any]:
    """A reader with a replied-to comment, a lone comment, a guest comment from their address before
    they signed up, a vote on someone else's comment, a subscription and a monthly donation."""
    reader = user_actor(a_verified_reader)
    other = guest_actor("other")
    guest_before = comment_as(
        guest_actor("rea-as-guest"), a_thread, "Written as a guest.", email="rea@example.com"
    )
    replied = comment_as(reader, a_thread, "This one has a reply.")
    reply = comment_as(
        other, a_thread, "A reply from someone else.", parent_id=replied.pk, email="o@example.com"
    )
    lone = comment_as(reader, a_thread, "A lone comment, **bold**.")
    theirs = comment_as(other, a_thread, "Someone else's comment.", email="o@example.com")
    vote(reader, theirs, 1)
    subscribe(reader, a_thread, email="rea@example.com", kind="all")
    donation = monthly_donation(a_campaign, "rea@example.com")
    return {
        "reader": a_verified_reader,
        "guest_before": guest_before,
        "replied": replied,
        "reply": reply,
        "lone": lone,
        "theirs": theirs,
        "donation": donation,
    }


def test_export_holds_profile_comments_votes_subscriptions_and_donations(
    history: dict[str, Any],
) -> None:
    data = privacy.export_account(history["reader"])
    assert data["profile"]["email"] == "rea@example.com"
    assert data["profile"]["verified_emails"] == ["rea@example.com"]
    assert data["profile"]["display_name"] == "Rea Der"
    bodies = {item["body"] for item in data["comments"]}
    assert bodies == {"Written as a guest.", "This one has a reply.", "A lone comment, **bold**."}
    assert all(item["article"]["url"].startswith("http") for item in data["comments"])
    assert data["votes"] == [
        {
            "comment_id": history["theirs"].pk,
            "article": data["votes"][0]["article"],
            "value": 1,
            "created_at": data["votes"][0]["created_at"],
        }
    ]
    assert [item["kind"] for item in data["subscriptions"]] == ["all"]
    assert [
        (item["donation_id"], item["interval"], item["amount"]) for item in data["donations"]
    ] == [(history["donation"].pk, "month", 1500)]
    request = PrivacyRequest.objects.get()
    assert (request.kind, request.source, request.subject) == (
        "export",
        "account",
        f"user:{history['reader'].pk}",
    )
    assert request.counts == {"comments": 3, "votes": 1, "subscriptions": 1, "donations": 1}
    assert AuditEntry.objects.filter(action="privacy.export", object_id=str(request.pk)).exists()


def test_export_leaves_out_other_readers_data(history: dict[str, Any]) -> None:
    other = make_reader("second@example.com", "Second Reader")
    data = privacy.export_account(other)
    assert data["comments"] == data["votes"] == data["subscriptions"] == data["donations"] == []


def test_delete_account_erases_comments_votes_subscriptions_and_keeps_the_ledger(
    history: dict[str, Any], a_thread: Any, django_capture_on_commit_callbacks: Any
) -> None:
    reader = history["reader"]
    before = Thread.objects.get(pk=a_thread.pk)
    edit_comment(user_actor(reader), history["lone"], "An edited lone comment.")
    with django_capture_on_commit_callbacks(execute=True):
        counts = privacy.delete_account(reader)

    assert counts == {
        "placeholders": 1,
        "removed": 2,
        "votes": 1,
        "subscriptions": 1,
        "donations_anonymised": 1,
    }
    # The comment with a reply stays as a placeholder with nothing of its author left.
    placeholder = Comment.objects.get(pk=history["replied"].pk)
    assert placeholder.status == CommentStatus.DELETED
    assert (placeholder.body, placeholder.html, placeholder.author_email, placeholder.user_id) == (
        "",
        "",
        "",
        None,
    )
    assert placeholder.author_name == "[deleted]" and placeholder.ip_hash == ""
    assert Comment.objects.filter(pk=history["reply"].pk, status="approved").exists()
    # Others are gone, the guest one written with the verified address too.
    assert not Comment.objects.filter(
        pk__in=[history["lone"].pk, history["guest_before"].pk]
    ).exists()
    # The vote is withdrawn and the counters follow.
    theirs = Comment.objects.get(pk=history["theirs"].pk)
    assert (theirs.upvotes, theirs.score) == (0, 0)
    assert not Vote.objects.exists()
    # Thread counters: only the two other readers' comments are left visible.
    after = Thread.objects.get(pk=a_thread.pk)
    assert after.comment_count == 2
    assert after.version > before.version
    assert placeholder.pk and Comment.objects.get(pk=placeholder.pk).reply_count == 1
    # Subscriptions and the address are gone.
    assert not Subscription.objects.filter(address__email="rea@example.com").exists()
    assert not EmailAddress.objects.filter(email="rea@example.com").exists()
    # Money stays, without the donor.
    donation = Donation.objects.get(pk=history["donation"].pk)
    assert (donation.donor_name, donation.donor_email, donation.erased_at is not None) == (
        "",
        "",
        True,
    )
    assert LedgerEntry.objects.filter(donation=donation).count() == 1
    # The account is gone; the audit log says so without naming it.
    assert not type(reader).objects.filter(pk=reader.pk).exists()
    entry = AuditEntry.objects.get(action="privacy.erase")
    assert "rea@example.com" not in str(entry.__dict__)
    # Bodies in older audit rows of the erased comments are gone too.
    edits = AuditEntry.objects.filter(action="comment.edit")
    assert edits and all("body" not in row.before and "body" not in row.after for row in edits)


def test_a_reply_chain_of_ones_own_goes_whole(a_thread: Any, a_verified_reader: Any) -> None:
    reader = user_actor(a_verified_reader)
    top = comment_as(reader, a_thread, "Top.")
    comment_as(reader, a_thread, "My own reply.", parent_id=top.pk)
    privacy.delete_account(a_verified_reader)
    assert not Comment.objects.exists()
    assert Thread.objects.get(pk=a_thread.pk).comment_count == 0


def test_staff_accounts_are_not_deleted_from_the_reader_page(a_staff_user: Any) -> None:
    from masthead.core.errors import ApiError, ErrorCode

    with pytest.raises(ApiError) as refused:
        privacy.delete_account(a_staff_user)
    assert (refused.value.status, refused.value.code) == (400, ErrorCode.INVALID)
    assert type(a_staff_user).objects.filter(pk=a_staff_user.pk).exists()


def test_erase_address_covers_only_that_address(history: dict[str, Any], a_thread: Any) -> None:
    guest_other = comment_as(guest_actor("carol"), a_thread, "Carol's.", email="carol@example.com")
    counts = privacy.erase_address(Actor.system(), "Carol@Example.com", "link")
    assert counts["removed"] == 1
    assert not Comment.objects.filter(pk=guest_other.pk).exists()
    assert Comment.objects.filter(pk=history["lone"].pk).exists()
    request = PrivacyRequest.objects.get(kind="erase")
    assert request.subject == privacy.subject_of_email("carol@example.com")
    assert "carol" not in request.subject
    assert privacy.erasures_of("carol@example.com") == 1
