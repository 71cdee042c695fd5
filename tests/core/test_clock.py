"""The clock (core/clock.py): its round, as `masthead_clock --once` runs it in process; and every
host starts one, through the shared Redis one runs each round."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core.management import call_command
from wagtail import hooks

from masthead.core.clock import claim_round
from masthead.core.hooks import EVERY_MINUTE


@pytest.mark.django_db
def test_a_failing_periodic_job_does_not_stop_the_others(caplog: pytest.LogCaptureFixture) -> None:
    ran: list[str] = []

    def broken() -> None:
        raise RuntimeError("the outbox is on fire")

    def sweep() -> None:
        ran.append("sweep")

    with (
        hooks.register_temporarily(EVERY_MINUTE, broken),
        hooks.register_temporarily(EVERY_MINUTE, sweep),
    ):
        call_command("masthead_clock", "--once")
    assert ran == ["sweep"]
    assert "Periodic job broken failed" in caplog.text


def test_one_clock_of_several_hosts_claims_each_round(redis_url: str, settings: Any) -> None:
    """Two hosts' clocks a few seconds apart in the same minute: the first runs the round, the
    second skips it; in the next minute the round is again one clock's, whichever asks first."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"clock-test-{uuid.uuid4().hex}",
        }
    }
    start = 1_800_000_000.0 // 60 * 60  # the start of a minute
    assert claim_round(60, now=start + 5)  # host A
    assert not claim_round(60, now=start + 41)  # host B, same round
    assert claim_round(60, now=start + 65)  # host B first in the next round
    assert not claim_round(60, now=start + 101)  # host A
    assert claim_round(30, now=start + 5)  # another interval counts rounds of its own


def test_without_redis_the_one_clock_always_runs() -> None:
    """One machine, one clock: every round is its own (the test cache stands for diskcache)."""
    start = 1_800_000_000.0 // 60 * 60
    assert claim_round(60, now=start + 5)
    assert claim_round(60, now=start + 6)
