"""Keyboard only: a reader posts, replies, votes, changes the order, answers an editor's prompt,
comments on a passage selected with Shift+arrows and gives money, with Tab, Enter, Space and
Escape; the focus is always visible and lands where the reader expects it after each action."""

from __future__ import annotations

from typing import Any

import pytest

from masthead.discussion.models import Comment
from tests.a11y.support import assert_visible_focus, focused, sqlite_only, tab_to
from tests.helpers import RIVER, comment_as, guest_actor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), sqlite_only]

IN_CARD = "(node) => node.closest('[data-comment-id]') ? node.closest('[data-comment-id]').id : ''"


def press(page: Any, key: str) -> None:
    """Check the focused control shows its focus, then press the key on it."""
    assert_visible_focus(page)
    page.keyboard.press(key)


def type_into(page: Any, selector: str, text: str) -> None:
    tab_to(page, selector)
    assert_visible_focus(page)
    page.keyboard.press(
        "Control+A"
    )  # replaces what the script filled in from the reader's last visit
    page.keyboard.type(text)


def test_discussion_and_inline_feedback_by_keyboard_alone(
    live_server: Any, page: Any, an_inline_article: Any, an_inline_thread: Any, settings: Any
) -> None:
    settings.RATELIMIT_ENABLED = False
    other = comment_as(
        guest_actor("other"), an_inline_thread, "Water was short here too.", name="Omar"
    )
    with page.expect_response(lambda response: response.url.endswith("/me")):
        page.goto(live_server.url + an_inline_article.url)
    page.locator(".inline-bubble").wait_for()
    live = page.locator("#comments [data-status]")

    # Post: the new comment takes the focus, and the live region says it was posted.
    type_into(page, "#comments textarea[name=body]", "Posted without a mouse.")
    type_into(page, "#comments input[name=name]", "Kim")
    type_into(page, "#comments input[name=email]", "kim@example.com")
    tab_to(page, "#comments [data-submit]")
    press(page, "Enter")
    mine = page.locator(".comment", has_text="Posted without a mouse.")
    mine.wait_for()
    page.wait_for_function("() => document.activeElement.closest('.comment')")
    assert focused(page, IN_CARD) == mine.get_attribute("id")
    assert_visible_focus(page)
    page.wait_for_function(
        "() => document.querySelector('#comments [data-status]').textContent !== ''"
    )
    assert live.inner_text() == "Thank you! Your comment was posted."

    # Reply: Enter on "Reply" moves the focus into the form; Escape returns it to the link.
    reply_link = f"#comment-{other.pk} [data-reply]"
    tab_to(page, reply_link)
    press(page, "Enter")
    page.wait_for_function("() => document.activeElement.name === 'body'")
    assert focused(page, IN_CARD) == f"comment-{other.pk}"
    page.keyboard.press("Escape")
    assert focused(page, "(node) => node.matches('[data-reply]')")
    assert focused(page, IN_CARD) == f"comment-{other.pk}"
    press(page, "Enter")
    page.wait_for_function("() => document.activeElement.name === 'body'")
    page.keyboard.type("A reply by keyboard.")
    tab_to(page, "#comments [data-submit]")
    press(page, "Enter")
    reply = page.locator(f"#comment-{other.pk} .comment--reply", has_text="A reply by keyboard.")
    reply.wait_for()
    page.wait_for_function("() => document.activeElement.closest('.comment--reply')")
    assert focused(page, IN_CARD) == reply.get_attribute("id")

    # Vote with Space: pressed, counted, and the focus stays on the button.
    tab_to(page, f"#comment-{other.pk} > .comment__card [data-vote='1']")
    press(page, "Space")
    page.wait_for_function(
        "id => document.querySelector(`#comment-${id} > .comment__card [data-vote='1']`).getAttribute('aria-pressed') === 'true'",
        arg=other.pk,
    )
    assert focused(page, "(node) => node.dataset.vote") == "1"
    assert Comment.objects.get(pk=other.pk).upvotes == 1

    # Change the order: the chosen option is current, announced, and keeps the focus.
    tab_to(page, "[data-sort-option=oldest]")
    press(page, "Enter")
    page.wait_for_function(
        "() => document.querySelector('[data-sort-option=oldest]').getAttribute('aria-current') === 'true'"
    )
    page.wait_for_function(
        "() => document.querySelector('#comments [data-status]').textContent.startsWith('Comments sorted')"
    )
    assert focused(page, "(node) => node.dataset.sortOption") == "oldest"
    page.wait_for_function(
        "id => document.querySelector('[data-comment-list] > li').id === `comment-${id}`",
        arg=other.pk,
    )

    # An editor's prompt: open, answer, close with Escape; the focus returns to the bubble.
    page.keyboard.press("Control+Home")
    page.evaluate("() => document.activeElement.blur()")
    tab_to(page, ".inline-bubble")
    press(page, "Enter")
    panel = page.get_by_role("dialog", name="Has the dam changed your season?")
    panel.wait_for()
    assert focused(page, "(node) => node.tagName") == "TEXTAREA"
    page.keyboard.type("Later floods, by a month.")
    type_into(page, ".inline-panel input[name=name]", "Kim")
    type_into(page, ".inline-panel input[name=email]", "kim@example.com")
    tab_to(page, ".inline-panel button[type=submit]")
    press(page, "Enter")
    panel.get_by_text("Your comment was posted").wait_for()
    page.keyboard.press("Escape")
    assert panel.count() == 0
    assert focused(page, "(node) => node.className") == "inline-bubble"
    assert_visible_focus(page)

    # A passage selected with Shift+arrows, then Alt+Shift+C to the "Comment on this" button.
    passage = "lowest level"
    page.evaluate(
        """([text, passage]) => {
            const host = [...document.querySelectorAll('[data-article-body] p')].find(p => p.textContent.includes(text));
            const node = [...host.childNodes].find(n => n.nodeType === 3 && n.nodeValue.includes(passage));
            const at = node.nodeValue.indexOf(passage);
            document.activeElement.blur();
            getSelection().setBaseAndExtent(node, at, node, at + 1);
        }""",
        [RIVER[:20], passage],
    )
    for _ in range(len(passage) - 1):
        page.keyboard.press("Shift+ArrowRight")
    assert page.evaluate("() => getSelection().toString()") == passage
    page.keyboard.press("Alt+Shift+C")
    assert focused(page, "(node) => node.textContent") == "Comment on this"
    press(page, "Enter")
    dialog = page.get_by_role("dialog", name="Comment on this passage")
    dialog.wait_for()
    assert dialog.locator("blockquote").inner_text() == passage
    page.keyboard.type("Since when?")
    type_into(page, ".inline-panel input[name=name]", "Kim")
    type_into(page, ".inline-panel input[name=email]", "kim@example.com")
    tab_to(page, ".inline-panel button[type=submit]")
    press(page, "Enter")
    dialog.get_by_text("Your comment was posted").wait_for()
    page.keyboard.press("Escape")
    assert dialog.count() == 0
    assert RIVER in focused(page, "(node) => node.textContent")
    saved = Comment.objects.get(body="Since when?")
    assert saved.target["selector"][0]["exact"] == passage


