"""Thread pages served from the fast path (core.fastpath): same answer as the full stack, never stale."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import AsyncClient

from masthead.discussion.policy import DiscussionSettings
from tests.asgi import asgi_get, run_async
from tests.helpers import Reader, assert_error, connected

pytestmark = pytest.mark.django_db


def listing(reader: Reader, thread_id: int, **params: Any) -> Any:
    return reader.get(f"/api/v1/threads/{thread_id}/comments", **params)


def test_a_repeated_read_is_a_fast_copy_of_the_same_json(
    a_thread: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ada = Reader()
    with django_capture_on_commit_callbacks(execute=True):
        ada.comment(a_thread.pk, "First!")
    first = listing(ada, a_thread.pk, sort="oldest")
    again = listing(Reader("192.0.2.77"), a_thread.pk, sort="oldest")
    assert "X-Cache" not in first and again["X-Cache"] == "hit"
    assert again.content == first.content and again["Content-Type"] == "application/json"
    assert again["X-Content-Type-Options"] == "nosniff"  # the security headers are still there
    assert int(again["Content-Length"]) == len(again.content)


def test_a_new_comment_shows_on_the_next_read(
    a_thread: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ada, bob = Reader(), Reader("192.0.2.11")
    with django_capture_on_commit_callbacks(execute=True):
        ada.comment(a_thread.pk, "First!")
    listing(bob, a_thread.pk)
    assert listing(bob, a_thread.pk)["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        bob.comment(a_thread.pk, "Second.", name="Bob", email="bob@example.com")
    fresh = listing(bob, a_thread.pk)
    assert "X-Cache" not in fresh
    assert [item["html"] for item in fresh.json()["items"]] == ["<p>Second.</p>", "<p>First!</p>"]


def test_unpublishing_or_hiding_the_discussion_is_not_served_from_a_copy(
    a_thread: Any, an_article: Any, a_home: Any, django_capture_on_commit_callbacks: Any
) -> None:
    reader = Reader()
    listing(reader, a_thread.pk)
    assert listing(reader, a_thread.pk)["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        settings = DiscussionSettings.for_site(a_home.get_site())
        settings.comments_open = False
        settings.save()
    assert "X-Cache" not in listing(reader, a_thread.pk)
    with django_capture_on_commit_callbacks(execute=True):
        an_article.unpublish()
    assert_error(listing(reader, a_thread.pk), 404, "not_found")
    assert_error(listing(reader, a_thread.pk), 404, "not_found")


def test_other_queries_and_bad_input_take_the_full_path(a_thread: Any) -> None:
    reader = Reader()
    listing(reader, a_thread.pk, sort="votes")
    assert "X-Cache" not in listing(reader, a_thread.pk, sort="oldest")
    assert_error(listing(reader, a_thread.pk, sort="nonsense"), 400, "invalid")
    assert_error(listing(reader, a_thread.pk, sort="nonsense"), 400, "invalid")
    assert_error(listing(reader, 99999), 404, "not_found")
    assert_error(listing(reader, 99999), 404, "not_found")


@pytest.mark.django_db(transaction=True)
def test_served_in_the_event_loop_under_asgi(a_thread: Any, an_article: Any) -> None:
    """Through Django's ASGI handler (as uvicorn runs it): the copy and a cached page both come back."""

    async def read_twice(path: str) -> tuple[Any, Any]:
        client = AsyncClient()
        return await client.get(path), await client.get(path)

    path = f"/api/v1/threads/{a_thread.pk}/comments"
    first, second = run_async(lambda: read_twice(path))
    assert first.status_code == second.status_code == 200
    assert second["X-Cache"] == "hit" and second.content == first.content
    miss, hit = run_async(lambda: read_twice(an_article.url))
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    assert hit.content == miss.content and hit["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.django_db(transaction=True)
def test_the_asgi_app_answers_hits_before_django_sets_up_a_request(
    a_thread: Any, an_article: Any
) -> None:
    from django.core.signals import request_started

    started: list[Any] = []

    def count(**kwargs: Any) -> None:
        started.append(kwargs)

    with connected(request_started, count):
        api = f"/api/v1/threads/{a_thread.pk}/comments"
        first = asgi_get(api, "sort=oldest")
        second = asgi_get(api, "sort=oldest")
        assert len(started) == 1  # only the first went through Django's handler
        assert first[0] == second[0] == 200 and second[2] == first[2]
        assert second[1]["x-cache"] == "hit" and second[1]["x-content-type-options"] == "nosniff"
        miss = asgi_get(an_article.url)
        hit = asgi_get(an_article.url)
        assert len(started) == 2
        assert (miss[1]["x-page-cache"], hit[1]["x-page-cache"]) == ("miss", "hit")
        assert hit[2] == miss[2] and hit[1]["content-length"] == str(len(hit[2]))
        assert hit[1]["x-frame-options"] == "SAMEORIGIN"
        # A host the site does not serve is refused by Django, not answered from the cache.
        assert asgi_get(an_article.url, host="evil.example")[0] == 400
