"""A reader opens the front page in Chromium, follows a link to the video article and sees it whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from masthead.publishing.demo import load_demo_content

pytestmark = pytest.mark.browser


def test_reader_follows_home_page_link_to_the_video_article(
    live_server: Any, page: Any, screenshot_dir: Path, transactional_db: Any, a_home: Any
) -> None:
    assert load_demo_content()
    page.goto(live_server.url + "/")
    assert page.locator(".site-name").inner_text() != ""

    page.get_by_role(
        "link", name="In Video: The river at dusk, and the fishermen who wait for it"
    ).first.click()
    page.wait_for_url("**/in-video/in-video-the-river-at-dusk-and-the-fishermen-who-wait-for-it/")

    headline = page.locator("h1.article__headline")
    assert headline.inner_text() == "In Video: The river at dusk, and the fishermen who wait for it"
    byline = page.locator(".byline").inner_text()
    assert "Sami Khoury" in byline and "Rana Haddad" in byline

    video = page.locator("article video")
    assert video.count() == 1
    assert video.get_attribute("poster")
    assert page.locator("article video source").get_attribute("type") == "video/webm"
    assert page.locator("article video track").get_attribute("kind") == "captions"
    # The browser can load the uploaded file: its duration becomes known.
    page.wait_for_function("document.querySelector('article video').readyState >= 1")
    assert page.evaluate("document.querySelector('article video').duration") > 1

    page.screenshot(path=str(screenshot_dir / "publishing-video-article.png"), full_page=True)
