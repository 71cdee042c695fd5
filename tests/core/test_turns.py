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


@pytest.mark.parametrize("service", ["akismet", "stripe"])
def test_calls_to_outside_services_let_other_writes_run_while_they_wait(
    service: str, monkeypatch: Any, settings: Any
) -> None:
    """Akismet's and Stripe's calls hold no write turn while the service is slow to answer: a
    loopback service answers only once another write has had its turn."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from masthead.funding.providers import stripe as stripe_provider
    from masthead.moderation import akismet

    monkeypatch.setattr(turns, "takes_turns", lambda: True)
    request_arrived = threading.Event()
    other_write_ran = threading.Event()

    class SlowService(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            request_arrived.set()
            answered_in_time = other_write_ran.wait(10)
            body = (
                json.dumps({"id": "cus_slow", "object": "customer"}).encode()
                if service == "stripe"
                else b"false"
            )
            self.send_response(200 if answered_in_time else 504)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowService)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    settings.MASTHEAD_AKISMET_URL, settings.MASTHEAD_AKISMET_KEY = base, "key"
    settings.STRIPE_API_BASE, settings.STRIPE_SECRET_KEY = base, "sk_test_slow"
    answers: list[Any] = []

    def call_out() -> None:
        with turns.write_turn():
            if service == "stripe":
                answers.append(stripe_provider._sdk().Customer.create(email="a@example.org").id)
            else:
                answers.append(akismet._post("comment-check", {"blog": base})[0])

    def other_write() -> None:
        request_arrived.wait(10)
        with turns.write_turn():
            other_write_ran.set()

    threads = [threading.Thread(target=call_out), threading.Thread(target=other_write)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        server.shutdown()
    assert other_write_ran.is_set()
    assert answers == (["cus_slow"] if service == "stripe" else ["false"])
