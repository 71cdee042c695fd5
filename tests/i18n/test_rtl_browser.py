"""Right to left in Chromium: the Arabic article reads from the right (page, threaded replies, the
goal bar), user text is isolated in both editions, and a passage of Arabic text can be selected and
commented on. Screenshots of both editions go to the test artifacts (docs/screenshots/ keeps the
demo's: article-ar.png and article-en.png, taken by the last test here)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from masthead.discussion.actions import thread_for_page
from masthead.discussion.models import Comment
from tests.helpers import comment_and_commit, make_campaign
from tests.i18n.conftest import ARABIC_PARAGRAPH, translate_into_arabic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSAGE = "أدنى مستوى له منذ عقد"
ENGLISH_READER = "Sam O."
ARABIC_ON_ENGLISH = "تقرير مهم، نتمنى أن تكتبوا عن كلفة الصيانة أيضاً."


def say(thread: Any, body: str, name: str, parent: Any = None) -> Any:
    email = f"reader{Comment.objects.count()}@example.com"
    return comment_and_commit(thread, body, name=name, email=email, parent=parent)


@pytest.fixture
def two_editions(an_article: Any, settings: Any) -> dict[str, Any]:
    """The article in English and Arabic, a conversation on each, and a campaign 40% of the way."""
    settings.RATELIMIT_ENABLED = False
    make_campaign(baseline=200_000)
    arabic = translate_into_arabic(an_article, inline_highlights="on")
    arabic_thread = thread_for_page(arabic)
    first = say(arabic_thread, "جرّبنا التنقيط قبل سنتين.", "ليلى ع.")
    say(arabic_thread, "Did the co-operative publish the timetable?", ENGLISH_READER, first)
    parent = say(thread_for_page(an_article), "Lower than I have ever seen it.", "Ada")
    say(thread_for_page(an_article), ARABIC_ON_ENGLISH, "مريم ح.", parent)
    return {"en": an_article, "ar": arabic}


def boxes(page: Any, parent_text: str, reply_text: str) -> tuple[dict, dict]:
    """Bounding boxes of the comment card holding `parent_text` and of its reply's card."""
    parent = page.locator(".comment__card", has_text=parent_text).first
    reply = page.locator(".comment--reply .comment__card", has_text=reply_text).first
    return parent.bounding_box(), reply.bounding_box()


def goal_fill(page: Any) -> tuple[dict, dict]:
    bar = page.locator(".goal__bar").first
    bar.scroll_into_view_if_needed()
    fill = page.evaluate(
        "() => { const r = document.querySelector('.goal__fill').getBoundingClientRect();"
        " return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height}; }"
    )
    return bar.bounding_box(), fill


def computed(page: Any, selector: str, prop: str) -> str:
    return page.eval_on_selector(selector, f"e => getComputedStyle(e).{prop}")


def test_the_arabic_article_reads_from_the_right_and_isolates_english_names(
    live_server: Any, page: Any, two_editions: Any, screenshot_dir: Path
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + two_editions["ar"].url)
    assert computed(page, "html", "direction") == "rtl"
    assert computed(page, "h1", "direction") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"

    # The threaded reply is indented from the right: its card ends short of its parent's right
    # edge, and both reach the same left edge.
    parent, reply = boxes(page, "جرّبنا التنقيط", "co-operative")
    parent_right, reply_right = parent["x"] + parent["width"], reply["x"] + reply["width"]
    assert reply_right < parent_right - 15
    assert abs(reply["x"] - parent["x"]) < 2

    # An English name inside the Arabic thread is isolated, and its text keeps left to right.
    name = page.locator(".comment__author bdi", has_text=ENGLISH_READER)
    assert name.count() == 1
    body = page.locator(".comment--reply .comment__body", has_text="co-operative")
    assert body.get_attribute("dir") == "auto"
    assert body.evaluate("e => getComputedStyle(e).direction") == "ltr"

    # The goal bar fills from the right.
    bar, fill = goal_fill(page)
    assert 0.3 < fill["width"] / bar["width"] < 0.5
    assert abs((fill["x"] + fill["width"]) - (bar["x"] + bar["width"])) < 3
    assert fill["x"] > bar["x"] + 10
    page.screenshot(path=str(screenshot_dir / "rtl-article-ar.png"), full_page=True)

    page.goto(live_server.url + two_editions["en"].url)
    assert computed(page, "html", "direction") == "ltr"
    parent, reply = boxes(page, "Lower than I have ever", ARABIC_ON_ENGLISH[:10])
    assert reply["x"] > parent["x"] + 15  # indented from the left in English
    bar, fill = goal_fill(page)
    assert abs(fill["x"] - bar["x"]) < 3
    # An Arabic comment on the English article reads right to left, its author's name isolated.
    arabic_body = page.locator(".comment__body", has_text=ARABIC_ON_ENGLISH[:10])
    assert arabic_body.get_attribute("dir") == "auto"
    assert arabic_body.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert page.locator(".comment__author bdi", has_text="مريم ح.").count() == 1
    page.screenshot(path=str(screenshot_dir / "rtl-article-en.png"), full_page=True)
    assert errors == []


