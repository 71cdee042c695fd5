"""Discussions of external pages: threads kept by URL (imports with --create-stubs), no article."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from masthead.core.canonical_url import NotAUrl, canonical_url
from masthead.discussion import actions
from masthead.discussion.models import Comment, CommentStatus, Thread
from tests.helpers import Reader, assert_error

pytestmark = pytest.mark.django_db


def test_canonical_url_lowercases_host_and_drops_port_fragment_and_query() -> None:
    assert (
        canonical_url("HTTPS://News.Example.ORG:443/2020/01/Slug/?utm_source=x#comment-3")
        == "https://news.example.org/2020/01/Slug/"
    )
    assert canonical_url("http://example.org:8080") == "http://example.org:8080/"
    assert canonical_url("//example.org/a") == "https://example.org/a"
    assert canonical_url("https://example.org/?p=42&utm=1", keep_query=["p"]) == (
        "https://example.org/?p=42"
    )
    for bad in ("", "/relative/path", "javascript:alert(1)", "ftp://example.org/", "http://"):
        with pytest.raises(NotAUrl):
            canonical_url(bad)


def test_query_parameters_named_in_settings_are_kept(settings: Any) -> None:
    settings.MASTHEAD_THREAD_URL_QUERY = "p,page_id"
    assert canonical_url("https://old.example.org/?utm=1&p=7") == "https://old.example.org/?p=7"


def test_external_thread_is_found_by_any_spelling_of_its_url(db: Any) -> None:
    thread = actions.thread_for_external_url("https://Old.Example.org/a/b/?ref=x", "A title")
    assert thread.page_id is None and thread.url == "https://old.example.org/a/b/"
    assert str(thread) == "Discussion of A title"
    again = actions.thread_for_external_url("https://old.example.org:443/a/b/#c")
    assert again.pk == thread.pk
    data = Client().get("/api/v1/threads", {"url": "HTTPS://OLD.example.org/a/b/"}).json()
    assert data == {
        "id": thread.pk,
        "url": "https://old.example.org/a/b/",
        "title": "A title",
        "comment_count": 0,
        "is_open": True,
    }


def test_unknown_url_is_a_404_that_says_so(db: Any) -> None:
    response = Client().get("/api/v1/threads", {"url": "https://nowhere.example.org/x/"})
    assert_error(response, 404, "not_found")
    assert "No article or discussion" in response.json()["message"]


def test_a_thread_needs_a_page_or_a_url(db: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Thread.objects.create()
    actions.thread_for_external_url("https://example.org/x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Thread.objects.create(url="https://example.org/x")


def test_readers_comment_on_and_read_an_external_thread(db: Any) -> None:
    thread = actions.thread_for_external_url("https://example.org/x", "External")
    reader = Reader()
    reader.me(thread.pk)
    created = reader.comment(thread.pk, "Hello from elsewhere")
    assert created.status_code == 201, created.content
    listing = reader.get(f"/api/v1/threads/{thread.pk}/comments").json()
    assert [item["html"] for item in listing["items"]] == ["<p>Hello from elsewhere</p>"]
    comment = Comment.objects.get()
    assert comment.get_absolute_url() == f"https://example.org/x#comment-{comment.pk}"
    permalink = Client().get(f"/discussion/comments/{comment.pk}/")
    assert permalink.status_code == 302
    assert permalink["Location"].startswith("https://example.org/x?comment=")


def test_moderation_queue_shows_external_threads_without_an_article(a_staff_user: Any) -> None:
    thread = actions.thread_for_external_url("https://example.org/x", "External page")
    Comment.objects.create(
        thread=thread, author_name="Pat", body="hi", html="<p>hi</p>", status=CommentStatus.PENDING
    )
    client = Client()
    client.force_login(a_staff_user)
    response = client.get("/api/v1/moderation/comments?status=pending")
    assert response.status_code == 200, response.content
    item = response.json()["items"][0]
    assert item["article"] is None
    assert item["thread"] == {"id": thread.pk, "title": "External page", "url": thread.url}
    page = client.get(reverse("moderation_admin:queue"))
    assert page.status_code == 200
    assert b"External page" in page.content
