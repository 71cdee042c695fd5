"""Each process keeps copies of the pages it served (core/cache.py, `LocalCopies`); with Redis, a version
bump written by another process or host still makes them stale at once."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache.backends.redis import RedisCache as StockRedisCache
from django.db import connection
from django.db.models import F
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from masthead.core.cache import LocalCopies, clear_local_copies
from masthead.discussion.models import Comment, CommentStatus, Thread
from masthead.publishing.page_cache import recent_pages
from tests.helpers import Reader

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_redis(redis_url: str) -> Iterator[StockRedisCache]:
    """This process's cache in Redis, and a client of the same data as another host has it (Django's
    own backend: its own connections, nothing shared with this process's)."""
    prefix = f"masthead-test-{uuid.uuid4().hex}"
    caches = {
        "default": {
            "BACKEND": "masthead.core.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
        }
    }
    clear_local_copies()
    recent_pages.clear()
    with override_settings(CACHES=caches):
        yield StockRedisCache(redis_url, {"KEY_PREFIX": prefix})
    clear_local_copies()
    recent_pages.clear()


def bump_on_another_host(other: StockRedisCache, namespace: str, key: object) -> None:
    """What `cache_versions.bump_now` does, written through the other host's connection."""
    other.set(f"v:{namespace}:{key}", uuid.uuid4().int >> 66, None)


def quietly_add_comment(thread: Any, text: str) -> None:
    """A comment in the database, as host A writes it, whose cache bump never reaches this process."""
    Comment.objects.create(
        thread=thread, author_name="Ada", author_email="ada@example.com", body=text,
        html=f"<p>{text}</p>", status=CommentStatus.APPROVED,
    )  # fmt: skip
    Thread.objects.filter(pk=thread.pk).update(
        version=F("version") + 1, comment_count=F("comment_count") + 1
    )


def test_a_thread_page_copy_is_dropped_when_another_host_bumps_the_thread(
    a_thread: Any, shared_redis: StockRedisCache
) -> None:
    reader = Reader()
    path = f"/api/v1/threads/{a_thread.pk}/comments"
    reader.get(path)
    with CaptureQueriesContext(connection) as fast:
        assert reader.get(path)["X-Cache"] == "hit"
    assert fast.captured_queries == []
    quietly_add_comment(a_thread, "Posted on host A.")
    assert reader.get(path)["X-Cache"] == "hit"  # no bump yet: the copy still answers
    bump_on_another_host(shared_redis, "thread", a_thread.version_key)
    fresh = reader.get(path)
    assert "X-Cache" not in fresh
    assert [item["html"] for item in fresh.json()["items"]] == ["<p>Posted on host A.</p>"]
    assert reader.get(path)["X-Cache"] == "hit"  # and the new page is copied again


def test_a_cached_article_page_is_dropped_when_another_host_bumps_its_thread(
    an_article: Any, a_thread: Any, shared_redis: StockRedisCache
) -> None:
    client = Client()
    client.get(an_article.url)
    with CaptureQueriesContext(connection) as fast:
        assert client.get(an_article.url)["X-Page-Cache"] == "hit"
    assert fast.captured_queries == []
    quietly_add_comment(a_thread, "Posted on host A.")
    bump_on_another_host(shared_redis, "thread", a_thread.version_key)
    fresh = client.get(an_article.url)
    assert fresh["X-Page-Cache"] == "miss"
    assert "Posted on host A." in fresh.content.decode()
    assert client.get(an_article.url)["X-Page-Cache"] == "hit"


def test_a_cached_article_page_is_dropped_when_another_host_publishes(
    an_article: Any, shared_redis: StockRedisCache
) -> None:
    client = Client()
    client.get(an_article.url)
    assert client.get(an_article.url)["X-Page-Cache"] == "hit"
    bump_on_another_host(shared_redis, "publishing", "")
    assert client.get(an_article.url)["X-Page-Cache"] == "miss"


def test_local_copies_keep_the_most_recent_within_their_capacity_and_time() -> None:
    copies = LocalCopies(capacity=10, seconds=60)
    copies.put("a", "first", 4)
    copies.put("b", "second", 4)
    assert copies.get("a") == "first"  # now the most recently used
    copies.put("c", "third", 4)
    assert (copies.get("a"), copies.get("b"), copies.get("c")) == ("first", None, "third")
    copies.put("huge", "too big", 11)
    assert copies.get("huge") is None
    expired = LocalCopies(capacity=10, seconds=-1)
    expired.put("a", "gone", 1)
    assert expired.get("a") is None
