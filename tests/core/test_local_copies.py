"""Each process keeps copies of the pages it served (core/cache.py, `LocalCopies`) and of the version
counters it read (`VersionWatch`); with Redis, a bump made by another process (another host) still makes
them stale at once, and a cached hit makes no round trip to Redis."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.db.models import F
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from masthead.core.cache import LocalCopies, clear_local_copies
from masthead.discussion.models import Comment, CommentStatus, Thread
from masthead.publishing.page_cache import recent_pages
from tests.helpers import Reader

pytestmark = pytest.mark.django_db


@dataclass
class SharedRedis:
    url: str
    prefix: str


@pytest.fixture
def shared_redis(redis_url: str) -> Iterator[SharedRedis]:
    """This process's cache in Redis, under a prefix of the test's own."""
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
        yield SharedRedis(redis_url, prefix)
    clear_local_copies()
    recent_pages.clear()


ANOTHER_HOST = """
import sys
import django
from django.conf import settings
url, prefix, namespace, key = sys.argv[1:]
settings.configure(
    CACHES={"default": {"BACKEND": "masthead.core.cache.RedisCache", "LOCATION": url, "KEY_PREFIX": prefix}},
    INSTALLED_APPS=[],
)
django.setup()
from masthead.core import cache_versions
cache_versions.bump_now(namespace, key)
"""


def bump_on_another_host(redis: SharedRedis, namespace: str, key: object) -> None:
    """`cache_versions.bump_now` in a process of its own, as another host's commit runs it."""
    subprocess.run(
        [sys.executable, "-c", ANOTHER_HOST, redis.url, redis.prefix, namespace, str(key)],
        check=True,
        timeout=60,
    )


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
    a_thread: Any, shared_redis: SharedRedis
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
    an_article: Any, a_thread: Any, shared_redis: SharedRedis
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
    an_article: Any, shared_redis: SharedRedis
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


def test_a_cached_hit_makes_no_round_trip_to_redis(
    a_thread: Any, shared_redis: SharedRedis
) -> None:
    import redis

    server = redis.Redis.from_url(shared_redis.url)
    reader = Reader()
    path = f"/api/v1/threads/{a_thread.pk}/comments"
    reader.get(path)
    reader.get(path)
    before = server.info("stats")["total_commands_processed"]
    for _ in range(5):
        assert reader.get(path)["X-Cache"] == "hit"
    assert server.info("stats")["total_commands_processed"] - before == 1  # the INFO itself


def test_a_post_sees_discussion_settings_changed_on_another_host(
    a_thread: Any, a_home: Any, shared_redis: SharedRedis, django_capture_on_commit_callbacks: Any
) -> None:
    """The thread's policy is kept in this process too (under the site's version): closing comments
    on another host reaches this process's next post through the version bump."""
    from masthead.discussion.policy import DiscussionSettings
    from tests.helpers import assert_error

    reader = Reader()
    assert reader.comment(a_thread.pk, "Before.").status_code == 201
    with django_capture_on_commit_callbacks(execute=False):  # this process never bumps
        settings = DiscussionSettings.for_site(a_home.get_site())
        settings.comments_open = False
        settings.save()
    bump_on_another_host(shared_redis, "publishing", "")
    assert_error(reader.comment(a_thread.pk, "After."), 403, "closed")
