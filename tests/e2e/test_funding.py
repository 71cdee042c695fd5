"""A reader gives through the donate form (localstripe's stand-in Stripe.js) and the goal bar rises."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.funding import stripe_support
from tests.helpers import make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def raised_text(page: Any) -> str:
    return page.locator(".support--after .goal__raised strong").inner_text()


def test_reader_donates_and_sees_the_goal_bar_rise(
    page: Any,
    live_server: Any,
    an_article: Any,
    stripe_live: str,
    screenshot_dir: Path,
    a_staff_user: Any,
) -> None:
    from masthead.funding.models import LedgerEntry

    campaign = make_campaign()
    alerts: list[str] = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))

    page.goto(live_server.url + an_article.url)
    assert raised_text(page) == "$100.00"
    bar = page.locator(".support--after [role=progressbar]")
    assert bar.get_attribute("aria-valuenow") == "10000"
    block = page.locator(".support--after")
    block.scroll_into_view_if_needed()
    block.screenshot(path=str(screenshot_dir / "funding-support-block.png"))

    page.locator(".support--after a.support__button").click()
    page.wait_for_url(re.compile(r"/funding/river-desk/\?from="))
    page.locator("#card-element input").first.wait_for()
    page.screenshot(path=str(screenshot_dir / "funding-donate-page.png"), full_page=True)

    page.locator(".donate__preset", has_text="$25").click()
    page.fill("input[name=name]", "Browser Reader")
    page.fill("input[name=email]", "browser@example.com")
    page.fill("textarea[name=message]", "Keep it up")
    for placeholder, value in [
        ("number", "4242424242424242"),
        ("exp_month", "12"),
        ("exp_year", "34"),
        ("cvc", "123"),
        ("postal_code", "10115"),
    ]:
        page.fill(f"#card-element input[placeholder={placeholder}]", value)
    page.click(".donate__submit")
    page.locator("#donate-thanks").wait_for(state="visible")
    assert "Thank you" in page.locator("#donate-thanks").inner_text()
    assert not page.locator("#donate-form").is_visible()
    page.screenshot(path=str(screenshot_dir / "funding-thank-you.png"), full_page=True)

    stripe_support.wait_until(
        lambda: LedgerEntry.objects.filter(campaign=campaign, kind="charge").exists()
    )
    # Another reader (a fresh browser, no HTTP cache) loads the article: the cached page was invalidated.
    other = page.context.browser.new_context(viewport={"width": 1280, "height": 900})
    reader = other.new_page()
    reader.goto(live_server.url + an_article.url)
    assert raised_text(reader) == "$125.00"
    assert (
        reader.locator(".support--after [role=progressbar]").get_attribute("aria-valuenow")
        == "12500"
    )
    assert "1 donor" in reader.locator(".support--after .goal__stats").inner_text()
    other.close()
    assert alerts == []

    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(f"{live_server.url}/admin/funding/campaign/{campaign.pk}/")
    assert "$125.00" in page.locator(".funding-stats").inner_text()
    page.screenshot(path=str(screenshot_dir / "funding-admin-report.png"), full_page=True)
