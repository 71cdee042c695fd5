"""A moderator in a real browser: the Wagtail admin queue, keyboard and buttons, then the article."""

from __future__ import annotations

from typing import Any

import pytest

from masthead.discussion import actions
from masthead.discussion.inputs import CommentInput
from masthead.discussion.models import Comment, CommentStatus
from masthead.moderation.models import Ban, WordRule
from tests.helpers import guest_actor, hostile_strings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


TRAP = "window.__fired = []; for (const name of ['alert', 'confirm', 'prompt', 'print']) { window[name] = (...args) => { window.__fired.push(name); }; }"


def seed_queue(thread: Any) -> Any:
    WordRule.objects.create(kind="suspect", pattern="idiot")
    Ban.objects.create(
        kind="email", value="sly@example.com", mode="shadow", reason="Sock puppet of a banned troll"
    )

    def post(body: str, name: str, email: str, **extra: Any) -> Any:
        return actions.post_comment(
            guest_actor(),
            thread,
            CommentInput(body=body, name=name, email=email, seconds_to_submit=20, **extra),
        )

    approved = post(
        "The canal figures match what we saw upstream last year.",
        "Layla Hassan",
        "layla@example.com",
    )
    post(
        "Only an іdіot would believe the ministry's numbers.",
        "Omar K.",
        "omar@example.com",
        parent_id=approved.pk,
    )
    post(
        'Nice <img src=x onerror=alert(1)> read <script>alert("x")</script>',
        "<svg onload=alert(1)>",
        "x@example.com",
    )
    post("Everyone agrees with me, obviously.", "Sly", "sly@example.com")
    return post(
        "Sources for the groundwater claim: https://data.example.org/groundwater — worth reading.",
        "Mina Farouk",
        "mina@example.com",
    )


def test_moderator_approves_a_pending_comment_and_it_appears_on_the_article(
    live_server: Any,
    page: Any,
    an_article: Any,
    a_moderator: Any,
    settings: Any,
    screenshot_dir: Any,
) -> None:
    settings.RATELIMIT_ENABLED = False
    thread = actions.thread_for_page(an_article)
    pending = seed_queue(thread)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(TRAP)

    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", "moderator")
    page.fill("input[name=password]", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")

    page.goto(live_server.url + "/admin/moderation/")
    row = page.locator(f"#mq-{pending.pk}")
    row.wait_for()
    assert "Link from a new commenter" in row.inner_text()
    page.set_viewport_size({"width": 1280, "height": 1700})
    page.screenshot(path=str(screenshot_dir / "moderation-queue.png"))
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.evaluate("window.__fired") == []

    # Keyboard: j moves down, k moves back up; the newest (pending) row is first and focused.
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert "is-focused" in (row.get_attribute("class") or "")
    page.keyboard.press("a")
    page.locator(f"#mq-{pending.pk}.is-done").wait_for()

    page.goto(live_server.url + "/admin/moderation/queue/spam/")
    page.set_viewport_size({"width": 1280, "height": 1200})
    page.screenshot(path=str(screenshot_dir / "moderation-spam.png"))
    page.goto(live_server.url + "/admin/moderation/queue/approved/")
    page.screenshot(path=str(screenshot_dir / "moderation-approved.png"))
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(live_server.url + an_article.url)
    page.locator(f"#comment-{pending.pk}").wait_for()
    assert "groundwater claim" in page.locator(f"#comment-{pending.pk}").inner_text()
    assert page.locator("text=Everyone agrees with me").count() == 0  # shadow-banned
    page.locator(".mod-tools").first.wait_for()  # staff tools appear for the moderator
    page.locator(f"#comment-{pending.pk}").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "moderation-article-tools.png"), full_page=False)
    assert page.evaluate("window.__fired") == []
    assert errors == []

    # Every hostile string of the shared list, as names, bodies, reasons and (unsanitised) HTML:
    # nothing runs in the queue.
    strings = hostile_strings("xss.txt") + hostile_strings("markdown-xss.txt")
    Comment.objects.bulk_create(
        Comment(
            thread=thread,
            author_name=text[:50],
            author_email=f"x{number}@example.com",
            body=text,
            html=text,
            status=CommentStatus.PENDING,
            moderation={"rule": "spam_score", "reason": text, "scorer": text[:30], "score": 0.7},
        )
        for number, text in enumerate(strings)
    )
    for number in range(1, len(strings) // 50 + 2):
        page.goto(live_server.url + f"/admin/moderation/?p={number}")
        page.locator(".mq-row").first.wait_for()
        page.wait_for_timeout(300)
        assert page.evaluate("window.__fired") == [], number
    assert errors == []
