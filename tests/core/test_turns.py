"""On SQLite, requests that may write take turns within a process (core/turns.py); reads never wait."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from django.db import connection

from masthead.core import turns
from masthead.discussion.signals import comment_preparing
from tests.asgi import asgi_request, run_async
from tests.helpers import connected


def test_a_write_steps_out_of_its_turn_while_it_waits_on_the_network(monkeypatch: Any) -> None:
    monkeypatch.setattr(turns, "takes_turns", lambda: True)
    events: list[str] = []
    first_waiting = threading.Event()
    second_done = threading.Event()

    def first() -> None:
        with turns.write_turn():
            events.append("first starts")
            with turns.outside_write_turn():
                first_waiting.set()
                second_done.wait(10)  # a provider's answer, say
            events.append("first ends")

    def second() -> None:
        first_waiting.wait(10)
        with turns.write_turn():
            events.append("second runs")
        second_done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert events == ["first starts", "second runs", "first ends"]


def test_a_write_waits_for_the_turn_of_another(monkeypatch: Any) -> None:
    monkeypatch.setattr(turns, "takes_turns", lambda: True)
    holding = threading.Event()
    letting_go = threading.Event()
    events: list[str] = []

    def first() -> None:
        with turns.write_turn():
            holding.set()
            letting_go.wait(10)
            events.append("first ends")

    def second() -> None:
        holding.wait(10)
        with turns.write_turn():
            events.append("second runs")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    threads[1].join(0.3)
    assert events == [], "the second write waits while the first has the turn"
    letting_go.set()
    for thread in threads:
        thread.join(20)
    assert events == ["first ends", "second runs"]


@pytest.mark.django_db(transaction=True)
def test_two_posts_at_once_through_the_asgi_app_run_one_after_the_other(a_thread: Any) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL writes concurrently: no turns there")
    arrivals = threading.Lock()
    inside: list[str] = []
    first_waiting = threading.Event()
    second_arrived = threading.Event()
    overlaps: list[bool] = []

    def watch(submission: Any, **_: Any) -> None:
        with arrivals:
            inside.append(submission.body)
            first = len(inside) == 1
        if first:
            first_waiting.set()
            second_arrived.wait(1.0)  # without turns the other post arrives within this wait
            first_waiting.clear()
        else:
            overlaps.append(first_waiting.is_set())
            second_arrived.set()

    async def visit() -> list[Any]:
        import asyncio

        me = await asgi_request("GET", f"/api/v1/threads/{a_thread.pk}/me")
        token = me.cookies["csrftoken"]
        headers = {
            "content-type": "application/json",
            "cookie": f"csrftoken={token}",
            "x-csrftoken": token,
        }

        def body(text: str) -> bytes:
            return json.dumps({"body": text, "name": "Ada", "email": "ada@example.com"}).encode()

        path = f"/api/v1/threads/{a_thread.pk}/comments"
        return list(
            await asyncio.gather(
                asgi_request("POST", path, headers=headers, body=body("One at a time.")),
                asgi_request("POST", path, headers=headers, body=body("Then the other.")),
            )
        )

    with connected(comment_preparing, watch):
        responses = run_async(visit)
    assert [response.status for response in responses] == [201, 201]
    assert len(inside) == 2 and overlaps == [False]
