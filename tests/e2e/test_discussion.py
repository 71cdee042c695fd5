"""A reader in a real browser: post a comment, reply, vote, switch sort, load more; screenshots."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from masthead.core.errors import ApiError, ErrorCode
from masthead.discussion import actions
from masthead.discussion.models import Comment, CommentStatus
from tests.helpers import comment_input, guest_actor, hostile_strings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

NAMES = ["Layla Hassan", "Omar K.", "Sam Ortiz", "Mina", "Jonas Berg", "Priya N."]
BODIES = [
    "The canal figures match what we saw upstream last year. Has anyone looked at **groundwater** levels?",
    "I farm near the delta. The dry season started *three weeks* earlier than usual.",
    "> Irrigation canals that once ran all summer now dry up by June.\n\nThis is the key line of the piece.",
    "Good reporting. Would love a follow-up on the [water-sharing agreement](https://example.com/agreement).",
    "Same here: the wells in our village are lower than my father can remember.",
]


def seed(thread: Any, count: int) -> list[Any]:
    """`count` public comments from as many new guests; the ones with a link, which moderation holds
    for a never-seen guest, are made public."""
    from masthead.core.actors import Actor

    made = []
    for n in range(count):
        author = guest_actor(f"seed{n}")
        comment = actions.post_comment(
            author,
            thread,
            comment_input(
                BODIES[n % len(BODIES)] + f" ({n})",
                name=NAMES[n % len(NAMES)],
                email=f"reader{n % len(NAMES)}@example.com",
            ),
        )
        if comment.status != "approved":
            # Not moderation's approve: that would also train the spam classifier on these seeds.
            comment = actions.set_comment_status(
                Actor.system(), comment, "approved", "seeded for the test"
            )
        made.append(comment)
    return made


def test_reader_posts_replies_votes_sorts_and_loads_more(
    live_server: Any, page: Any, an_article: Any, settings: Any, screenshot_dir: Any
) -> None:
    settings.RATELIMIT_ENABLED = False
    thread = actions.thread_for_page(an_article)
    seeded = seed(thread, 22)
    voter = guest_actor("voter")
    actions.vote(voter, seeded[-1], 1)
    actions.post_comment(
        guest_actor("replier"),
        thread,
        comment_input(
            "Agreed, and the **canal** maps back it up.",
            name="Jonas Berg",
            email="jonas@example.com",
            parent_id=seeded[-1].pk,
        ),
    )
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + an_article.url)
    region = page.locator("#comments")
    region.locator("[data-count]").wait_for()
    thread.refresh_from_db()
    visible_roots = Comment.objects.filter(thread=thread, parent=None, status="approved").count()
    assert visible_roots > 20, "moderation rules held too many seeded comments for this test"
    count = thread.comment_count
    assert region.locator("[data-count]").inner_text() == str(count)
    assert region.locator(".comment-list > .comment:not(.comment--reply)").count() == 20

    # Post a comment.
    form = page.locator("[data-comment-form]")
    form.locator("textarea[name=body]").fill("A fresh *view* from the browser.")
    form.locator("input[name=name]").fill("Bea Reader")
    form.locator("input[name=email]").fill("bea@example.com")
    form.locator("[data-submit]").click()
    mine = page.locator(".comment", has_text="A fresh view from the browser.")
    mine.wait_for()
    assert region.locator("[data-count]").inner_text() == str(count + 1)
    assert mine.locator("em").inner_text() == "view"

    # Reply to someone else's comment.
    target = page.locator(f"#comment-{seeded[-2].pk}")
    target.locator("[data-reply]").first.click()
    form.locator("textarea[name=body]").fill("Replying from the browser.")
    form.locator("[data-submit]").click()
    reply = target.locator(".comment--reply", has_text="Replying from the browser.")
    reply.wait_for()

    # Vote on a comment.
    up = target.locator(":scope > .comment__card [data-vote='1']")
    up.click()
    page.wait_for_function(
        "id => document.querySelector(`#comment-${id} [data-upvotes]`).textContent === '1'",
        arg=seeded[-2].pk,
    )
    assert up.get_attribute("aria-pressed") == "true"

    page.set_viewport_size({"width": 1280, "height": 1600})
    region.screenshot(path=str(screenshot_dir / "discussion-desktop.png"))

    # Switch the sort order: oldest first, remembered.
    region.locator("[data-sort-option=oldest]").click()
    page.wait_for_function(
        "id => document.querySelector('[data-comment-list] > li').id === `comment-${id}`",
        arg=seeded[0].pk,
    )
    assert page.evaluate("localStorage.getItem('masthead.discussion.sort')") == "oldest"

    # Load more.
    region.locator("[data-load-more]").click()
    page.wait_for_function(
        "n => document.querySelectorAll('[data-comment-list] > li').length === n",
        arg=visible_roots + 1,
    )
    assert region.locator("[data-more]").is_hidden()

    # A reload keeps the remembered sort.
    page.reload()
    page.wait_for_function(
        "id => document.querySelector('[data-comment-list] > li').id === `comment-${id}`",
        arg=seeded[0].pk,
    )

    page.set_viewport_size({"width": 390, "height": 1400})
    page.locator("#comments").screenshot(path=str(screenshot_dir / "discussion-phone.png"))
    assert errors == []


def test_hostile_comment_does_not_execute_in_the_browser(
    live_server: Any, page: Any, an_article: Any, settings: Any
) -> None:
    """Every hostile string, as a comment body and (where a name may hold it) as the author's
    name, is posted, made public and rendered; none of them runs a script in the browser."""
    from masthead.core.actors import Actor

    settings.RATELIMIT_ENABLED = False
    thread = actions.thread_for_page(an_article)
    strings = hostile_strings("xss.txt") + hostile_strings("markdown-xss.txt")
    posted: list[int] = []
    refused: Counter[str] = Counter()
    for n, text in enumerate(strings):
        author = guest_actor(f"x{n}")
        try:
            comment = actions.post_comment(author, thread, comment_input(text, name=text[:50]))
        except ApiError as error:
            if "name" not in error.fields:
                refused[str(error.code)] += 1
                continue
            # A name that cleans to nothing is refused on its own: the body still goes in.
            comment = actions.post_comment(author, thread, comment_input(text, name=f"Guest {n}"))
        if comment.status != CommentStatus.APPROVED:
            # Held for review (links from a new guest): made public, so the browser meets it too.
            comment = actions.set_comment_status(Actor.system(), comment, "approved", "hostile")
        posted.append(comment.pk)
    # Only blank lines may be refused, as any empty comment is.
    assert set(refused) <= {ErrorCode.INVALID}, refused
    assert refused[ErrorCode.INVALID] == sum(1 for text in strings if not text.strip()), refused
    assert len(posted) == len(strings) - refused.total() > 0

    page.add_init_script(
        "window.__fired = []; for (const f of ['alert','confirm','prompt','print']) window[f] = (...a) => window.__fired.push(f);"
    )
    page.goto(live_server.url + an_article.url + "?comments=all")
    page.locator("#comments").wait_for()
    page.wait_for_timeout(500)
    rendered = page.locator("[data-comment-id]").evaluate_all(
        "(items) => items.map((item) => Number(item.dataset.commentId))"
    )
    assert sorted(rendered) == sorted(posted)
    assert page.evaluate("window.__fired") == []


def test_the_scripted_form_posts_without_subscribing_unless_asked(
    live_server: Any, page: Any, an_article: Any, settings: Any
) -> None:
    from masthead.notifications.models import Subscription

    settings.RATELIMIT_ENABLED = False
    actions.thread_for_page(an_article)
    # The script posts with the CSRF token its /me call brings; posting before it arrives is a 403.
    with page.expect_response(lambda response: response.url.endswith("/me")):
        page.goto(live_server.url + an_article.url)
    form = page.locator("[data-comment-form]")
    form.locator("textarea[name=body]").fill("No mail for me, thanks.")
    form.locator("input[name=name]").fill("Quiet Reader")
    form.locator("input[name=email]").fill("quiet@example.com")
    select = form.locator("select[name=notify]")
    assert select.input_value() == "none"
    assert select.locator("option:checked").inner_text() == "nothing"
    form.locator("[data-submit]").click()
    page.locator(".comment", has_text="No mail for me, thanks.").wait_for()
    assert not Subscription.objects.filter(address__email="quiet@example.com").exists()


def test_a_comment_sent_before_the_readers_state_has_arrived_waits_for_it_and_is_posted(
    live_server: Any, page: Any, an_article: Any, settings: Any
) -> None:
    """The reader's state (GET .../me) brings the CSRF token a post needs. A reader who sends a
    comment before it has arrived (a quick hand, a slow network, a busy server) must not be
    refused: the post waits for it."""
    settings.RATELIMIT_ENABLED = False
    held: list[Any] = []

    def hold(route: Any) -> None:
        held.append(route)

    page.route("**/api/v1/threads/*/me", hold)
    posts: list[str] = []
    page.on(
        "request",
        lambda request: posts.append(request.url) if request.method == "POST" else None,
    )
    page.goto(live_server.url + an_article.url)
    for _ in range(200):  # the script asks for the state once it has bound the form
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the page did not ask for the reader's state"
    form = page.locator("[data-comment-form]")
    form.locator("textarea[name=body]").fill("Quick off the mark, before the page had caught up.")
    form.locator("input[name=name]").fill("Quinn Fast")
    form.locator("input[name=email]").fill("quinn@example.com")
    form.locator("[data-submit]").click()
    page.wait_for_timeout(300)
    assert posts == [], "the comment went out without the reader's CSRF token"
    for route in held:
        route.continue_()
    page.locator(
        ".comment", has_text="Quick off the mark, before the page had caught up."
    ).wait_for()
    assert form.locator("[data-form-error]").is_hidden()
    assert Comment.objects.filter(body__startswith="Quick off the mark").count() == 1


# A well-formed CSRF secret the server never gave: what a page holds when its cookie was replaced
# between reading it and sending (a first visit's scripts each setting one, a sign-in in another tab).
STALE_TOKEN = "Stale0Token0From0Another0Answerx"  # 32 letters and digits, as Django makes them


@pytest.mark.parametrize("stale_every_time", [False, True])
def test_a_comment_refused_for_a_token_that_changed_under_the_page_is_sent_once_more(
    live_server: Any, page: Any, an_article: Any, settings: Any, stale_every_time: bool
) -> None:
    """Refused once for a stale token, the comment goes again with the browser's token and is
    posted once; refused again, the reader reads why and the page does not keep trying."""
    settings.RATELIMIT_ENABLED = False
    sent: list[str] = []

    def stale_token(route: Any) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        sent.append(route.request.headers.get("x-csrftoken", ""))
        if len(sent) == 1 or stale_every_time:
            route.continue_(headers={**route.request.headers, "x-csrftoken": STALE_TOKEN})
        else:
            route.continue_()

    with page.expect_response(lambda response: response.url.endswith("/me")):
        page.goto(live_server.url + an_article.url)
    page.route("**/api/v1/threads/*/comments", stale_token)
    form = page.locator("[data-comment-form]")
    form.locator("textarea[name=body]").fill("Second time lucky, the token had moved.")
    form.locator("input[name=name]").fill("Rita Retry")
    form.locator("input[name=email]").fill("rita@example.com")
    form.locator("[data-submit]").click()
    if stale_every_time:
        error = form.locator("[data-form-error]")
        error.wait_for()
        assert "reload the page" in error.inner_text()
        page.wait_for_timeout(300)
        assert len(sent) == 2
        assert not Comment.objects.filter(author_name="Rita Retry").exists()
    else:
        page.locator(".comment", has_text="Second time lucky, the token had moved.").wait_for()
        assert len(sent) == 2
        assert Comment.objects.filter(author_name="Rita Retry").count() == 1
