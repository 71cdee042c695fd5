"""With REDIS_URL, rate limits and page-cache versions live in Redis and hold across processes."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core.cache import caches
from django.test import override_settings

from masthead.core import cache_versions, ratelimit
from masthead.core.errors import ApiError, ErrorCode


def redis_caches(redis_url: str) -> dict[str, Any]:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
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
