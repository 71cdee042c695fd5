"""The live-event broker (core/events.py): in-process, and Redis pub/sub across broker instances
(each instance stands for a process of its own: its own connections, subscribers and listener)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from masthead.core.events import (
    RESET,
    BrokerUnavailable,
    CacheBroker,
    Event,
    InProcessBroker,
    RedisBroker,
    SlowConsumer,
)
from tests.asgi import run_async


async def collect(subscription: Any, count: int, timeout: float = 3.0) -> list[Event]:
    found = []
    while len(found) < count:
        event = await subscription.next(timeout)
        if event is None:
            break
        found.append(event)
    return found


def test_events_reach_every_subscriber_of_their_channel_only() -> None:
    broker = InProcessBroker()

    async def scenario() -> tuple[list[Event], list[Event], Event | None]:
        first = await broker.subscribe("thread:1")
        second = await broker.subscribe("thread:1")
        other = await broker.subscribe("thread:2")
        broker.publish("thread:1", "comment", {"id": 7})
        broker.publish("thread:1", "count", {"count": 1})
        got = await collect(first, 2), await collect(second, 2), await other.next(0.2)
        for sub in (first, second, other):
            sub.close()
        return got

    first, second, other = run_async(scenario)
    assert [(event.id, event.kind, event.data) for event in first] == [
        (1, "comment", {"id": 7}),
        (2, "count", {"count": 1}),
    ]
    assert first == second
    assert other is None
    assert broker.open_streams() == 0


def test_publishing_from_another_thread_wakes_the_subscriber() -> None:
    """Actions publish on commit from a request's worker thread; streams wait in the event loop."""
    broker = InProcessBroker()

    async def scenario() -> Event | None:
        subscription = await broker.subscribe("thread:1")
        loop = asyncio.get_running_loop()
        started = time.monotonic()
        loop.run_in_executor(None, broker.publish, "thread:1", "votes", {"id": 3, "score": 2})
        event = await subscription.next(2.0)
        assert time.monotonic() - started < 1.0
        subscription.close()
        return event

    event = run_async(scenario)
    assert event is not None and event.kind == "votes" and event.data["score"] == 2


def test_a_reconnect_with_last_event_id_gets_only_what_it_missed() -> None:
    broker = InProcessBroker()
    for number in range(1, 6):
        broker.publish("thread:1", "comment", {"id": number})

    async def scenario() -> list[Event]:
        subscription = await broker.subscribe("thread:1", last_id=3)
        broker.publish("thread:1", "comment", {"id": 6})
        got = await collect(subscription, 3)
        subscription.close()
        return got

    assert [event.id for event in run_async(scenario)] == [4, 5, 6]


def test_an_id_older_than_the_backlog_gets_a_reset_with_the_newest_id(settings: Any) -> None:
    settings.LIVE_BACKLOG_EVENTS = 3
    broker = InProcessBroker()
    for number in range(1, 8):
        broker.publish("thread:1", "comment", {"id": number})

    async def scenario(last_id: int) -> list[Event]:
        subscription = await broker.subscribe("thread:1", last_id=last_id)
        got = await collect(subscription, 5, timeout=0.3)
        subscription.close()
        return got

    assert [(event.kind, event.id) for event in run_async(lambda: scenario(2))] == [(RESET, 7)]
    assert b"id: 7\nevent: reset\n" in Event(7, RESET, {"newest": 7}).encode()
    # Still in the backlog: replayed, no reset.
    assert [event.id for event in run_async(lambda: scenario(4))] == [5, 6, 7]
    # An id this broker never gave (a restarted server): a reset too.
    assert [event.kind for event in run_async(lambda: scenario(99))] == [RESET]


def test_events_older_than_the_backlog_window_are_not_replayed(settings: Any) -> None:
    broker = InProcessBroker()
    broker.publish("thread:1", "comment", {"id": 1})
    broker.publish("thread:1", "comment", {"id": 2})
    settings.LIVE_BACKLOG_SECONDS = 0

    async def scenario() -> list[Event]:
        await asyncio.sleep(0.01)
        subscription = await broker.subscribe("thread:1", last_id=1)
        got = await collect(subscription, 2, timeout=0.3)
        subscription.close()
        return got

    assert [event.kind for event in run_async(scenario)] == [RESET]


def test_a_subscriber_that_falls_behind_is_closed_not_buffered(settings: Any) -> None:
    settings.LIVE_SUBSCRIBER_QUEUE = 5
    broker = InProcessBroker()

    async def scenario() -> list[Event]:
        subscription = await broker.subscribe("thread:1")
        for number in range(20):
            broker.publish("thread:1", "votes", {"id": number})
        await asyncio.sleep(0.05)  # the deliveries run in this loop
        assert subscription.queue.qsize() <= 5
        got = []
        with pytest.raises(SlowConsumer):
            while True:
                event = await subscription.next(1.0)
                assert event is not None
                got.append(event)
        subscription.close()
        return got

    assert len(run_async(scenario)) < 5
    assert broker.open_streams() == 0


