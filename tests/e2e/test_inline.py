"""Inline feedback in a real browser: select a passage with the mouse, comment on it, see its marker."""

from __future__ import annotations

from typing import Any

import pytest

from masthead.discussion.models import Comment
from tests.helpers import post_inline

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSAGE = "lowest level in a decade"


def drag_select(page: Any, block_text: str, passage: str) -> None:
    """Press the mouse at the passage's first character and release it after its last."""
    box = page.evaluate(
        """([blockText, passage]) => {
            const host = [...document.querySelectorAll('[data-article-body] p')].find(p => p.textContent.includes(blockText));
            const node = [...host.childNodes].find(n => n.nodeType === 3 && n.nodeValue.includes(passage));
            const at = node.nodeValue.indexOf(passage);
            const range = document.createRange();
            range.setStart(node, at); range.setEnd(node, at + 1);
            const first = range.getBoundingClientRect();
            range.setStart(node, at + passage.length - 1); range.setEnd(node, at + passage.length);
            const last = range.getBoundingClientRect();
            return {x1: first.left + 1, y1: first.top + first.height / 2, x2: last.right - 1, y2: last.top + last.height / 2};
        }""",
        [block_text, passage],
    )
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move((box["x1"] + box["x2"]) / 2, box["y2"], steps=5)
    page.mouse.move(box["x2"], box["y2"], steps=5)
    page.mouse.up()


def post_as_guest(panel: Any, body: str, name: str, email: str) -> None:
    """Fill the inline panel's form as a guest, post, and wait until the panel says it was posted."""
    panel.locator("textarea").fill(body)
    panel.get_by_placeholder("Name").fill(name)
    panel.get_by_placeholder("Email (never shown)").fill(email)
    panel.get_by_role("button", name="Post comment").click()
    panel.get_by_text("Your comment was posted").wait_for()


def test_reader_selects_a_passage_comments_and_sees_the_marker(
    live_server: Any,
    page: Any,
    an_inline_article: Any,
    an_inline_thread: Any,
    settings: Any,
    screenshot_dir: Any,
) -> None:
    settings.RATELIMIT_ENABLED = False
    post_inline(an_inline_thread, "Prices of wheat", body="Bread went up too.", name="Omar K.")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + an_inline_article.url)
    body = page.locator("[data-article-body]")
    body.locator(".inline-marker").first.wait_for()
    assert body.locator(".inline-marker").get_attribute("data-count") == "1"
    assert body.locator(".inline-bubble").inner_text().endswith("0 answers")

    drag_select(page, "The river has fallen", PASSAGE)
    action = page.get_by_role("button", name="Comment on this", exact=True)
    action.wait_for()
    page.screenshot(path=str(screenshot_dir / "inline-select.png"))
    action.click()
    panel = page.get_by_role("dialog", name="Comment on this passage")
    assert panel.locator("blockquote").inner_text() == PASSAGE
    post_as_guest(panel, "Lowest since *when* exactly?", "Bea Reader", "bea@example.com")

    marker = body.get_by_role("button", name="1 comment on this passage")
    assert marker.count() == 2  # the new passage and the seeded one
    assert body.locator("mark.inline-mark", has_text="lowest level").count() == 1
    saved = Comment.objects.get(author_name="Bea Reader")
    assert saved.target["selector"][0]["exact"] == PASSAGE

    # A second reader sees the marker after a reload, opens it and finds the comment.
    page.reload()
    mark_button = body.locator(".inline-marker").first
    mark_button.wait_for()
    page.screenshot(path=str(screenshot_dir / "inline-markers.png"), full_page=False)
    mark_button.focus()
    page.keyboard.press("Enter")
    opened = page.get_by_role("dialog")
    opened.wait_for()
    assert (
        "Lowest since when exactly?" in opened.inner_text()
        or "Bread went up too." in opened.inner_text()
    )
    page.screenshot(path=str(screenshot_dir / "inline-panel.png"))

    # In the discussion, the inline comment shows its quote above the body.
    quoted = page.locator("#comments [data-inline-quote]", has_text=PASSAGE)
    quoted.scroll_into_view_if_needed()
    assert quoted.locator("blockquote").inner_text() == PASSAGE
    page.screenshot(path=str(screenshot_dir / "inline-discussion.png"))
    # Comments drawn by the script (another sort order) keep their quotes and share links.
    page.eval_on_selector_all(
        "#comments [data-inline-quote]",
        "quotes => quotes.forEach(q => { q.dataset.served = '1'; })",
    )
    page.locator("#comments [data-sort-option='oldest']").click()
    redrawn = page.locator("#comments [data-inline-quote]:not([data-served])", has_text=PASSAGE)
    redrawn.wait_for()
    redrawn.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "inline-discussion-redrawn.png"))
    assert "#:~:text=" in (redrawn.locator("a[data-share-passage]").get_attribute("href") or "")
    assert errors == []


