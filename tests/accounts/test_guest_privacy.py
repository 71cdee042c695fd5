"""A guest's data by email: the request form (no enumeration), the signed expiring link it mails,
and the admin's export and erasure of any commenter address."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core import signing
from django.test import Client

from masthead.accounts import privacy
from masthead.accounts.models import PrivacyRequest
from masthead.accounts.privacy_tokens import ADDRESS_SALT, address_token
from masthead.core.models import AuditEntry
from masthead.discussion.models import Comment
from tests.helpers import comment_as, guest_actor

pytestmark = pytest.mark.django_db


def _ask(client: Client, email: str, capture: Any) -> Any:
    with capture(execute=True):
        return client.post("/account/privacy/", {"email": email})


def _link(message: Any) -> str:
    return re.search(r"http://testserver(/account/privacy/[^/\s]+/)", message.body).group(1)  # type: ignore[union-attr]


def test_the_answer_is_the_same_whether_or_not_the_address_has_comments(
    a_thread: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    comment_as(guest_actor("g"), a_thread, "I was here.", email="known@example.com")
    known = _ask(Client(), "known@example.com", django_capture_on_commit_callbacks)
    unknown = _ask(Client(), "unknown@example.com", django_capture_on_commit_callbacks)
    assert known.status_code == unknown.status_code == 200
    assert known.content.decode().replace("known@", "X@") == unknown.content.decode().replace(
        "unknown@", "X@"
    )
    assert sorted(message.to[0] for message in mailoutbox) == [
        "known@example.com",
        "unknown@example.com",
    ]


def test_the_link_downloads_then_erases_and_is_spent(
    a_thread: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    mine = comment_as(guest_actor("g"), a_thread, "Mine, as a guest.", email="guest@example.com")
    replied = comment_as(guest_actor("g"), a_thread, "Has a reply.", email="guest@example.com")
    comment_as(guest_actor("o"), a_thread, "A reply.", parent_id=replied.pk, email="o@example.com")
    other = comment_as(guest_actor("o"), a_thread, "Not theirs.", email="o@example.com")
    _ask(Client(), "Guest@Example.com", django_capture_on_commit_callbacks)
    link = _link(mailoutbox[-1])
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(link)
    assert (
        page.status_code == 200
        and "2 comments are stored with guest@example.com" in page.content.decode()
    )
    assert page["Referrer-Policy"] == "no-referrer"
    token = page.cookies["csrftoken"].value
    download = browser.post(link, {"action": "export"}, HTTP_X_CSRFTOKEN=token)
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert {item["body"] for item in json.loads(download.content)["comments"]} == {
        "Mine, as a guest.",
        "Has a reply.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        erased = browser.post(link, {"action": "erase", "confirm": "on"}, HTTP_X_CSRFTOKEN=token)
    assert erased.status_code == 200 and "Your data is erased" in erased.content.decode()
    assert not Comment.objects.filter(pk=mine.pk).exists()
    assert Comment.objects.get(pk=replied.pk).status == "deleted"
    assert Comment.objects.filter(pk=other.pk).exists()
    assert list(PrivacyRequest.objects.values_list("kind", "source")) == [
        ("erase", "link"),
        ("export", "link"),
    ]
    # Spent: the same link no longer works.
    assert browser.get(link).status_code == 400


def test_forged_expired_and_other_purpose_links_are_refused(a_thread: Any, settings: Any) -> None:
    comment_as(guest_actor("g"), a_thread, "Keep me.", email="guest@example.com")
    forged = address_token("guest@example.com", 0)[:-4] + "abcd"
    other_purpose = signing.dumps({"e": "guest@example.com", "n": 0}, salt="another.salt")
    expired = signing.dumps({"e": "guest@example.com", "n": 0}, salt=ADDRESS_SALT, compress=True)
    from unittest import mock

    with mock.patch("masthead.accounts.privacy_tokens.ADDRESS_MAX_AGE", -1):
        assert Client().get(f"/account/privacy/{expired}/").status_code == 400
    for token in (forged, other_purpose, "x" * 700, "not-a-token"):
        response = Client().post(f"/account/privacy/{token}/", {"action": "erase", "confirm": "on"})
        assert response.status_code == 400, token
    assert Comment.objects.count() == 1
    assert not PrivacyRequest.objects.exists()


def test_erasing_needs_the_confirmation_box(a_thread: Any) -> None:
    comment_as(guest_actor("g"), a_thread, "Keep me.", email="guest@example.com")
    link = f"/account/privacy/{address_token('guest@example.com', 0)}/"
    response = Client().post(link, {"action": "erase"})
    assert response.status_code == 400
    assert Comment.objects.count() == 1


def test_the_form_is_rate_limited_and_refuses_bad_addresses(
    settings: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    settings.RATELIMIT_ENABLED = True
    assert Client().post("/account/privacy/", {"email": "not an email"}).status_code == 400
    client = Client(REMOTE_ADDR="198.51.100.77")
    statuses = [
        _ask(client, f"a{n}@example.com", django_capture_on_commit_callbacks).status_code
        for n in range(11)
    ]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429
    # Per address, silently: the same answer, but no more mail.
    mailoutbox.clear()
    for _ in range(5):
        assert (
            _ask(Client(), "same@example.com", django_capture_on_commit_callbacks).status_code
            == 200
        )
    assert len(mailoutbox) == 3


# --- the Wagtail admin ---------------------------------------------------------------------------


def test_only_permitted_staff_reach_the_admin_page(client: Client, a_thread: Any) -> None:
    from django.contrib.auth import get_user_model

    comment_as(guest_actor("g"), a_thread, "Staff only.", email="guest@example.com")
    assert client.get("/admin/reader-data/?email=guest@example.com").status_code in (302, 403)
    editor = get_user_model().objects.create_user(
        "ed", "ed@example.com", "pw-long-enough-1", is_staff=True
    )
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get("/admin/reader-data/?email=guest@example.com").status_code in (302, 403)
    assert client.post("/admin/reader-data/erase/", {"email": "guest@example.com"}).status_code in (
        302,
        403,
    )
    assert Comment.objects.count() == 1


def test_staff_export_and_erase_a_commenter_address(
    client: Client, a_staff_user: Any, a_thread: Any, django_capture_on_commit_callbacks: Any
) -> None:
    comment_as(guest_actor("g"), a_thread, "Please forget me.", email="guest@example.com")
    client.force_login(a_staff_user)
    page = client.get("/admin/reader-data/?email=guest@example.com")
    assert page.status_code == 200 and "Please forget me." in page.content.decode()
    download = client.post("/admin/reader-data/export/", {"email": "guest@example.com"})
    assert json.loads(download.content)["comments"][0]["body"] == "Please forget me."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/reader-data/erase/", {"email": "guest@example.com"})
    assert response.status_code == 302
    assert not Comment.objects.exists()
    entry = AuditEntry.objects.get(action="privacy.erase")
    assert entry.actor_id == a_staff_user.pk
    assert PrivacyRequest.objects.get(kind="erase").source == "staff"
    assert privacy.erasures_of("guest@example.com") == 1


@pytest.mark.parametrize("action", ["export", "erase"])
def test_staff_giving_no_address_are_sent_back_with_the_reason(
    client: Client, a_staff_user: Any, a_thread: Any, action: str
) -> None:
    comment_as(guest_actor("g"), a_thread, "Still here.", email="guest@example.com")
    client.force_login(a_staff_user)
    response = client.post(
        f"/admin/reader-data/{action}/", {"email": "not an address"}, follow=True
    )
    assert response.redirect_chain == [("/admin/reader-data/", 302)]
    assert "Enter the email address." in response.content.decode()
    assert Comment.objects.count() == 1
    assert not PrivacyRequest.objects.exists()