def test_giving_by_keyboard_alone(
    live_server: Any, page: Any, an_article: Any, stripe_live: str, settings: Any
) -> None:
    from masthead.funding.models import Donation
    from tests.helpers import make_campaign

    campaign = make_campaign()
    page.goto(f"{live_server.url}/funding/{campaign.slug}/")
    page.locator("#card-element input").first.wait_for()

    # The amounts are radio buttons: Tab reaches the chosen one, arrows move between them, and the
    # focus ring is drawn on the visible box of the hidden input.
    tab_to(page, "input[name=preset]:checked")
    page.keyboard.press("ArrowRight")
    ring = page.evaluate(
        "() => { const box = document.activeElement.nextElementSibling; const s = getComputedStyle(box);"
        " return document.activeElement.matches(':focus-visible') && s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; }"
    )
    assert ring, "the focused amount shows no focus ring"
    chosen = page.evaluate("() => document.querySelector('input[name=preset]:checked').value")
    type_into(page, "input[name=name]", "Key Board")
    type_into(page, "input[name=email]", "not an address")
    tab_to(page, ".donate__submit")
    press(page, "Enter")

    # The refused field is marked, says why through aria-describedby, and takes the focus.
    email = page.locator("input[name=email]")
    page.wait_for_function("() => document.activeElement.name === 'email'")
    assert email.get_attribute("aria-invalid") == "true"
    described = (email.get_attribute("aria-describedby") or "").split()
    messages = [page.locator(f"#{ident}").inner_text() for ident in described]
    assert any("email" in text.lower() for text in messages), messages
    page.keyboard.press("Control+A")
    page.keyboard.type("keys@example.com")

    for placeholder, value in [
        ("number", "4242424242424242"),
        ("exp_month", "12"),
        ("exp_year", "34"),
        ("cvc", "123"),
        ("postal_code", "10115"),
    ]:
        type_into(page, f"#card-element input[placeholder={placeholder}]", value)
    tab_to(page, ".donate__submit")
    press(page, "Enter")
    thanks = page.locator("#donate-thanks")
    thanks.wait_for(state="visible")
    assert focused(page, "(node) => node.id") == "donate-thanks"
    assert email.get_attribute("aria-invalid") is None
    donation = Donation.objects.get(donor_email="keys@example.com")
    assert str(donation.amount) == chosen
