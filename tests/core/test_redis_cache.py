"""With REDIS_URL, rate limits and page-cache versions live in Redis and hold across processes."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
from django.core.cache import caches
from django.test import override_settings

from masthead.core import cache_versions, ratelimit
from masthead.core.errors import ApiError, ErrorCode
from tests.asgi import run_async

BACKEND = "masthead.core.cache.RedisCache"


def redis_caches(redis_url: str) -> dict[str, Any]:
    return {
        "default": {
            "BACKEND": BACKEND,
            "LOCATION": redis_url,
            "KEY_PREFIX": f"masthead-test-{uuid.uuid4().hex}",
        }
    }


def test_rate_limit_counts_in_redis_and_answers_429_with_retry_after(redis_url: str) -> None:
    with override_settings(CACHES=redis_caches(redis_url), RATELIMIT_ENABLED=True):
        for _ in range(3):
            ratelimit.enforce("post", "198.51.100.7", "3/m")
        with pytest.raises(ApiError) as refused:
            ratelimit.enforce("post", "198.51.100.7", "3/m")
        assert (refused.value.status, refused.value.code) == (429, ErrorCode.RATE_LIMITED)
        assert 1 <= int(refused.value.headers["Retry-After"]) <= 60
        ratelimit.enforce("post", "198.51.100.8", "3/m")  # another client is not affected


def test_page_cache_versions_bumped_in_one_process_are_seen_by_another(redis_url: str) -> None:
    settings_for_redis = redis_caches(redis_url)
    with override_settings(CACHES=settings_for_redis):
        before = cache_versions.versions([("thread", "42")])
        cache_versions.bump_now("thread", "42")
        # A second connection, as another web worker would have, reads the new version.
        other_process = caches.create_connection("default")
        key = "v:thread:42"
        assert other_process.get(key) != before[0]
        assert [other_process.get(key)] == cache_versions.versions([("thread", "42")])


def test_requests_reuse_the_processes_redis_connections(redis_url: str) -> None:
    """Under the ASGI server each request runs in a context of its own, where Django makes a new cache
    object: with Masthead's backend they share the process's connection pool, so a burst of requests
    opens no new connection to Redis once the first is open."""
    import asyncio

    import redis
    from django.core.cache import cache

    server = redis.Redis.from_url(redis_url)

    async def request(n: int) -> object:
        await asyncio.sleep(0)
        return cache.get(f"page:{n}")

    async def burst() -> None:
        await asyncio.gather(*(request(n) for n in range(20)))

    with override_settings(CACHES=redis_caches(redis_url)):
        # On an event loop of its own thread: a browser test earlier in this process may have left
        # Playwright's loop running in this one.
        run_async(burst)  # the first request may open the connection
        opened = server.info("stats")["total_connections_received"]
        for _ in range(5):
            run_async(burst)
        assert server.info("stats")["total_connections_received"] == opened


def test_bumps_on_another_redis_database_leave_this_sites_copies_alone(redis_url: str) -> None:
    """Two sites on one Redis server, on different database numbers, with the same key prefix: a
    bump on one must not drop the other's copies (pub/sub channels span the whole server)."""
    from urllib.parse import urlsplit, urlunsplit

    from masthead.core.cache import bump_channel, version_watch

    prefix = f"masthead-test-{uuid.uuid4().hex}"
    parts = urlsplit(redis_url)
    other_url = urlunsplit(parts._replace(path="/12" if parts.path != "/12" else "/11"))

    def cache_on(url: str) -> Any:
        with override_settings(
            CACHES={"default": {"BACKEND": BACKEND, "LOCATION": url, "KEY_PREFIX": prefix}}
        ):
            return caches.create_connection("default")

    ours, theirs = cache_on(redis_url), cache_on(other_url)
    our_watch, their_watch = version_watch(ours), version_watch(theirs)
    assert our_watch is not None and their_watch is not None
    key = "v:thread:7"
    our_watch.bump(key, 1, 60)
    assert our_watch.versions([key]) == [1]
    assert key in our_watch._values  # kept as this process's copy

    their_watch.bump(key, 2, 60)
    # Then a bump of another key on our own channel: once it has arrived, anything published before
    # it on the server (their bump) would have arrived too.
    epoch = our_watch._epoch
    ours._cache.get_client(write=True).publish(bump_channel(ours), "v:marker")
    for _ in range(200):
        our_watch._take_messages()
        if our_watch._epoch > epoch:
            break
        time.sleep(0.01)
    assert our_watch._epoch == epoch + 1, "our own channel's message never arrived, or theirs did"
    assert key in our_watch._values, "a bump on another database dropped this site's copy"
    assert our_watch.versions([key]) == [1]
