"""The demo shows every part of Masthead working together: articles, a campaign, a conversation."""

from __future__ import annotations

from typing import Any

import pytest

from masthead.publishing.demo import load_demo_content
from masthead.publishing.models import ArticlePage


@pytest.mark.django_db
def test_demo_video_article_shows_support_block_and_a_conversation(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        load_demo_content()
    article = ArticlePage.objects.live().get(title__startswith="In Video: The river")
    html = client.get(article.url).content.decode()
    assert 'role="progressbar"' in html
    assert "Keep independent reporting free to read" in html
    assert "<span data-count>6</span> Comments" in html
    assert "My grandfather fished this stretch" in html
    assert "reader0@example.org" not in html, "commenters' emails are never shown"
    # One demo reader gives monthly, claimed her guest comment and shows the Supporter badge.
    assert html.count("comment__badge--supporter") == 1
