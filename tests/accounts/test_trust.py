"""Holes 3 and 8 of the security review (issue 13): unverified accounts, and what sign-up reveals.

The forms are posted with the field names of both the old hand-written views and allauth's
(`password`/`password1`, `email`/`login`), so these tests ran, and failed, against the old views too.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.core.cache import cache
from django.test import Client

from masthead.discussion.models import Comment
from tests.helpers import Reader

pytestmark = pytest.mark.django_db

VICTIM = "victim@example.net"
ATTACKER_NAME = "Mallory Attacker"
ATTACKER_PASSWORD = "attacker passphrase 42"
OWNER_PASSWORD = "the owner's own passphrase 7"


def sign_up(client: Client, email: str, name: str, password: str) -> Any:
    return client.post(
        "/accounts/signup/",
        {"display_name": name, "email": email, "password": password, "password1": password},
    )


def sign_in(client: Client, email: str, password: str) -> Any:
    return client.post("/accounts/login/", {"login": email, "email": email, "password": password})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def bodies(address: str) -> list[str]:
    return [
        f"{m.subject}\n{m.body}\n" + "".join(str(a[0]) for a in getattr(m, "alternatives", []))
        for m in mail.outbox
        if address in m.to
    ]


def test_an_account_whose_email_is_unverified_cannot_sign_in(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    attacker = Client()
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(attacker, VICTIM, ATTACKER_NAME, ATTACKER_PASSWORD)
    assert not signed_in(attacker), "signing up does not sign in before the address is confirmed"
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(attacker, VICTIM, ATTACKER_PASSWORD)
    assert not signed_in(attacker), (
        "the right password is not enough while the address is unconfirmed"
    )
    assert get_user_model().objects.filter(email=VICTIM).count() <= 1


def test_a_session_of_an_unverified_account_cannot_comment_as_its_address(a_thread: Any) -> None:
    """However the session came about (an old session, the admin's login page), discussion trusts
    a signed-in reader's address only when it was verified."""
    user = get_user_model().objects.create_user(
        "victim", VICTIM, ATTACKER_PASSWORD, display_name=ATTACKER_NAME
    )
    reader = Reader()
    reader.client.force_login(user)
    response = reader.comment(a_thread.pk, "Posted under someone else's address.")
    assert response.status_code == 403, response.content
    assert response.json()["error"] == "email_unverified"
    assert not Comment.objects.exists()


def test_the_real_owner_resets_the_password_and_never_meets_the_attackers_name(
    a_thread: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(Client(), VICTIM, ATTACKER_NAME, ATTACKER_PASSWORD)
    cache.clear()  # a while later: mail to one address is limited to one per 10 seconds
    owner = Client()
    with django_capture_on_commit_callbacks(execute=True):
        first = sign_up(owner, VICTIM, "Vera Owner", OWNER_PASSWORD)
    assert first.status_code in (200, 302)
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        owner.post("/accounts/password/reset/", {"email": VICTIM})
    sent = bodies(VICTIM)
    assert sent, "the owner hears from the site"
    for text in sent:
        assert ATTACKER_NAME not in text and "Mallory" not in text, text
    links = [
        m.group(1)
        for text in sent
        for m in re.finditer(r"(?m)^https?://\S+?(/accounts/password/reset/key/\S+/)$", text)
    ]
    assert links, "a password reset link reaches the owner"
    assert f"{settings.WAGTAILADMIN_BASE_URL}{links[-1]}" in sent[-1], (
        "links use the site's address"
    )
    form = owner.get(links[-1], follow=True)
    assert form.status_code == 200
    done = owner.post(
        form.redirect_chain[-1][0] if form.redirect_chain else links[-1],
        {"password1": "a brand new passphrase 9", "password2": "a brand new passphrase 9"},
    )
    assert done.status_code == 302, done.content
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(owner, VICTIM, "a brand new passphrase 9")
    assert signed_in(owner), "the reset link proved the address: the owner is in"
    reader = Reader()
    reader.client.cookies = owner.cookies
    me = reader.me(a_thread.pk)
    assert me["authenticated"] and "Mallory" not in me["name"], me
    response = reader.comment(a_thread.pk, "The real owner speaks.")
    assert response.status_code == 201, response.content
    assert "Mallory" not in Comment.objects.get().author_name

    attacker = Client()
    sign_in(attacker, VICTIM, ATTACKER_PASSWORD)
    assert not signed_in(attacker), "the attacker's password no longer opens the account"


def test_sign_up_does_the_same_work_whether_or_not_the_address_is_registered(
    db: Any, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    get_user_model().objects.create_user("taken", "taken@example.org", "a long passphrase 42")
    hashed: list[str] = []
    original = MD5PasswordHasher.encode

    def counting(self: Any, password: str, salt: str) -> str:
        hashed.append(password)
        return original(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting)
    seen: dict[str, Any] = {}
    for address in ("taken@example.org", "fresh@example.org"):
        hashed.clear()
        mail.outbox.clear()
        client = Client()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = sign_up(client, address, "Some Reader", "a signup passphrase 42")
        assert not mail.outbox, "no mail is sent inside the request"
        for callback in callbacks:
            callback()
        page = client.get(response["Location"]) if response.status_code == 302 else response
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.content.decode())
        seen[address] = {
            "hashes": len(hashed),
            "status": response.status_code,
            "location": response.get("Location"),
            "page": (page.status_code, html.replace(address, "ADDRESS")),
            "mail": [m.to for m in mail.outbox],
        }
    taken, fresh = seen["taken@example.org"], seen["fresh@example.org"]
    assert fresh["hashes"] >= 1
    assert taken["hashes"] == fresh["hashes"], "the same password hashing either way"
    assert (taken["status"], taken["location"]) == (fresh["status"], fresh["location"])
    assert taken["page"] == fresh["page"], "the same page either way"
    assert taken["mail"] == [["taken@example.org"]] and fresh["mail"] == [["fresh@example.org"]]