def test_reader_answers_an_editor_prompt(
    live_server: Any,
    page: Any,
    an_inline_article: Any,
    an_inline_thread: Any,
    settings: Any,
    screenshot_dir: Any,
) -> None:
    settings.RATELIMIT_ENABLED = False
    page.goto(live_server.url + an_inline_article.url)
    bubble = page.locator(".inline-bubble")
    bubble.wait_for()
    assert (
        page.locator("mark.inline-prompt__passage").inner_text()
        == "the dam upstream holds back the spring floods"
    )
    bubble.click()
    panel = page.get_by_role("dialog", name="Has the dam changed your season?")
    post_as_guest(panel, "Yes: the floods come a month later now.", "Farid", "farid@example.com")
    assert bubble.inner_text().endswith("1 answer")
    page.screenshot(path=str(screenshot_dir / "inline-prompt.png"))
    assert Comment.objects.get(author_name="Farid").target["prompt"]


def test_an_inline_comment_goes_with_the_token_the_browser_holds_now(
    live_server: Any, page: Any, an_inline_article: Any, an_inline_thread: Any, settings: Any
) -> None:
    """The reader's CSRF cookie was replaced after the page asked for their state (signing in in
    another tab rotates it; so does another script's first /me answering last): the inline comment
    is sent with the cookie's token, and posted at the first try."""
    settings.RATELIMIT_ENABLED = False
    post_inline(an_inline_thread, "Prices of wheat", body="Bread went up too.", name="Omar K.")
    with page.expect_response(lambda response: response.url.endswith("/me")):
        page.goto(live_server.url + an_inline_article.url)
    body = page.locator("[data-article-body]")
    body.locator(".inline-marker").first.wait_for()
    replaced = "Rotated0By0A0SignIn0Elsewhere000"  # 32 letters and digits, as Django makes them
    host = live_server.url.split("//", 1)[1].split(":", 1)[0]
    page.context.add_cookies(
        [{"name": "csrftoken", "value": replaced, "domain": host, "path": "/"}]
    )
    posts: list[str] = []
    page.on(
        "request",
        lambda request: posts.append(request.url) if request.method == "POST" else None,
    )

    drag_select(page, "The river has fallen", PASSAGE)
    page.get_by_role("button", name="Comment on this", exact=True).click()
    panel = page.get_by_role("dialog", name="Comment on this passage")
    post_as_guest(panel, "Which decade, though?", "Cem Reader", "cem@example.com")
    assert len(posts) == 1
    assert Comment.objects.filter(author_name="Cem Reader").count() == 1


def test_a_page_view_asks_for_the_readers_state_once(
    live_server: Any, page: Any, an_inline_article: Any, an_inline_thread: Any
) -> None:
    """The discussion, inline feedback and the moderators' tools all need the reader's state: one
    GET .../me serves them all (each answer to a browser without a CSRF cookie sets a new one, so
    several answers would undo each other's tokens), and every one of them still works with it."""
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if "/me" in request.url else None)
    page.goto(live_server.url + an_inline_article.url)
    page.wait_for_load_state("networkidle")
    assert [url for url in asked if url.endswith(f"/threads/{an_inline_thread.pk}/me")] == [
        f"{live_server.url}/api/v1/threads/{an_inline_thread.pk}/me"
    ]
    # The inline form posts with the shared state's token.
    drag_select(page, "The river has fallen", PASSAGE)
    page.get_by_role("button", name="Comment on this", exact=True).click()
    panel = page.get_by_role("dialog", name="Comment on this passage")
    post_as_guest(panel, "One question, asked once.", "Ida Once", "ida@example.com")
    assert Comment.objects.filter(author_name="Ida Once").count() == 1
