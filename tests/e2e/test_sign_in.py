"""Readers' accounts in Chromium: sign-up with the code mailed over real SMTP, sign-in by emailed
code, and social sign-in through a real OpenID Connect provider in a second process."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from masthead.discussion.models import Comment
from masthead.settings.env import oauth_providers
from tests.helpers import a_verified_user
from tests.notifications.smtp_support import SmtpSink
from tests.oidc_provider.fixture import OidcProvider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def mailed_code(sink: SmtpSink, address: str, timeout: float = 15) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in reversed(sink.to(address)):
            body = message.get_body(preferencelist=("plain",))
            found = re.search(r"^\s{4}(\S+)\s*$", body.get_content() if body else "", re.M)
            if found:
                return found.group(1)
        time.sleep(0.1)
    raise AssertionError(f"no code reached {address}: {[m['Subject'] for m in sink.messages]}")


def comment_signed_in(page: Any, live_server: Any, article: Any, name: str, body: str) -> None:
    page.goto(live_server.url + article.url)
    form = page.locator("[data-comment-form]")
    page.locator("[data-signed-in]", has_text=f"Commenting as {name}").wait_for()
    assert not form.locator("[data-guest-fields]").is_visible()
    form.locator("textarea[name=body]").fill(body)
    form.locator("[data-submit]").click()
    page.locator(".comment", has_text=body).wait_for()


def test_sign_up_confirms_the_address_with_a_mailed_code_then_comments(
    live_server: Any,
    page: Any,
    smtp: SmtpSink,
    an_article: Any,
    screenshot_dir: Any,
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/accounts/signup/?next={an_article.url}")
    page.fill("input[name=display_name]", "Hala Reader")
    page.fill("input[name=email]", "hala@example.org")
    page.fill("input[name=password1]", "a reader's long passphrase")
    page.screenshot(path=str(screenshot_dir / "accounts-sign-up.png"), full_page=True)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/accounts/confirm-email/**")
    assert "hala@example.org" in page.content()
    page.screenshot(path=str(screenshot_dir / "accounts-confirm-code.png"), full_page=True)
    page.fill("input[name=code]", mailed_code(smtp, "hala@example.org"))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"**{an_article.url}")
    comment_signed_in(page, live_server, an_article, "Hala Reader", "Signed up and confirmed.")
    comment = Comment.objects.get()
    assert comment.author_email == "hala@example.org" and comment.user is not None
    assert not errors, errors


def test_sign_in_by_a_mailed_code(
    live_server: Any,
    page: Any,
    smtp: SmtpSink,
    an_article: Any,
    screenshot_dir: Any,
) -> None:
    a_verified_user("coder", "coder@example.org", display_name="Cora Coder")
    page.goto(f"{live_server.url}/accounts/login/")
    page.screenshot(path=str(screenshot_dir / "accounts-sign-in.png"), full_page=True)
    page.get_by_role("link", name="Send me a sign-in code").click()
    page.fill("input[name=email]", "coder@example.org")
    page.get_by_role("button", name="Request Code").click()
    page.wait_for_url("**/accounts/login/code/confirm/**")
    page.fill("input[name=code]", mailed_code(smtp, "coder@example.org"))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"{live_server.url}/")
    comment_signed_in(page, live_server, an_article, "Cora Coder", "Signed in with a code.")


def test_social_sign_in_through_an_openid_connect_provider(
    live_server: Any,
    page: Any,
    an_oidc_provider: OidcProvider,
    an_article: Any,
    settings: Any,
    screenshot_dir: Any,
) -> None:
    settings.SOCIALACCOUNT_PROVIDERS = oauth_providers(an_oidc_provider.masthead_env())
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Continue with Newsroom SSO").click()
    page.get_by_role("button", name="Continue").click()  # allauth asks before leaving the site
    page.wait_for_url(f"{an_oidc_provider.url.removesuffix('/o')}/login/**")
    page.fill("input[name=username]", "nour")
    page.fill("input[name=password]", "nour-sso-passphrase")
    page.get_by_role("button", name="Sign in to SSO").click()
    page.wait_for_url("**/o/authorize/**")
    page.get_by_role("button", name="Authorize").click()  # the provider's consent page
    page.wait_for_url(f"{live_server.url}/")
    comment_signed_in(page, live_server, an_article, "Nour Saleh", "Signed in through the SSO.")
    comment = Comment.objects.get()
    assert comment.author_email == "nour@example.org" and comment.user.email_verified


def test_social_sign_in_with_an_address_the_provider_did_not_verify_asks_for_the_code(
    live_server: Any,
    page: Any,
    an_oidc_provider: OidcProvider,
    smtp: SmtpSink,
    settings: Any,
) -> None:
    settings.SOCIALACCOUNT_PROVIDERS = oauth_providers(an_oidc_provider.masthead_env())
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Continue with Newsroom SSO").click()
    page.get_by_role("button", name="Continue").click()
    page.fill("input[name=username]", "sami")
    page.fill("input[name=password]", "sami-sso-passphrase")
    page.get_by_role("button", name="Sign in to SSO").click()
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url("**/accounts/confirm-email/**")
    me = page.request.get(f"{live_server.url}/api/v1/subscriptions")
    assert me.status == 401, "not signed in before the address is confirmed"
    page.fill("input[name=code]", mailed_code(smtp, "sami@example.org"))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.request.get(f"{live_server.url}/api/v1/subscriptions").status == 200