# --- Redis ---------------------------------------------------------------------------------------


@pytest.fixture
def two_processes(redis_url: str) -> Iterator[tuple[RedisBroker, RedisBroker]]:
    """Two brokers on one Redis, as two web processes (or two hosts) have, under a fresh prefix."""
    prefix = f"masthead-test:{uuid.uuid4().hex}:"
    first, second = RedisBroker(redis_url, prefix), RedisBroker(redis_url, prefix)
    yield first, second
    keys = first.sync.keys(prefix + "*")
    if keys:
        first.sync.delete(*keys)


def test_redis_carries_an_event_published_in_one_process_to_streams_in_another(
    two_processes: tuple[RedisBroker, RedisBroker],
) -> None:
    publisher, reader = two_processes

    async def scenario() -> tuple[list[Event], list[Event], float]:
        here = await publisher.subscribe("thread:5")
        there = await reader.subscribe("thread:5")
        await asyncio.to_thread(publisher.publish, "thread:5", "comment", {"id": 11})
        await asyncio.to_thread(publisher.publish, "thread:5", "count", {"count": 4})
        published = time.monotonic()
        got_there = await collect(there, 2)
        latency = time.monotonic() - published  # from the publisher's return to the other's receipt
        got_here = await collect(here, 2)
        here.close()
        there.close()
        return got_there, got_here, latency

    there, here, latency = run_async(scenario)
    assert [(event.id, event.kind, event.data) for event in there] == [
        (1, "comment", {"id": 11}),
        (2, "count", {"count": 4}),
    ]
    assert [event.id for event in here] == [1, 2]
    assert latency < 0.5


