"""The ASGI app uvicorn serves (core/handler.py): Django's whole stack per request, on reused threads."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.signals import request_finished, request_started

from masthead.accounts.guest import COOKIE_NAME
from masthead.discussion.models import Comment
from tests.asgi import asgi_request, run_async
from tests.helpers import connected

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def request_threads() -> Iterator[dict[str, list[threading.Thread]]]:
    """The threads request_started and request_finished ran on, in order."""
    # Thread objects, not idents: the system may give a finished thread's ident to the next one.
    seen: dict[str, list[threading.Thread]] = {"started": [], "finished": []}

    def on_started(**_: Any) -> None:
        seen["started"].append(threading.current_thread())

    def on_finished(**_: Any) -> None:
        seen["finished"].append(threading.current_thread())

    with connected(request_started, on_started), connected(request_finished, on_finished):
        yield seen


def test_a_comment_posted_through_the_asgi_app_passes_csrf_and_is_written(a_thread: Any) -> None:
    path = f"/api/v1/threads/{a_thread.pk}/comments"
    body = json.dumps(
        {"body": "Posted through uvicorn's app.", "name": "Ada", "email": "ada@example.com"}
    )

    async def visit() -> tuple[Any, Any, Any]:
        me = await asgi_request("GET", f"/api/v1/threads/{a_thread.pk}/me")
        token = me.cookies["csrftoken"]
        headers = {"content-type": "application/json", "cookie": f"csrftoken={token}"}
        refused = await asgi_request("POST", path, headers=headers, body=body.encode())
        posted = await asgi_request(
            "POST", path, headers={**headers, "x-csrftoken": token}, body=body.encode()
        )
        return me, refused, posted

    with request_threads() as seen:
        me, refused, posted = run_async(visit)
    assert me.status == 200 and me.headers["cache-control"] == "private, no-store"
    assert refused.status == 403 and json.loads(refused.body)["error"] == "csrf_failed"
    assert posted.status == 201, posted.body
    assert json.loads(posted.body)["author"]["name"] == "Ada"
    assert COOKIE_NAME in posted.cookies
    assert (
        Comment.objects.filter(thread=a_thread, body="Posted through uvicorn's app.").count() == 1
    )
    # Each request: started and finished once, on the same worker thread, never the event loop's.
    assert len(seen["started"]) == len(seen["finished"]) == 3
    assert seen["started"] == seen["finished"]
    assert all(thread.name.startswith("masthead-request") for thread in seen["started"])


def test_one_request_after_another_reuses_the_same_worker_thread(a_thread: Any) -> None:
    async def visit() -> list[int]:
        return [
            (await asgi_request("GET", f"/api/v1/threads/{a_thread.pk}/me")).status
            for _ in range(4)
        ]

    with request_threads() as seen:
        statuses = run_async(visit)
    assert statuses == [200] * 4
    assert len(set(seen["started"])) == 1


def test_requests_at_the_same_time_run_on_threads_of_their_own(a_thread: Any) -> None:
    """A request that blocks (say, on the database's write lock) does not hold up the next one."""
    both_running = threading.Event()
    arrived: list[threading.Thread] = []
    waited: list[bool] = []

    def meet(**_: Any) -> None:
        arrived.append(threading.current_thread())
        if len(arrived) == 1:
            waited.append(both_running.wait(timeout=10))
        else:
            both_running.set()

    async def visit() -> list[Any]:
        path = f"/api/v1/threads/{a_thread.pk}/me"
        return list(await asyncio.gather(asgi_request("GET", path), asgi_request("GET", path)))

    with connected(request_started, meet):
        first, second = run_async(visit)
    assert first.status == second.status == 200
    assert waited == [True] and len(set(arrived)) == 2


def test_a_file_is_sent_whole_before_it_is_closed_and_every_request_is_finished_once(
    a_thread: Any, settings: Any, tmp_path: Any
) -> None:
    """A response whose content is made is closed before it is sent (no second hop to a thread);
    a file is read while it is sent, so it is closed only afterwards, on the same worker thread."""
    settings.MEDIA_ROOT = str(tmp_path)
    video = bytes(range(256)) * 4096  # 1 MiB: many of the handler's chunks
    (tmp_path / "clip.mp4").write_bytes(video)

    async def visit() -> list[Any]:
        return [
            await asgi_request("GET", "/media/clip.mp4"),
            await asgi_request("GET", f"/api/v1/threads/{a_thread.pk}/me"),
        ]

    with request_threads() as seen:
        clip, me = run_async(visit)
    assert clip.status == 200 and clip.body == video
    assert clip.headers["content-length"] == str(len(video))
    assert me.status == 200
    assert len(seen["started"]) == len(seen["finished"]) == 2
    assert seen["started"] == seen["finished"]
    assert all(thread.name.startswith("masthead-request") for thread in seen["finished"])


def test_a_host_the_site_does_not_serve_is_refused(a_thread: Any) -> None:
    response = run_async(
        lambda: asgi_request("GET", f"/api/v1/threads/{a_thread.pk}/me", host="evil.example")
    )
    assert response.status == 400


def test_an_open_event_stream_keeps_neither_its_request_nor_a_thread(a_thread: Any) -> None:
    """What thousands of open streams cost: the request (headers, session, resolver match) and the
    thread that answered it are let go once the stream is under way."""
    import gc

    from django.http import HttpRequest

    from masthead.asgi import application

    path = f"/api/v1/threads/{a_thread.pk}/events"

    async def follow(opened: asyncio.Future[int], closing: asyncio.Event) -> None:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"testserver"), (b"accept", b"text/event-stream")],
            "client": ("192.0.2.5", 5000),
            "server": ("testserver", 80),
        }
        asked = False

        async def receive() -> dict[str, Any]:
            nonlocal asked
            if not asked:
                asked = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await closing.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start" and not opened.done():
                opened.set_result(message["status"])

        await application(scope, receive, send)

    async def visit() -> tuple[list[int], int, int]:
        loop = asyncio.get_running_loop()
        closing = asyncio.Event()
        opened = [loop.create_future() for _ in range(3)]
        threads_before = threading.active_count()
        tasks, statuses = [], []
        for future in opened:  # one after another: each stream's thread is back before the next
            tasks.append(asyncio.create_task(follow(future, closing)))
            statuses.append(await future)
        await asyncio.sleep(0.2)
        gc.collect()
        requests = sum(
            1
            for thing in gc.get_objects()
            if issubclass(type(thing), HttpRequest) and vars(thing).get("path") == path
        )
        threads_open = threading.active_count() - threads_before
        closing.set()
        await asyncio.gather(*tasks)
        return statuses, requests, threads_open

    statuses, requests, extra_threads = run_async(visit)
    assert statuses == [200, 200, 200]
    assert requests == 0, "an open stream keeps its request alive"
    assert extra_threads <= 1  # the pool keeps the one thread that answered them in turn
