"""Reader accounts: sign-up with email verification, login with a safe `next`, logout."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client

from tests.conftest import hostile_strings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def sign_up(client: Client, email: str = "new@example.com") -> Any:
    return client.post(
        "/accounts/signup/",
        {"display_name": "New Reader", "email": email, "password": "a long passphrase 42"},
    )


def test_sign_up_sends_a_verification_link_that_acts_on_post(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        assert sign_up(client).status_code == 200
    user = get_user_model().objects.get(email="new@example.com")
    assert not user.email_verified and user.display_name == "New Reader"
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/accounts/verify/[^/\s]+/)", message.body).group(1)  # type: ignore[union-attr]
    assert Client().get(link).status_code == 200
    user.refresh_from_db()
    assert not user.email_verified  # GET only shows the button
    verifier = Client()
    assert verifier.post(link).status_code == 200
    user.refresh_from_db()
    assert user.email_verified
    assert verifier.session.get("_auth_user_id") == str(user.pk), "confirming the email signs in"


def test_forged_or_stale_verification_links_are_refused(db: Any) -> None:
    assert Client().post("/accounts/verify/forged-token/").status_code == 400
    user = get_user_model().objects.create_user("x", "x@example.com", "pw-long-enough-1")
    from masthead.accounts.tokens import verification_token

    token = verification_token(user)
    user.email = "changed@example.com"
    user.save()
    assert Client().post(f"/accounts/verify/{token}/").status_code == 400


def test_sign_up_with_a_taken_address_looks_the_same_and_tells_the_owner(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = sign_up(Client())
    mail.outbox.clear()
    visitor = Client()
    with django_capture_on_commit_callbacks(execute=True):
        second = sign_up(visitor, email="New@Example.com")
    assert second.status_code == first.status_code == 200
    # Apart from echoing the address as typed, the page is the same: it reveals nothing.
    assert second.content.decode().replace(
        "New@example.com", "ADDRESS"
    ) == first.content.decode().replace("new@example.com", "ADDRESS")
    assert "_auth_user_id" not in visitor.session
    assert get_user_model().objects.count() == 1
    (notice,) = mail.outbox
    assert notice.to == ["new@example.com"]
    assert "already has one" in notice.body


def test_weak_password_is_refused(db: Any) -> None:
    weak = Client().post(
        "/accounts/signup/", {"display_name": "W", "email": "w@example.com", "password": "password"}
    )
    assert weak.status_code == 400
    assert get_user_model().objects.count() == 0


def test_login_and_logout(db: Any) -> None:
    get_user_model().objects.create_user(
        "reader@example.com", "reader@example.com", "a long passphrase 42"
    )
    client = Client()
    bad = client.post("/accounts/login/", {"email": "reader@example.com", "password": "wrong"})
    assert bad.status_code == 400
    good = client.post(
        "/accounts/login/?next=/middle-east/",
        {"email": "READER@example.com", "password": "a long passphrase 42"},
    )
    assert good.status_code == 302 and good["Location"] == "/middle-east/"
    assert client.post("/accounts/logout/").status_code == 302


def test_login_next_never_redirects_off_site(db: Any, settings: Any) -> None:
    settings.RATELIMIT_ENABLED = False
    get_user_model().objects.create_user("r@example.com", "r@example.com", "a long passphrase 42")
    for probe in hostile_strings("open-redirect.txt"):
        probe = probe.replace("trusted.example", "testserver")
        client = Client()
        response = client.post(
            "/accounts/login/",
            {"email": "r@example.com", "password": "a long passphrase 42", "next": probe},
        )
        assert response.status_code == 302, probe
        location = response["Location"]
        for candidate in (location, unquote(location), unquote(unquote(location))):
            assert candidate.startswith("/") and not candidate.startswith(("//", "/\\")), (
                probe,
                location,
            )
            assert ":" not in candidate.split("?")[0], (probe, location)


def test_login_attempts_are_rate_limited(db: Any) -> None:
    client = Client()
    statuses = [
        client.post("/accounts/login/", {"email": "a@example.com", "password": "x"}).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [400] * 10 and statuses[10] == 429
