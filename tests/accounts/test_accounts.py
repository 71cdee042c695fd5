"""Reader accounts on django-allauth: sign-up with a code, sign-in by email or by emailed code, password
reset, change of address with re-verification, safe `next`, rate limits, configured providers."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client

from masthead.settings.env import oauth_providers
from tests.helpers import Reader, a_verified_user, hostile_strings

pytestmark = pytest.mark.django_db
PASSWORD = "a long passphrase 42"


def sign_up(client: Client, email: str = "new@example.com", name: str = "New Reader") -> Any:
    return client.post(
        "/accounts/signup/", {"display_name": name, "email": email, "password1": PASSWORD}
    )


def code_in(message: Any) -> str:
    found = re.search(r"^\s{4}(\S+)$", message.body, re.MULTILINE)
    assert found, message.body
    return found.group(1)


def signed_in_as(client: Client) -> Any:
    pk = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=pk) if pk else None


def test_sign_up_asks_for_the_code_mailed_to_the_address(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client)
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert signed_in_as(client) is None
    user = get_user_model().objects.get(email="new@example.com")
    assert user.display_name == "New Reader" and not user.email_verified
    assert user.username.startswith("reader_"), "nothing of the address becomes a shown name"
    (message,) = mail.outbox
    assert message.to == ["new@example.com"] and "New Reader" not in message.body
    page = client.get("/accounts/confirm-email/")
    assert page.status_code == 200 and b"new@example.com" in page.content

    assert client.post("/accounts/confirm-email/", {"code": "WRONG-CODE"}).status_code == 200
    assert signed_in_as(client) is None
    done = client.post("/accounts/confirm-email/", {"code": code_in(message)})
    assert done.status_code == 302
    assert signed_in_as(client) == user, "the code, typed where the account was made, signs in"
    user.refresh_from_db()
    assert user.email_verified and user.display_name == "New Reader"


def test_the_code_works_only_in_the_browser_that_signed_up(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Someone signing up with another person's address cannot have them confirm it for him."""
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(Client(), email="victim@example.net")
    (message,) = mail.outbox
    elsewhere = Client()
    response = elsewhere.post("/accounts/confirm-email/", {"code": code_in(message)})
    assert response.status_code == 302 and signed_in_as(elsewhere) is None
    assert not EmailAddress.objects.filter(verified=True).exists()


def test_weak_password_and_blank_name_are_refused(db: Any) -> None:
    weak = Client().post(
        "/accounts/signup/",
        {"display_name": "W", "email": "w@example.com", "password1": "password"},
    )
    assert weak.status_code == 200 and b"too common" in weak.content
    blank = Client().post(
        "/accounts/signup/",
        {"display_name": "  \u200b ", "email": "b@example.com", "password1": PASSWORD},
    )
    assert blank.status_code == 200 and b"visible characters" in blank.content
    assert get_user_model().objects.count() == 0


def test_sign_in_by_email_and_sign_out(db: Any) -> None:
    a_verified_user("someone", "reader@example.com", PASSWORD)
    client = Client()
    bad = client.post("/accounts/login/", {"login": "reader@example.com", "password": "wrong"})
    assert bad.status_code == 200 and signed_in_as(client) is None
    good = client.post(
        "/accounts/login/?next=/middle-east/",
        {"login": "READER@example.com", "password": PASSWORD},
    )
    assert good.status_code == 302 and good["Location"] == "/middle-east/"
    assert signed_in_as(client) is not None
    by_username = Client()
    by_username.post("/accounts/login/", {"login": "someone", "password": PASSWORD})
    assert signed_in_as(by_username) is None, "readers sign in by email, never by username"
    out = client.post("/accounts/logout/", {"next": "/middle-east/"})
    assert out.status_code == 302 and out["Location"] == "/middle-east/"
    assert signed_in_as(client) is None


def test_the_sign_in_page_links_to_password_reset_and_sign_in_by_code(db: Any) -> None:
    page = Client().get("/accounts/login/").content.decode()
    assert 'href="/accounts/password/reset/"' in page
    assert 'href="/accounts/login/code/"' in page
    assert 'href="/accounts/signup/"' in page


