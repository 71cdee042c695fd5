"""Moderation trust attaches to what was verified: the guest cookie that earned it, an address this
browser confirmed, a signed-in account; never to an email typed into the form.

Issue 13, hole 4: a guest comment with a link from a never-seen address was held; the same from
another browser and network, typing an address with approved history, went straight through.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from masthead.discussion.models import Comment
from masthead.discussion.policy import DiscussionSettings
from tests.helpers import Reader

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rate_limits")]

VICTIM = "rana@example.net"
LINK = "Worth reading: https://water.example.org/report"


def post(reader: Reader, thread_id: int, body: str, email: str) -> dict[str, Any]:
    response = reader.comment(thread_id, body, name="Rana", email=email, seconds_to_submit=30)
    assert response.status_code == 201, response.content
    return dict(response.json())


@pytest.fixture
def victim_with_history(a_thread: Any) -> Reader:
    """Rana's own browser: one comment approved, so her cookie (and her address) has history."""
    rana = Reader(ip="192.0.2.70")
    assert post(rana, a_thread.pk, "A first, approved comment.", VICTIM)["status"] == "approved"
    return rana


def test_typing_an_address_with_history_borrows_no_trust(
    a_thread: Any, victim_with_history: Reader
) -> None:
    stranger = Reader(ip="203.0.113.80")
    assert post(stranger, a_thread.pk, LINK, "new@example.org")["status"] == "pending"

    impostor = Reader(ip="203.0.113.81")  # another browser, another network, her address typed
    item = post(impostor, a_thread.pk, LINK + " (impostor)", VICTIM)
    assert item["status"] == "pending"
    assert Comment.objects.get(pk=item["id"]).moderation["rule"] == "first_time_link"


def test_the_browser_that_earned_the_trust_keeps_it(
    a_thread: Any, victim_with_history: Reader
) -> None:
    assert post(victim_with_history, a_thread.pk, LINK, VICTIM)["status"] == "approved"


def test_first_time_premoderation_is_not_passed_by_a_typed_address(
    a_thread: Any,
    a_home: Any,
    victim_with_history: Reader,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings = DiscussionSettings.for_site(a_home.get_site())
    settings.premoderation = "first_time"
    with django_capture_on_commit_callbacks(execute=True):  # the cached policy goes on commit
        settings.save()
    impostor = Reader(ip="203.0.113.82")
    item = post(impostor, a_thread.pk, "No link, just her name and address.", VICTIM)
    assert item["status"] == "pending"
    assert post(victim_with_history, a_thread.pk, "Rana again.", VICTIM)["status"] == "approved"


def test_a_browser_that_confirmed_the_address_by_mail_carries_its_trust(
    a_thread: Any,
    victim_with_history: Reader,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Rana on her phone: she subscribes there, opens the confirmation link, and is trusted there."""
    phone = Reader(ip="198.51.100.90")
    phone.me(a_thread.pk)
    # The confirmation is for that address only: before it, the phone is a stranger typing it.
    assert post(phone, a_thread.pk, LINK + " (before)", VICTIM)["status"] == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        response = phone.post(
            "/api/v1/subscriptions", {"thread_id": a_thread.pk, "email": VICTIM, "kind": "all"}
        )
    assert response.status_code == 202
    (message,) = [m for m in mailoutbox if VICTIM in m.to]
    confirm_path = re.search(r"https?://[^/\s]+(/notifications/confirm/[^\s\"<]+/)", message.body)
    assert confirm_path is not None, message.body
    assert phone.client.get(confirm_path.group(1)).status_code == 200
    confirmed = phone.client.post(confirm_path.group(1), {"csrfmiddlewaretoken": phone.token})
    assert confirmed.status_code == 200

    assert post(phone, a_thread.pk, LINK + " (from her phone)", VICTIM)["status"] == "approved"


def test_a_signed_in_reader_is_trusted_on_the_account_history(a_thread: Any, a_reader: Any) -> None:
    reader = Reader(ip="198.51.100.91")
    reader.client.force_login(a_reader)
    assert post(reader, a_thread.pk, "Signed in, approved.", "")["status"] == "approved"
    assert post(reader, a_thread.pk, LINK, "")["status"] == "approved"
    # Someone typing that account's address as a guest gets none of it.
    guest = Reader(ip="198.51.100.92")
    assert post(guest, a_thread.pk, LINK + " (guest)", a_reader.email)["status"] == "pending"