def test_a_reader_comments_on_a_selected_passage_of_arabic_text(
    live_server: Any, page: Any, two_editions: Any, screenshot_dir: Path
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + two_editions["ar"].url)
    body = page.locator("[data-article-body]")
    body.locator("p", has_text=PASSAGE).scroll_into_view_if_needed()
    selected = page.evaluate(
        """([paragraph, passage]) => {
            const host = [...document.querySelectorAll('[data-article-body] p')]
                .find(p => p.textContent.includes(paragraph));
            const node = [...host.childNodes].find(n => n.nodeType === 3 && n.nodeValue.includes(passage));
            const at = node.nodeValue.indexOf(passage);
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + passage.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            const r = range.getBoundingClientRect();
            return {left: r.left, right: r.right};
        }""",
        [ARABIC_PARAGRAPH[:20], PASSAGE],
    )
    action = page.locator(".inline-action")
    action.wait_for(state="visible")
    assert action.inner_text() == "علّق على هذا"
    # The button starts where the selection starts: on its right in Arabic.
    button = action.evaluate(
        "e => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right}; }"
    )
    assert button["right"] > (selected["left"] + selected["right"]) / 2
    page.screenshot(path=str(screenshot_dir / "inline-select-ar.png"))
    action.click()

    panel = page.get_by_role("dialog")
    panel.wait_for()
    assert panel.locator("blockquote").inner_text() == PASSAGE
    assert computed(page, ".inline-panel blockquote", "direction") == "rtl"
    panel.locator("textarea").fill("منذ متى بالضبط؟")
    panel.locator("input[name=name]").fill("سلمى")
    panel.locator("input[name=email]").fill("salma@example.com")
    panel.locator("button[type=submit]").click()
    page.locator(".inline-marker").first.wait_for()
    saved = Comment.objects.get(author_name="سلمى")
    assert saved.thread.page_id == two_editions["ar"].pk
    assert saved.target["selector"][0]["exact"] == PASSAGE
    assert body.locator("mark", has_text=PASSAGE[:4]).count() >= 1
    page.screenshot(path=str(screenshot_dir / "inline-marker-ar.png"))
    assert errors == []