def test_redis_keeps_sites_on_other_database_numbers_apart(redis_url: str) -> None:
    """Pub/sub channels are server-wide: two sites on one Redis server, each on a database number
    of its own, must not hear each other's events (two test runs share a server the same way)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(redis_url)
    other_number = 13 if parts.path.strip("/") != "13" else 12
    other_url = urlunsplit(parts._replace(path=f"/{other_number}"))
    prefix = f"masthead-test:{uuid.uuid4().hex}:"
    ours, theirs = RedisBroker(redis_url, prefix), RedisBroker(other_url, prefix)

    async def scenario() -> list[Event]:
        subscription = await ours.subscribe("thread:7")
        await asyncio.to_thread(theirs.publish, "thread:7", "comment", {"id": 70})
        await asyncio.to_thread(ours.publish, "thread:7", "comment", {"id": 71})
        got = await collect(subscription, 2, timeout=0.5)
        subscription.close()
        return got

    try:
        assert [event.data for event in run_async(scenario)] == [{"id": 71}]
    finally:
        for broker in (ours, theirs):
            keys = broker.sync.keys(prefix + "*")
            if keys:
                broker.sync.delete(*keys)


def test_redis_numbers_events_in_order_whichever_process_publishes(
    two_processes: tuple[RedisBroker, RedisBroker],
) -> None:
    first, second = two_processes

    async def scenario() -> list[int]:
        subscription = await first.subscribe("thread:9")
        for number in range(10):
            broker = first if number % 2 else second
            await asyncio.to_thread(broker.publish, "thread:9", "votes", {"n": number})
        got = await collect(subscription, 10)
        subscription.close()
        return [event.id for event in got]

    assert run_async(scenario) == list(range(1, 11))


def test_redis_replays_the_backlog_to_a_reconnect_on_another_process(
    two_processes: tuple[RedisBroker, RedisBroker], settings: Any
) -> None:
    settings.LIVE_BACKLOG_EVENTS = 4
    publisher, reader = two_processes
    for number in range(1, 7):
        publisher.publish("thread:3", "comment", {"id": number})

    async def scenario(last_id: int) -> list[tuple[str, int]]:
        subscription = await reader.subscribe("thread:3", last_id=last_id)
        got = await collect(subscription, 5, timeout=0.5)
        subscription.close()
        return [(event.kind, event.id) for event in got]

    assert run_async(lambda: scenario(4)) == [("comment", 5), ("comment", 6)]
    assert run_async(lambda: scenario(1)) == [(RESET, 6)]  # 2 left the 4-event backlog


def test_redis_a_stream_that_follows_a_channel_just_left_still_hears_it(
    two_processes: tuple[RedisBroker, RedisBroker],
) -> None:
    """The last stream of a channel leaves (unsubscribe scheduled) as a new one arrives."""
    publisher, reader = two_processes

    async def scenario() -> Event | None:
        leaving = await reader.subscribe("thread:6")
        leaving.close()
        arriving = await reader.subscribe("thread:6")
        await asyncio.sleep(0.2)  # the scheduled unsubscribe has run
        await asyncio.to_thread(publisher.publish, "thread:6", "count", {"count": 2})
        event = await arriving.next(2.0)
        arriving.close()
        return event

    event = run_async(scenario)
    assert event is not None and event.data == {"count": 2}


def test_redis_down_publishing_fails_quietly_and_subscribing_says_unavailable(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from masthead.core import events

    broker = RedisBroker("redis://127.0.0.1:1/0")
    monkeypatch.setattr(events, "broker", lambda: broker)
    assert events.publish_now("thread:1", "comment", {"id": 1}) is None
    assert "could not publish comment on thread:1" in caplog.text
    # For a few seconds after, posts do not wait on Redis again.
    started = time.monotonic()
    assert events.publish_now("thread:1", "count", {"count": 1}) is None
    assert time.monotonic() - started < 0.05

    async def scenario() -> None:
        await broker.subscribe("thread:1")

    with pytest.raises(BrokerUnavailable):
        run_async(scenario)


# --- the shared cache (no Redis: the processes of one machine) -----------------------------------


@pytest.fixture(params=["disk cache", "another cache"])
def two_cache_processes(
    request: Any, settings: Any, tmp_path: Any
) -> tuple[CacheBroker, CacheBroker]:
    """Two brokers over one cache, as `masthead run`'s web workers share diskcache (its own event
    store), or over another Django cache (its incr and set_many)."""
    settings.LIVE_CACHE_POLL_SECONDS = 0.05
    if request.param == "disk cache":
        settings.CACHES = {
            "default": {
                "BACKEND": "masthead.core.disk_cache.DiskCache",
                "LOCATION": str(tmp_path / "cache"),
                "SHARDS": 2,
                "DATABASE_TIMEOUT": 0.25,
            }
        }
    return CacheBroker(), CacheBroker()


def test_the_shared_cache_carries_events_between_processes_in_order(
    two_cache_processes: tuple[CacheBroker, CacheBroker],
) -> None:
    first, second = two_cache_processes

    async def scenario() -> list[tuple[int, str, dict[str, Any]]]:
        subscription = await second.subscribe("thread:4")
        for number in range(6):
            broker = first if number % 2 else second
            await asyncio.to_thread(broker.publish, "thread:4", "votes", {"n": number})
        got = await collect(subscription, 6)
        subscription.close()
        return [(event.id, event.kind, event.data) for event in got]

    assert run_async(scenario) == [(n + 1, "votes", {"n": n}) for n in range(6)]


def test_the_shared_cache_replays_a_reconnect_or_resets_it(
    two_cache_processes: tuple[CacheBroker, CacheBroker], settings: Any
) -> None:
    settings.LIVE_BACKLOG_EVENTS = 3
    publisher, reader = two_cache_processes
    for number in range(1, 6):
        publisher.publish("thread:8", "comment", {"id": number})

    async def scenario(last_id: int) -> list[tuple[str, int]]:
        subscription = await reader.subscribe("thread:8", last_id=last_id)
        got = await collect(subscription, 5, timeout=0.5)
        subscription.close()
        return [(event.kind, event.id) for event in got]

    assert run_async(lambda: scenario(3)) == [("comment", 4), ("comment", 5)]
    assert run_async(lambda: scenario(1)) == [(RESET, 5)]  # 4 behind: more than the backlog of 3
    assert run_async(lambda: scenario(5)) == []
    assert run_async(lambda: scenario(50)) == [(RESET, 5)]


def test_without_redis_the_server_uses_the_cache_its_processes_share(settings: Any) -> None:
    from masthead.core import events

    settings.LIVE_REDIS_URL = ""
    settings.CACHES = {
        "default": {"BACKEND": "masthead.core.disk_cache.DiskCache", "LOCATION": "/x"}
    }
    assert isinstance(events.broker(), CacheBroker)
    settings.LIVE_BROKER = "memory"
    assert isinstance(events.broker(), InProcessBroker)


def test_redis_publishing_survives_a_restart_that_forgot_the_script(
    two_processes: tuple[RedisBroker, RedisBroker],
) -> None:
    """The publish script is sent once per process and then called by its digest; a Redis that
    restarted (SCRIPT FLUSH here) has forgotten it, and the next publish loads it again."""
    publisher, reader = two_processes

    async def scenario() -> list[Event]:
        there = await reader.subscribe("thread:9")
        await asyncio.to_thread(publisher.publish, "thread:9", "comment", {"id": 1})
        publisher.sync.script_flush()
        await asyncio.to_thread(publisher.publish, "thread:9", "comment", {"id": 2})
        got = await collect(there, 2)
        there.close()
        return got

    assert [(event.id, event.data) for event in run_async(scenario)] == [
        (1, {"id": 1}),
        (2, {"id": 2}),
    ]
