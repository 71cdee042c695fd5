"""Live updates in a real browser against a real `masthead run` (an event stream needs the ASGI
server; the test live server is WSGI): another reader's comment is announced, not inserted, until
the reader asks for it; votes change in place."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.helpers import MastheadServer

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MastheadServer]:
    running = MastheadServer(
        tmp_path_factory.mktemp("live-browser") / "data", MASTHEAD_RATELIMIT_ENABLED="0"
    )
    yield running
    running.stop()


def test_another_readers_comment_waits_behind_a_button_and_votes_update_in_place(
    server: MastheadServer, page: Any, screenshot_dir: Any
) -> None:
    thread_id, path = server.open_thread()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server.base + path)
    region = page.locator("#comments")
    region.locator("[data-count]").wait_for()
    page.wait_for_function(
        "() => { const d = document.querySelector('[data-discussion]').discussion;"
        " return d && d.source && d.source.readyState === 1; }"
    )
    first_card = region.locator(".comment-list > [data-comment-id]").first
    first_id = first_card.get_attribute("data-comment-id")
    count_before = int(region.locator("[data-count]").inner_text())

    status, posted = server.reader().comment(thread_id, "Posted by someone else, live.", "Gus Far")
    assert status == 201
    button = region.locator("[data-show-new]")
    button.wait_for(state="visible")
    assert button.inner_text() == "1 new comment — show"
    assert region.locator("[data-live-announcer]").inner_text() == "1 new comment"
    assert region.locator(f"#comment-{posted['id']}").count() == 0  # nothing moved yet
    page.wait_for_function(
        f"() => document.querySelector('#comments [data-count]').textContent === '{count_before + 1}'"
    )

    button.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "live-new-comment-button.png"))
    button.click()
    inserted = region.locator(f"#comment-{posted['id']}")
    inserted.wait_for()
    assert "Posted by someone else, live." in inserted.inner_text()
    # Newest first: it leads the list of top-level comments (after any pinned ones).
    unpinned = region.locator(".comment-list > [data-comment-id]:not(.comment--pinned)")
    assert unpinned.first.get_attribute("id") == f"comment-{posted['id']}"
    assert button.is_hidden()

    voter = server.reader()
    voter.call("GET", f"/api/v1/threads/{thread_id}/me")
    status, counts = voter.call("PUT", f"/api/v1/comments/{first_id}/vote", {"value": 1})
    assert status == 200
    page.wait_for_function(
        f"() => document.querySelector('#comment-{first_id} > .comment__card [data-upvotes]')"
        f".textContent === '{counts['upvotes']}'"
    )
    page.screenshot(path=str(screenshot_dir / "live-updates.png"))
    assert errors == []


@pytest.fixture(scope="module")
def server_without_live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MastheadServer]:
    running = MastheadServer(
        tmp_path_factory.mktemp("live-polling") / "data",
        MASTHEAD_RATELIMIT_ENABLED="0",
        MASTHEAD_LIVE_REDIS_URL="redis://127.0.0.1:1/0",  # nothing listens there: streams get 503
        MASTHEAD_LIVE_POLL_SECONDS="1",
    )
    yield running
    running.stop()


def test_when_the_stream_is_unavailable_the_page_polls_for_new_comments(
    server_without_live: MastheadServer, page: Any
) -> None:
    thread_id, path = server_without_live.open_thread()
    refused: list[int] = []
    page.on(
        "response",
        lambda response: refused.append(response.status) if "/events" in response.url else None,
    )
    page.goto(server_without_live.base + path)
    region = page.locator("#comments")
    region.locator("[data-count]").wait_for()
    page.wait_for_function("() => document.querySelector('[data-discussion]').discussion.pollTimer")
    status, posted = server_without_live.reader().comment(
        thread_id, "Found by polling, not pushed.", "Ida Poll"
    )
    assert status == 201
    button = region.locator("[data-show-new]")
    button.wait_for(state="visible", timeout=10_000)
    assert button.inner_text() == "1 new comment — show"
    button.click()
    region.locator(f"#comment-{posted['id']}").wait_for()
    assert 503 in refused