def test_the_switcher_remembers_a_choice_over_the_browsers_language(
    live_server: Any, browser: Any, two_editions: Any
) -> None:
    context = browser.new_context(locale="ar-IQ", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert page.url == live_server.url + "/ar/"  # Accept-Language: ar-IQ
    page.goto(live_server.url + two_editions["ar"].url)
    page.locator(".language-switcher a[hreflang=en]").click()
    page.wait_for_url(live_server.url + two_editions["en"].url)
    assert page.locator("html").get_attribute("dir") == "ltr"
    page.goto(live_server.url + "/")
    assert page.url == live_server.url + "/"  # the choice outweighs the browser's language
    assert page.locator("html").get_attribute("lang") == "en"
    context.close()


def test_the_demo_ships_arabic_articles_that_read_right_to_left(
    live_server: Any, page: Any, a_home: Any, screenshot_dir: Path
) -> None:
    """`make run` shows right to left at once: the demo's Arabic edition, its mixed conversation,
    and an Arabic reader's comment on the English original (the docs' screenshots)."""
    from wagtail.models import Locale

    from masthead.publishing.demo import load_demo_content
    from masthead.publishing.demo_arabic import ARTICLES
    from masthead.publishing.models import ArticlePage

    Locale.objects.get_or_create(language_code="ar")  # a transactional test's flush drops it
    assert load_demo_content()
    arabic = ArticlePage.objects.live().filter(locale__language_code="ar")
    assert arabic.count() >= 2
    original = ArticlePage.objects.get(slug=next(iter(ARTICLES)), locale__language_code="en")
    translated = arabic.get(translation_key=original.translation_key)

    page.goto(live_server.url + "/")
    page.goto(live_server.url + translated.url)
    assert computed(page, "html", "direction") == "rtl"
    assert page.locator(".comment__author bdi", has_text="Sam O.").count() == 1
    link = page.locator(".discussion__original a")
    assert link.inner_text() == "تعليق واحد على النسخة الإنجليزيّة"
    page.screenshot(path=str(screenshot_dir / "article-ar.png"), full_page=True)
    link.click()
    page.wait_for_url(f"**{original.url}#comments")
    body = page.locator(".comment__body", has_text="تقرير مهم")
    assert body.evaluate("e => getComputedStyle(e).direction") == "rtl"
    page.goto(live_server.url + original.url)
    page.screenshot(path=str(screenshot_dir / "article-en.png"), full_page=True)


def test_comments_the_script_draws_keep_names_isolated_and_bodies_in_their_own_direction(
    live_server: Any, page: Any, two_editions: Any
) -> None:
    """discussion.js redraws the thread (another sort) and adds a posted comment: the same
    isolation as the server's HTML, on the Arabic page and on the English one."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + two_editions["ar"].url)
    page.eval_on_selector_all("#comments .comment", "cs => cs.forEach(c => c.dataset.served = '1')")
    page.locator("#comments [data-sort-option='oldest']").click()
    redrawn = page.locator("#comments .comment--reply:not([data-served])", has_text=ENGLISH_READER)
    redrawn.first.wait_for()
    assert page.locator("#comments .comment:not([data-served]) .comment__author bdi").count() >= 2
    body = redrawn.locator(".comment__body").first
    assert body.evaluate("e => getComputedStyle(e).direction") == "ltr"  # English in Arabic

    form = page.locator("form[data-comment-form]")
    form.locator("textarea[name=body]").fill("Thanks, the timetable is on the wall.")
    assert form.locator("textarea[name=body]").get_attribute("dir") == "auto"
    form.locator("input[name=name]").fill("Bea R.")
    form.locator("input[name=email]").fill("bea@example.com")
    form.locator("button[type=submit]").click()
    posted = page.locator("#comments .comment", has_text="Thanks, the timetable")
    posted.first.wait_for()
    assert posted.locator(".comment__author bdi").first.inner_text() == "Bea R."
    assert posted.locator(".comment__body").first.get_attribute("dir") == "auto"
    assert errors == []
    page.wait_for_load_state("networkidle")  # leaving mid-request would abort the script's fetch

    page.goto(live_server.url + two_editions["en"].url)
    # discussion.js binds the form once it has asked /me: a click before would post without it.
    page.wait_for_load_state("networkidle")
    form = page.locator("form[data-comment-form]")
    form.locator("textarea[name=body]").fill("الجفاف وصل إلى قريتنا أيضاً.")
    form.locator("input[name=name]").fill("نور")
    form.locator("input[name=email]").fill("noor@example.com")
    form.locator("button[type=submit]").click()
    posted = page.locator("#comments .comment", has_text="الجفاف وصل")
    posted.first.wait_for()
    assert posted.locator(".comment__author bdi").first.inner_text() == "نور"
    direction = posted.locator(".comment__body").first.evaluate(
        "e => getComputedStyle(e).direction"
    )
    assert direction == "rtl"
    assert errors == []
