"""axe-core in Chromium over every kind of page a reader or a moderator meets, in English and in
Arabic, light and dark: no serious or critical WCAG 2.2 AA violation.

One test per language walks the pages in one browser context and reports every failing page at
once, with the rule, the element and axe's help, so a failure reads as a to-do list.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.a11y.support import (
    axe_violations,
    describe,
    load_demo,
    passage_of,
    sign_in_to_admin,
    sqlite_only,
)
from tests.helpers import a_moderator_user, comment_as, guest_actor, post_inline

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), sqlite_only]

LANGUAGES = ["en", "ar"]


class Audit:
    """Runs axe on each state of a page, light and dark, and collects what fails."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.failures: list[str] = []
        self.checked: list[str] = []

    def check(self, name: str, *, dark: bool = True) -> None:
        """axe on the page as it is, light then (unless the state adds no colours) dark."""
        for scheme in ("light", "dark") if dark else ("light",):
            self.page.emulate_media(color_scheme=scheme)
            found = axe_violations(self.page)
            self.checked.append(f"{name} ({scheme})")
            if found:
                self.failures.append(f"{name} ({scheme}) at {self.page.url}:\n{describe(found)}")
        self.page.emulate_media(color_scheme="light")

    def assert_clean(self) -> None:
        assert not self.failures, "axe found serious or critical violations:\n" + "\n".join(
            self.failures
        )


def _edition(language: str) -> tuple[Any, Any, Any]:
    """The language's home, a section and the article with inline feedback and a conversation."""
    from wagtail.models import Locale

    from masthead.discussion.actions import thread_for_page
    from masthead.publishing.models import ArticlePage, HomePage, SectionPage

    locale = Locale.objects.get(language_code=language)
    home = HomePage.objects.live().get(locale=locale)
    section = SectionPage.objects.live().filter(locale=locale).first()
    article = (
        ArticlePage.objects.live()
        .filter(locale=locale, slug__startswith="farmers-on-the-lower-euphrates")
        .first()
    )
    assert article is not None
    thread = thread_for_page(article)
    name = "ليلى" if language == "ar" else "Layla"
    first = comment_as(
        guest_actor(f"a11y-{language}"), thread, "A first comment, **bold**.", name=name
    )
    comment_as(guest_actor(f"a11y2-{language}"), thread, "A reply.", name="Sam", parent_id=first.pk)
    post_inline(thread, passage_of(article), body="Which year?", name=name)
    return home, section, article


@pytest.mark.parametrize("language", LANGUAGES)
def test_reader_and_moderator_pages_have_no_serious_violations(
    language: str,
    browser: Any,
    live_server: Any,
    stripe_live: str,
    settings: Any,
) -> None:
    from masthead.funding.models import Campaign
    from masthead.notifications.models import EmailAddress
    from masthead.notifications.tokens import unsubscribe_token

    settings.RATELIMIT_ENABLED = False
    load_demo()
    home, section, article = _edition(language)
    campaign = Campaign.objects.get(slug="support-us")
    moderator = a_moderator_user()
    base = live_server.url
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale=language,
        extra_http_headers={"Accept-Language": language},
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    audit = Audit(page)
    try:
        page.goto(base + home.url)
        assert page.locator("html").get_attribute("lang") == language
        audit.check("home")
        page.goto(base + section.url)
        audit.check("section", dark=False)

        # The article with its discussion, the reply form open, an inline panel open, then all comments.
        page.goto(base + article.url + "#comments")
        page.locator("[data-comment-list] > li").first.wait_for()
        page.locator(".inline-bubble, .inline-marker").first.wait_for()
        audit.check("article")
        page.locator("[data-comment-list] [data-reply]").first.click()
        page.locator(".comment-form--reply").wait_for()
        audit.check("article, reply form open", dark=False)
        page.locator("[data-comment-form] [data-submit]").click()
        page.locator("[data-form-error]:not([hidden])").wait_for()
        audit.check("article, comment form error")
        page.locator(".inline-bubble, .inline-marker").first.click()
        page.locator(".inline-panel").wait_for()
        audit.check("article, inline panel open")
        page.goto(base + article.url + "?comments=all#comments")
        page.locator("[data-comment-list] > li").first.wait_for()
        audit.check("article, all comments", dark=False)

        # The donation form, then its error states: a client-side and a server-side refusal.
        page.goto(f"{base}/funding/{campaign.slug}/?from={article.url}")
        page.locator("#card-element input").first.wait_for()
        audit.check("donate")
        page.fill("input[name=custom]", "abc")
        page.click(".donate__submit")
        page.locator(".donate__error:not([hidden])").wait_for()
        audit.check("donate, amount refused", dark=False)
        page.fill("input[name=custom]", "")
        page.fill("input[name=email]", "not an address")
        page.click(".donate__submit")
        page.locator("[aria-invalid=true]").first.wait_for()
        audit.check("donate, email refused")

        # Accounts: sign in (and a failed attempt), sign up.
        page.goto(base + "/accounts/login/")
        audit.check("sign in")
        page.fill("input[name=login]", "nobody@example.com")
        page.fill("input[name=password]", "wrong password")
        page.locator("form button[type=submit]").first.click()
        page.wait_for_load_state()
        audit.check("sign in, refused")
        page.goto(base + "/accounts/signup/")
        audit.check("sign up", dark=False)

        # Subscriptions: the unsubscribe page a link in every email opens, and its answer.
        address = EmailAddress.objects.create(
            email=f"sub-{language}@example.com", language=language
        )
        token = unsubscribe_token(address.pk, address.email, None)
        page.goto(f"{base}/notifications/unsubscribe/{token}/")
        audit.check("unsubscribe")
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        audit.check("unsubscribed", dark=False)

        # The moderation queue (Wagtail admin), as a moderator sees it.
        sign_in_to_admin(page, base, moderator.username, "correct horse battery")
        page.goto(base + "/admin/moderation/")
        page.wait_for_load_state()
        audit.check("moderation queue")
    finally:
        context.close()
    audit.assert_clean()
