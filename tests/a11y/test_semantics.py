"""What a screen reader and a reader's settings get: the comments as a labelled list with a heading
per comment, named vote buttons with their pressed state, the goal bar's progressbar, live regions,
errors tied to their fields; a dark theme and no motion for readers who ask for them."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.a11y.support import load_demo, passage_of, sqlite_only
from tests.helpers import comment_as, guest_actor, post_inline

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), sqlite_only]

# The committed pictures (docs/screenshots) are refreshed on request only, so a test run leaves the
# work tree as it found it: MASTHEAD_UPDATE_SCREENSHOTS=1.
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def luminance(css_colour: str) -> float:
    """Relative luminance (WCAG) of an `rgb(r, g, b)` computed colour."""
    red, green, blue = (int(part) / 255 for part in re.findall(r"\d+", css_colour)[:3])

    def linear(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def test_the_discussion_and_goal_bar_speak_to_screen_readers(
    live_server: Any, page: Any, an_article: Any, a_thread: Any, a_campaign: Any, settings: Any
) -> None:
    settings.RATELIMIT_ENABLED = False
    first = comment_as(guest_actor("omar"), a_thread, "The canal was dry in May.", name="Omar")
    comment_as(guest_actor("sam"), a_thread, "Ours too.", name="Sam", parent_id=first.pk)
    with page.expect_response(lambda response: response.url.endswith("/me")):
        page.goto(live_server.url + an_article.url)
    region = page.locator("#comments")

    def check_comments() -> None:
        comments = region.get_by_role("list", name="2 Comments").first
        assert comments.is_visible()
        headings = comments.get_by_role("heading", level=3)
        assert headings.all_inner_texts() == ["Omar", "Sam"]
        assert region.get_by_role("button", name="Upvote").count() == 2
        # The name carries the count, which a label alone would hide.
        names = region.locator(".vote--up").evaluate_all(
            "(buttons) => buttons.map((b) => b.textContent)"
        )
        assert [re.sub(r"\s+", " ", name).strip() for name in names] in (
            ["Upvote 0", "Upvote 0"],
            ["Upvote 1", "Upvote 0"],
            ["Upvote 0", "Upvote 1"],
        )
        assert region.get_by_role("button", name=re.compile(r"^Upvote [01]$")).count() == 2
        assert region.get_by_role("button", name="Downvote", pressed=False).count() == 2

    check_comments()
    assert region.get_by_role("button", name="Upvote", pressed=False).count() == 2
    live = region.locator("[data-status]")
    assert live.get_attribute("role") == "status" and live.get_attribute("aria-live") == "polite"

    # The goal bar: a progressbar with a name, its range and a spoken value.
    bar = page.get_by_role("progressbar").first
    assert bar.get_attribute("aria-valuemin") == "0"
    assert int(bar.get_attribute("aria-valuenow") or "-1") >= 0
    assert "raised of" in (bar.get_attribute("aria-valuetext") or "")
    assert (bar.get_attribute("aria-label") or "").endswith("money raised")

    # A pressed vote says so.
    region.get_by_role("button", name="Upvote").first.click()
    region.get_by_role("button", name="Upvote", pressed=True).wait_for()

    # An empty comment: the field is marked invalid and points at the message.
    region.locator("[data-submit]").click()
    body = region.locator("textarea[name=body]")
    page.wait_for_function(
        "() => document.querySelector('#comments textarea[name=body]').getAttribute('aria-invalid') === 'true'"
    )
    message = page.locator("#" + (body.get_attribute("aria-describedby") or "missing"))
    assert message.inner_text() == "Please write a comment."
    assert message.get_attribute("role") == "alert"

    # Comments drawn by the script (another order) keep the same semantics.
    page.evaluate(
        "() => document.querySelectorAll('#comments .comment__card').forEach(c => c.dataset.served = '1')"
    )
    region.locator("[data-sort-option=oldest]").click()
    page.wait_for_function("() => !document.querySelector('#comments .comment__card[data-served]')")
    check_comments()
    assert region.get_by_role("button", name="Upvote", pressed=True).count() == 1


def test_reduced_motion_stops_the_highlight_animation(
    live_server: Any, browser: Any, an_article: Any, a_thread: Any, settings: Any
) -> None:
    settings.RATELIMIT_ENABLED = False
    comment = comment_as(guest_actor(), a_thread, "Highlighted.", name="Ana")
    durations = {}
    for motion in ("no-preference", "reduce"):
        context = browser.new_context(reduced_motion=motion)
        page = context.new_page()
        page.goto(f"{live_server.url}{an_article.url}#comment-{comment.pk}")
        page.evaluate(
            "id => document.getElementById(`comment-${id}`).classList.add('comment--highlight')",
            comment.pk,
        )
        durations[motion] = page.evaluate(
            """id => { const card = document.querySelector(`#comment-${id} > .comment__card`);
                       return getComputedStyle(card).animationDuration; }""",
            comment.pk,
        )
        context.close()
    assert durations == {"no-preference": "2.4s", "reduce": "0s"}


def test_the_dark_theme_is_dark_and_screenshots_of_it(
    live_server: Any, browser: Any, settings: Any, screenshot_dir: Path
) -> None:
    """The article page in the dark theme, English and Arabic (docs/screenshots/article-dark-*.png)."""
    from wagtail.models import Locale

    from masthead.discussion.actions import thread_for_page
    from masthead.publishing.models import ArticlePage

    settings.RATELIMIT_ENABLED = False
    load_demo()
    target = DOCS_SCREENSHOTS if os.environ.get("MASTHEAD_UPDATE_SCREENSHOTS") else screenshot_dir
    for language in ("en", "ar"):
        article = ArticlePage.objects.live().get(
            locale=Locale.objects.get(language_code=language),
            slug="farmers-on-the-lower-euphrates-turn-to-drip-lines-as-the-river-shrinks",
        )
        thread = thread_for_page(article)
        name, body, reply = (
            ("سلمى", "تجربة مفيدة، لكن من يدفع ثمن المرشّحات؟", "الصندوق يغطي نصفها.")
            if language == "ar"
            else ("Salma", "Useful pilot, but who pays for the filters?", "The fund covers half.")
        )
        first = comment_as(guest_actor(f"dark-{language}"), thread, body, name=name)
        comment_as(
            guest_actor(f"dark2-{language}"), thread, reply, name="Karim", parent_id=first.pk
        )
        post_inline(thread, passage_of(article), body="?", name=name)
        context = browser.new_context(
            viewport={"width": 1100, "height": 900}, color_scheme="dark", locale=language
        )
        page = context.new_page()
        page.goto(live_server.url + article.url)
        page.locator(".inline-marker").first.wait_for()
        colours = page.evaluate(
            "() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]"
        )
        assert luminance(colours[0]) < 0.05 < 0.6 < luminance(colours[1]), colours
        page.screenshot(path=str(target / f"article-dark-{language}.png"), full_page=True)
        context.close()
