"""The thread's event stream served by a real `masthead run` (uvicorn and core/handler.py), read as a
browser's EventSource reads it: without Redis (the cache the processes share carries the events,
across two web workers too), with Redis across two web workers, and with Redis down."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import EventStream, MastheadServer


def events_path(thread_id: int) -> str:
    return f"/api/v1/threads/{thread_id}/events"


def wait_for(stream: EventStream, kind: str, timeout: float = 5.0) -> dict[str, Any] | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        event = stream.next_event(deadline - time.monotonic())
        if event is None:
            return None
        if event["event"] == kind:
            return event
    return None


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MastheadServer]:
    running = MastheadServer(
        tmp_path_factory.mktemp("live") / "data",
        MASTHEAD_LIVE_HEARTBEAT_SECONDS="0.5",
        MASTHEAD_LIVE_MAX_STREAMS_PER_IP="12",
        MASTHEAD_RATELIMIT_ENABLED="0",
    )
    yield running
    running.stop()


def test_a_posted_comment_arrives_on_the_stream_and_a_pending_one_does_not(
    server: MastheadServer,
) -> None:
    thread_id, _ = server.open_thread()
    stream = EventStream(server.base, events_path(thread_id))
    try:
        assert stream.status == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        started = time.monotonic()
        status, posted = server.reader().comment(
            thread_id, "Seen live, from the delta.", "Ada Live"
        )
        assert status == 201 and posted["status"] == "approved"
        event = wait_for(stream, "comment")
        assert event is not None, "the new comment never reached the stream"
        assert time.monotonic() - started < 2.0
        assert event["data"]["id"] == posted["id"]
        assert event["data"]["html"] == "<p>Seen live, from the delta.</p>"
        assert int(event["id"]) > 0
        count = wait_for(stream, "count")
        assert count is not None and count["data"]["count"] >= 1

        # A never-seen guest's link waits for a moderator: nothing of it goes out.
        status, held = server.reader().comment(
            thread_id, "Cheap watches at https://example.com/watches", "Newcomer Spam"
        )
        assert status == 201 and held["status"] == "pending"
        quiet = stream.events_until_quiet(1.5)
        assert quiet == [], quiet
        assert stream.retry == "3000"
        assert "keep-alive" in stream.comments  # heartbeats every 0.5 s here
    finally:
        stream.close()


def test_a_reconnect_with_last_event_id_gets_what_it_missed_or_a_reset(
    server: MastheadServer,
) -> None:
    thread_id, _ = server.open_thread()
    first = EventStream(server.base, events_path(thread_id))
    try:
        server.reader().comment(thread_id, "Before the tunnel.", "Bo Rider")
        seen = wait_for(first, "comment")
        assert seen is not None
    finally:
        first.close()
    # Offline for a while: two more comments.
    missed = [
        server.reader().comment(thread_id, f"In the tunnel {n}.", "Cy Walker")[1] for n in (1, 2)
    ]
    again = EventStream(server.base, events_path(thread_id), {"Last-Event-ID": seen["id"]})
    try:
        replayed = [event for event in again.events_until_quiet(1.5) if event["event"] == "comment"]
        assert [event["data"]["id"] for event in replayed] == [item["id"] for item in missed]
    finally:
        again.close()
    stale = EventStream(server.base, events_path(thread_id), {"Last-Event-ID": "987654321"})
    try:
        reset = stale.next_event(3)
        assert reset is not None and reset["event"] == "reset"
        assert int(reset["id"]) == reset["data"]["newest"] >= int(seen["id"]) + 4
    finally:
        stale.close()


def test_too_many_streams_from_one_address_are_refused_with_retry_after(
    server: MastheadServer,
) -> None:
    thread_id, _ = server.open_thread()
    streams = [EventStream(server.base, events_path(thread_id)) for _ in range(12)]
    try:
        assert [stream.status for stream in streams] == [200] * 12
        refused = EventStream(server.base, events_path(thread_id))
        assert refused.status == 429
        assert refused.headers["retry-after"] == "30"
        assert b'"error": "rate_limited"' in refused.body
    finally:
        for stream in streams:
            stream.close()
    # Closed streams give their places back.
    for _ in range(50):
        again = EventStream(server.base, events_path(thread_id))
        if again.status == 200:
            break
        time.sleep(0.1)
    try:
        assert again.status == 200
    finally:
        again.close()


def test_open_streams_hold_no_thread_each(server: MastheadServer) -> None:
    """The request's worker thread goes back to the pool once the stream starts (core/handler.py)."""
    thread_id, _ = server.open_thread()
    tasks = Path(f"/proc/{server.process.pid}/task")
    warm = EventStream(server.base, events_path(thread_id))
    warm.next_event(0.5)
    warm.close()
    before = len(list(tasks.iterdir()))
    streams = [EventStream(server.base, events_path(thread_id)) for _ in range(10)]
    try:
        assert all(stream.status == 200 for stream in streams)
        for stream in streams:
            stream.next_event(0.2)
        during = len(list(tasks.iterdir()))
        assert during <= before + 2, (before, during)
        server.reader().comment(thread_id, "Ten readers hear this.", "Fay Many")
        assert all(wait_for(stream, "comment") is not None for stream in streams)
    finally:
        for stream in streams:
            stream.close()


