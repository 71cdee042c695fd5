"""Chromium under the real Content-Security-Policy: the article with its discussion, the inline
feedback script, the support block and the donation form (localstripe's Stripe.js) all work, and the
browser reports no violation at all."""

from __future__ import annotations

from typing import Any

import pytest

from masthead.discussion import actions
from tests.helpers import comment_input, guest_actor, make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs in every document and frame before the page's own scripts.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


def violations(page: Any) -> list[str]:
    return list(page.evaluate("window.__cspViolations || []"))


def test_article_discussion_and_donation_run_with_no_csp_violation(
    page: Any, live_server: Any, an_article: Any, stripe_live: str
) -> None:
    campaign = make_campaign()
    thread = actions.thread_for_page(an_article)
    actions.post_comment(guest_actor("seed"), thread, comment_input("The canal maps agree."))
    console: list[str] = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.context.add_init_script(RECORD_VIOLATIONS)

    response = page.goto(live_server.url + an_article.url)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    region = page.locator("#comments")
    region.locator("[data-count]").wait_for()
    form = page.locator("[data-comment-form]")
    form.locator("textarea[name=body]").fill("Posted under a strict *policy*.")
    form.locator("input[name=name]").fill("Bea Reader")
    form.locator("input[name=email]").fill("bea@example.com")
    form.locator("[data-submit]").click()
    page.locator(".comment", has_text="Posted under a strict policy.").wait_for()
    # The goal bar draws without an inline style.
    fill = page.locator(".support--after .goal__fill")
    assert fill.bounding_box()["width"] > 0
    assert violations(page) == []

    page.locator(".support--after a.support__button").click()
    page.wait_for_url(f"**/funding/{campaign.slug}/**")
    page.locator("#card-element input").first.wait_for()
    page.locator(".donate__preset", has_text="$25").click()
    page.fill("input[name=name]", "Browser Reader")
    page.fill("input[name=email]", "browser@example.com")
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
    assert violations(page) == []
    assert console == []
    assert errors == []

    # The policy is in force and the listener hears it: an injected inline script does not run.
    page.evaluate(
        """() => { const s = document.createElement("script");
        s.textContent = "window.__injected = true"; document.body.append(s); }"""
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__injected === undefined")
    assert violations(page)[0].startswith("script-src")