def test_login_next_never_redirects_off_site(db: Any, settings: Any) -> None:
    settings.ACCOUNT_RATE_LIMITS = False
    a_verified_user("r", "r@example.com", PASSWORD)
    for probe in hostile_strings("open-redirect.txt"):
        probe = probe.replace("trusted.example", "testserver")
        client = Client()
        response = client.post(
            "/accounts/login/", {"login": "r@example.com", "password": PASSWORD, "next": probe}
        )
        assert response.status_code == 302, probe
        location = response["Location"]
        for candidate in (location, unquote(location), unquote(unquote(location))):
            assert candidate.startswith("/") and not candidate.startswith(("//", "/\\")), (
                probe,
                location,
            )
            assert ":" not in candidate.split("?")[0], (probe, location)


def test_failed_sign_ins_are_limited_per_account_from_any_address(db: Any) -> None:
    """Hole 2's other half: a password guesser rotating addresses still meets a per-account limit."""
    a_verified_user("target", "target@example.com", PASSWORD)
    for n in range(5):
        Client(REMOTE_ADDR=f"198.51.100.{n + 1}").post(
            "/accounts/login/", {"login": "target@example.com", "password": f"guess {n}"}
        )
    client = Client(REMOTE_ADDR="198.51.100.77")
    response = client.post(
        "/accounts/login/", {"login": "target@example.com", "password": PASSWORD}
    )
    assert signed_in_as(client) is None, "even the right password waits once the account is locked"
    assert b"Too many failed login attempts" in response.content
    other = Client(REMOTE_ADDR="198.51.100.77")
    a_verified_user("other", "other@example.com", PASSWORD)
    other.post("/accounts/login/", {"login": "other@example.com", "password": PASSWORD})
    assert signed_in_as(other) is not None, "another account from the same address is unaffected"


def test_failed_sign_ins_are_limited_per_client_address(db: Any) -> None:
    a_verified_user("late", "late@example.com", PASSWORD)
    client = Client(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="192.0.2.99")
    for n in range(10):
        client.post("/accounts/login/", {"login": f"nobody{n}@example.com", "password": "x"})
    # A fresh X-Forwarded-For changes nothing: no proxy is trusted (MASTHEAD_TRUSTED_PROXIES).
    rotated = Client(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="192.0.2.100")
    response = rotated.post("/accounts/login/", {"login": "late@example.com", "password": PASSWORD})
    assert signed_in_as(rotated) is None
    assert response.status_code in (200, 429)


def test_sign_in_by_emailed_code(db: Any, django_capture_on_commit_callbacks: Any) -> None:
    user = a_verified_user("coder", "coder@example.com", PASSWORD)
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/login/code/", {"email": "coder@example.com"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/code/confirm/"
    (message,) = mail.outbox
    assert signed_in_as(client) is None
    done = client.post("/accounts/login/code/confirm/", {"code": code_in(message)})
    assert done.status_code == 302
    assert signed_in_as(client) == user


