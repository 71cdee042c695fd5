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
    # No Stripe keys here: the campaign's other ways to give stand in for the donate button.
    assert "Support us" not in html and "Prefer a bank transfer?" in html
    assert "<span data-count>6</span> Comments" in html
    assert "My grandfather fished this stretch" in html
    assert "reader0@example.org" not in html, "commenters' emails are never shown"
    # One demo reader gives monthly, claimed her guest comment and shows the Supporter badge.
    assert html.count("comment__badge--supporter") == 1


def _inline_config(html: str) -> dict[str, Any]:
    import json
    import re

    found = re.search(
        r'<script id="inline-feedback-config" type="application/json">(.*?)</script>', html
    )
    assert found, "every demo article loads inline feedback"
    return dict(json.loads(found.group(1)))


@pytest.mark.django_db
def test_demo_articles_let_readers_comment_on_a_passage_and_one_already_has_such_a_comment(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        load_demo_content()
    with_highlights = []
    for article in ArticlePage.objects.live():
        config = _inline_config(client.get(article.url).content.decode())
        if config["highlights"]:
            with_highlights.append(config["threadId"])
    assert len(with_highlights) >= 2
    quotes = [
        item["target"]["selector"][0]["exact"]
        for thread_id in with_highlights
        for item in client.get(f"/api/v1/threads/{thread_id}/annotations").json()["first"]["items"]
    ]
    assert quotes == ["agriculture uses around four-fifths of the fresh water"]


@pytest.mark.django_db
def test_the_article_editor_says_reader_highlights_are_off_by_default(
    client: Any, an_article: Any, a_staff_user: Any
) -> None:
    client.force_login(a_staff_user)
    html = client.get(f"/admin/pages/{an_article.pk}/edit/").content.decode()
    assert "Let readers select a passage and comment on it." in html
    assert "the site default is off." in html


@pytest.mark.django_db
def test_the_demo_has_an_embedding_website_with_a_conversation(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from masthead.embed.queries import forget_cached_sites

    with django_capture_on_commit_callbacks(execute=True):
        load_demo_content()
    forget_cached_sites()
    # The example page opened at 127.0.0.1:8000 is an allowed website of the news site at localhost.
    answer = client.get(
        "/api/v1/embed/threads",
        {"url": "http://localhost:8000/embed/example/"},
        HTTP_ORIGIN="http://127.0.0.1:8000",
        HTTP_HOST="localhost:8000",
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["thread"]["title"] == "A week on the river ferry"
    assert [item["author"]["name"] for item in body["comments"]["items"]] == ["Ade B.", "Jo M."]
    assert body["thread"]["count_label"] == "2 comments"
