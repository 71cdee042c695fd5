"""A reader on /account/ in Chromium: claims guest comments, downloads their data, deletes the account;
screenshots of the page (desktop and phone) and of a Supporter badge in a thread."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from masthead.accounts.profile import set_supporter_badge
from masthead.discussion.models import Comment
from masthead.notifications.actions import subscribe
from tests.helpers import (
    comment_as,
    guest_actor,
    make_campaign,
    make_reader,
    monthly_donation,
    user_actor,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, live_server: Any, user: Any) -> None:
    """The browser gets a session of `user` (whatever the sign-in pages look like)."""
    client = Client()
    client.force_login(user)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


def test_reader_claims_downloads_and_deletes(
    live_server: Any, page: Any, an_article: Any, settings: Any, screenshot_dir: Any
) -> None:
    from masthead.discussion.actions import thread_for_page

    settings.RATELIMIT_ENABLED = False
    thread = thread_for_page(an_article)
    campaign = make_campaign()
    comment_as(
        guest_actor("before"),
        thread,
        "I wrote this before I had an account.",
        name="Rea",
        email="rea@example.com",
    )
    other = comment_as(
        guest_actor("other"),
        thread,
        "Someone else's view on the canals.",
        name="Omar K.",
        email="omar@example.com",
    )
    reader = make_reader()
    actor = user_actor(reader)
    comment_as(actor, thread, "The **groundwater** numbers deserve a follow-up.")
    comment_as(actor, thread, "Agreed with Omar.", parent_id=other.pk)
    subscribe(actor, thread, email="rea@example.com", kind="all")
    monthly_donation(campaign, "rea@example.com")
    set_supporter_badge(reader, True)

    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, reader)
    page.goto(live_server.url + "/account/")
    assert page.locator("h1").inner_text() == "Rea Der"
    claim = page.locator("#claim")
    assert "you wrote 1 comment as a guest" in claim.inner_text().lower()
    page.screenshot(path=str(screenshot_dir / "account-before-claim.png"), full_page=True)

    # Claim: one click; the comment joins the list under the reader's name.
    claim.locator("[data-claim]").click()
    page.locator(".reader-page__message").wait_for()
    assert page.locator("#claim").count() == 0
    assert "I wrote this before I had an account." in page.locator("#comments").inner_text()
    assert Comment.objects.get(body__startswith="I wrote this").author_name == "Rea Der"
    page.screenshot(path=str(screenshot_dir / "account.png"), full_page=True)

    # The thread shows the Supporter badge beside the reader's name.
    page.goto(live_server.url + an_article.url)
    badge = page.locator(".comment__badge--supporter").first
    badge.wait_for()
    page.locator(".comment", has=badge).first.screenshot(
        path=str(screenshot_dir / "supporter-badge.png")
    )

    # Download my data.
    page.goto(live_server.url + "/account/#data")
    with page.expect_download() as waiting:
        page.locator("[data-download]").click()
    download = waiting.value
    assert download.suggested_filename == "my-data.json"
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert {item["body"] for item in data["comments"]} == {
        "I wrote this before I had an account.",
        "The **groundwater** numbers deserve a follow-up.",
        "Agreed with Omar.",
    }
    assert data["subscriptions"][0]["kind"] == "all" and data["donations"][0]["interval"] == "month"

    # Delete my account: a confirmation step with the password.
    page.locator("a", has_text="Delete my account").click()
    page.locator("input[name=password]").fill("correct horse battery")
    page.screenshot(path=str(screenshot_dir / "account-delete.png"), full_page=True)
    page.locator("input[name=confirm]").check()
    page.locator("[data-confirm-delete]").click()
    page.locator("h1", has_text="Your account is deleted").wait_for()
    assert not type(reader).objects.filter(pk=reader.pk).exists()
    assert list(Comment.objects.values_list("body", flat=True)) == [
        "Someone else's view on the canals."
    ]
    page.goto(live_server.url + an_article.url)
    page.locator("[data-count]").wait_for()
    assert "groundwater" not in page.locator("#comments").inner_text()
    assert errors == []


def test_account_page_on_a_phone(
    live_server: Any, browser: Any, an_article: Any, screenshot_dir: Any
) -> None:
    from masthead.discussion.actions import thread_for_page

    thread = thread_for_page(an_article)
    reader = make_reader("phone@example.com", "Mina Haddad")
    comment_as(user_actor(reader), thread, "Reading this on the bus, great piece.")
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    try:
        sign_in(page, live_server, reader)
        page.goto(live_server.url + "/account/")
        page.locator("#comments").wait_for()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, "nothing overflows sideways on a phone"
        page.screenshot(path=str(screenshot_dir / "account-phone.png"), full_page=True)
    finally:
        context.close()