def test_a_sign_in_code_for_an_unknown_address_looks_the_same(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    a_verified_user("known", "known@example.com", PASSWORD)
    answers = []
    for address in ("known@example.com", "unknown@example.com"):
        client = Client()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/accounts/login/code/", {"email": address})
        answers.append((response.status_code, response.get("Location")))
    assert answers[0] == answers[1]
    assert sorted(m.to[0] for m in mail.outbox) == ["known@example.com", "unknown@example.com"]


def test_a_sign_in_code_to_an_address_someone_else_signed_up_with_forgets_their_choices(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The owner of the inbox gets in; the name and password the stranger chose do not survive."""
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(Client(), email="victim@example.net", name="Mallory")
    cache.clear()
    mail.outbox.clear()
    owner = Client()
    with django_capture_on_commit_callbacks(execute=True):
        owner.post("/accounts/login/code/", {"email": "victim@example.net"})
    (message,) = mail.outbox
    owner.post("/accounts/login/code/confirm/", {"code": code_in(message)})
    user = signed_in_as(owner)
    assert user is not None and user.email_verified
    assert "Mallory" not in user.public_name and not user.has_usable_password()
    stranger = Client()
    stranger.post("/accounts/login/", {"login": "victim@example.net", "password": PASSWORD})
    assert signed_in_as(stranger) is None


def test_changing_the_address_needs_the_new_one_confirmed(
    a_thread: Any, django_capture_on_commit_callbacks: Any
) -> None:
    user = a_verified_user("mover", "old@example.com", PASSWORD, display_name="Mover")
    browser = Client()
    browser.force_login(user)
    reader = Reader()
    reader.client.cookies = browser.cookies
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post("/accounts/email/", {"email": "new@example.com", "action_add": ""})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["new@example.com"]
    # Until then the reader still comments under the verified old address.
    assert reader.comment(a_thread.pk, "Before the change.").status_code == 201
    assert reader.me(a_thread.pk)["email"] == "old@example.com"
    browser.post("/accounts/confirm-email/", {"code": code_in(message)})
    user.refresh_from_db()
    assert user.email == "new@example.com"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified")) == [
        ("new@example.com", True)
    ]
    assert reader.me(a_thread.pk)["email"] == "new@example.com"


def test_providers_appear_only_when_configured(db: Any, settings: Any) -> None:
    assert oauth_providers({}) == {}
    configured = oauth_providers(
        {
            "MASTHEAD_OAUTH_GITHUB_CLIENT_ID": "gh-id",
            "MASTHEAD_OAUTH_GITHUB_SECRET": "gh-secret",
            "MASTHEAD_OAUTH_OIDC_CLIENT_ID": "newsroom",
            "MASTHEAD_OAUTH_OIDC_SECRET": "s3cret",
            "MASTHEAD_OAUTH_OIDC_SERVER_URL": "https://sso.example.org",
            "MASTHEAD_OAUTH_OIDC_NAME": "Newsroom SSO",
        }
    )
    assert set(configured) == {"github", "openid_connect"}
    assert configured["openid_connect"]["APPS"][0]["settings"]["server_url"] == (  # type: ignore[index]
        "https://sso.example.org"
    )
    assert b"Continue with" not in Client().get("/accounts/login/").content
    settings.SOCIALACCOUNT_PROVIDERS = configured
    page = Client().get("/accounts/login/").content.decode()
    assert "Continue with GitHub" in page and "Continue with Newsroom SSO" in page
    assert "Google" not in page


def test_account_pages_carry_no_inline_script_style_or_handler(
    db: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The site's Content-Security-Policy allows no inline code: allauth's pages as Masthead serves them."""
    settings.SOCIALACCOUNT_PROVIDERS = oauth_providers(
        {"MASTHEAD_OAUTH_GOOGLE_CLIENT_ID": "g", "MASTHEAD_OAUTH_GOOGLE_SECRET": "s"}
    )
    visitor = Client()
    pages = [
        visitor.get(path)
        for path in (
            "/accounts/login/",
            "/accounts/signup/",
            "/accounts/login/code/",
            "/accounts/password/reset/",
            "/accounts/google/login/",
        )
    ]
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(visitor, email="inline@example.com")
    pages.append(visitor.get("/accounts/confirm-email/"))
    member = Client()
    member.force_login(a_verified_user("m", "m@example.com", PASSWORD))
    with django_capture_on_commit_callbacks(execute=True):
        member.post("/accounts/email/", {"email": "next@example.com", "action_add": ""})
    pages += [member.get(path) for path in ("/accounts/email/", "/accounts/password/change/")]
    for response in pages:
        assert response.status_code == 200, response.wsgi_request.path
        html = response.content.decode()
        inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
        assert not inline_scripts, (response.wsgi_request.path, inline_scripts)
        assert not re.search(r"\sstyle=", html), response.wsgi_request.path
        assert not re.search(r"\son[a-z]+=", html), response.wsgi_request.path


def test_sign_up_refuses_a_reserved_name(an_author: Any) -> None:
    """A byline (and its look-alikes) belongs to its owner: nobody signs up under it."""
    for name in ("Rana Haddad", "R\u0430na Haddad"):
        response = Client().post(
            "/accounts/signup/",
            {"display_name": name, "email": "imp@example.com", "password1": PASSWORD},
        )
        assert response.status_code == 200 and b"account-field--invalid" in response.content, name
    assert get_user_model().objects.count() == 0