def test_an_unknown_thread_is_a_json_404(server: MastheadServer) -> None:
    missing = EventStream(server.base, events_path(999999))
    assert missing.status == 404
    assert b'"error": "not_found"' in missing.body


@pytest.fixture(scope="module")
def two_worker_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MastheadServer]:
    running = MastheadServer(
        tmp_path_factory.mktemp("live-workers") / "data", workers=2, MASTHEAD_RATELIMIT_ENABLED="0"
    )
    yield running
    running.stop()


def test_without_redis_both_web_workers_deliver_every_event(
    two_worker_server: MastheadServer,
) -> None:
    """`masthead run`'s default: several workers, no Redis. Streams land on both workers; a post
    handled by either reaches them all, through the cache the workers share."""
    thread_id, _ = two_worker_server.open_thread()
    streams = [EventStream(two_worker_server.base, events_path(thread_id)) for _ in range(6)]
    try:
        assert all(stream.status == 200 for stream in streams)
        time.sleep(0.5)
        posted = [
            two_worker_server.reader().comment(
                thread_id, f"Heard on every worker {n}.", "Hal Both"
            )[1]
            for n in range(3)
        ]
        for stream in streams:
            heard = [
                event["data"]["id"]
                for event in stream.events_until_quiet(2.0)
                if event["event"] == "comment"
            ]
            assert heard == [item["id"] for item in posted]
    finally:
        for stream in streams:
            stream.close()


# --- Redis ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def redis_server(
    tmp_path_factory: pytest.TempPathFactory, redis_url: str
) -> Iterator[MastheadServer]:
    import redis

    client = redis.Redis.from_url(redis_url)
    stale = client.keys("masthead:live:*")
    if stale:
        client.delete(*stale)
    running = MastheadServer(
        tmp_path_factory.mktemp("live-redis") / "data",
        workers=2,
        MASTHEAD_LIVE_REDIS_URL=redis_url,
        MASTHEAD_RATELIMIT_ENABLED="0",
    )
    yield running
    running.stop()


def test_with_redis_every_web_worker_delivers_every_event(redis_server: MastheadServer) -> None:
    """Two uvicorn workers: the streams land on both, the post on one; each stream hears it."""
    thread_id, _ = redis_server.open_thread()
    streams = [EventStream(redis_server.base, events_path(thread_id)) for _ in range(6)]
    try:
        assert all(stream.status == 200 for stream in streams)
        time.sleep(0.3)
        started = time.monotonic()
        status, posted = redis_server.reader().comment(thread_id, "Heard everywhere.", "Di Wide")
        assert status == 201
        arrivals = []
        for stream in streams:
            event = wait_for(stream, "comment")
            assert event is not None and event["data"]["id"] == posted["id"]
            arrivals.append(time.monotonic() - started)
        assert max(arrivals) < 1.5
    finally:
        for stream in streams:
            stream.close()


@pytest.fixture(scope="module")
def redis_down_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MastheadServer]:
    running = MastheadServer(
        tmp_path_factory.mktemp("live-down") / "data",
        MASTHEAD_LIVE_REDIS_URL="redis://127.0.0.1:1/0",  # nothing listens there
        MASTHEAD_RATELIMIT_ENABLED="0",
    )
    yield running
    running.stop()


def test_with_redis_down_comments_still_post_and_the_stream_says_poll(
    redis_down_server: MastheadServer,
) -> None:
    thread_id, _ = redis_down_server.open_thread()
    reader = redis_down_server.reader()
    status, posted = reader.comment(thread_id, "Posted while Redis sleeps.", "Eve Steady")
    assert status == 201 and posted["status"] == "approved"
    status, listed = reader.call("GET", f"/api/v1/threads/{thread_id}/comments")
    assert status == 200 and posted["id"] in [item["id"] for item in listed["items"]]
    stream = EventStream(redis_down_server.base, events_path(thread_id))
    assert stream.status == 503
    assert stream.headers["retry-after"] == "30"
    assert b'"error": "unavailable"' in stream.body


def test_stopping_the_server_does_not_wait_on_open_streams(tmp_path: Path) -> None:
    """An event stream never ends by itself; a stop (a deploy) must not hang on it."""
    running = MastheadServer(tmp_path / "data", MASTHEAD_RATELIMIT_ENABLED="0")
    thread_id, _ = running.open_thread()
    stream = EventStream(running.base, events_path(thread_id))
    try:
        assert stream.status == 200
        started = time.monotonic()
        running.stop()
        assert running.process.returncode is not None
        assert time.monotonic() - started < 15, running.output
        assert stream.next_event(5) is None  # the stream was closed, so the browser reconnects
    finally:
        stream.close()
