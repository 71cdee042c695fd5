"""Claiming earlier guest comments: only with a verified address, one action, under the display name."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from masthead.accounts import privacy
from masthead.core.models import AuditEntry
from masthead.discussion.models import Comment, Thread
from tests.helpers import comment_as, guest_actor, make_reader

pytestmark = pytest.mark.django_db


def test_a_verified_reader_claims_guest_comments_of_their_address(
    a_thread: Any, django_capture_on_commit_callbacks: Any
) -> None:
    earlier = comment_as(
        guest_actor("g1"), a_thread, "Before I had an account.", name="R.", email="Rea@Example.com"
    )
    someone = comment_as(guest_actor("g2"), a_thread, "Another address.", email="not-rea@example.com")
    reader = make_reader()
    version = Thread.objects.get(pk=a_thread.pk).version
    assert privacy.unclaimed_count(reader) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert privacy.claim_guest_comments(reader) == 1
    claimed = Comment.objects.get(pk=earlier.pk)
    assert (claimed.user_id, claimed.author_name, claimed.guest_key) == (reader.pk, "Rea Der", "")
    assert Comment.objects.get(pk=someone.pk).user_id is None
    assert Thread.objects.get(pk=a_thread.pk).version > version
    assert AuditEntry.objects.filter(action="privacy.claim").count() == 1
    assert privacy.unclaimed_count(reader) == 0
    assert privacy.claim_guest_comments(reader) == 0


def test_an_unverified_address_claims_nothing(a_thread: Any) -> None:
    earlier = comment_as(guest_actor("g1"), a_thread, "Not yours to take.", email="victim@example.com")
    squatter = make_reader("victim@example.com", "Squatter", verified=False)
    assert privacy.unclaimed_count(squatter) == 0
    assert privacy.claim_guest_comments(squatter) == 0
    assert Comment.objects.get(pk=earlier.pk).user_id is None
    client = Client()
    client.force_login(squatter)
    client.post("/account/claim/")
    assert Comment.objects.get(pk=earlier.pk).user_id is None
    assert "Verify your email address first" in client.get("/account/claim/").content.decode()


def test_the_account_page_offers_the_claim_and_the_button_claims(
    a_thread: Any, signed_in: Client, a_verified_reader: Any
) -> None:
    comment_as(guest_actor("g1"), a_thread, "Guest days.", email="rea@example.com")
    html = signed_in.get("/account/").content.decode()
    assert "You wrote 1 comment as a guest" in html
    landing = signed_in.get("/account/claim/")  # the link in the verification email: a button
    assert landing.status_code == 200 and "Claim my earlier comments" in landing.content.decode()
    assert Comment.objects.get().user_id is None
    response = signed_in.post("/account/claim/")
    assert response.status_code == 302
    assert Comment.objects.get().user_id == a_verified_reader.pk
    assert "You wrote 1 comment as a guest" not in signed_in.get("/account/").content.decode()
