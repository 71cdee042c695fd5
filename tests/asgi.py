"""Requests straight through `masthead.asgi.application`, the app uvicorn serves (no server, no client)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


def run_async(make: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine to completion on an event loop of its own, in a thread of its own: a browser
    test earlier in the same process leaves Playwright's loop running in the main thread, where
    asyncio.run() refuses to start."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        async def main() -> T:
            return await make()

        try:
            outcome["value"] = asyncio.run(main())
        except BaseException as exc:  # handed to the caller's thread
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="test-event-loop")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]  # type: ignore[no-any-return]


@dataclass
class AsgiResponse:
    status: int
    headers: dict[str, str]
    cookies: dict[str, str]
    body: bytes


async def asgi_request(
    method: str,
    path: str,
    query: str = "",
    *,
    host: str = "testserver",
    headers: dict[str, str] | None = None,
    body: bytes = b"",
) -> AsgiResponse:
    from masthead.asgi import application

    raw_headers = [(b"host", host.encode())]
    raw_headers += [
        (name.lower().encode(), value.encode()) for name, value in (headers or {}).items()
    ]
    if body:
        raw_headers.append((b"content-length", str(len(body)).encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": raw_headers,
        "client": ("192.0.2.5", 5000),
        "server": ("testserver", 80),
    }
    messages: list[dict[str, Any]] = []
    finished = asyncio.Event()
    calls = 0

    async def receive() -> dict[str, Any]:
        nonlocal calls
        calls += 1
        if calls == 1:
            return {"type": "http.request", "body": body, "more_body": False}
        await finished.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    await application(scope, receive, send)
    finished.set()
    start = messages[0]
    found: dict[str, str] = {}
    cookies: dict[str, str] = {}
    for name, value in start["headers"]:
        key, text = name.decode().lower(), value.decode("latin1")
        if key == "set-cookie":
            cookie_name, _, rest = text.partition("=")
            cookies[cookie_name] = rest.split(";", 1)[0]
        found[key] = text
    content = b"".join(message.get("body", b"") for message in messages[1:])
    return AsgiResponse(start["status"], found, cookies, content)


def asgi_get(
    path: str, query: str = "", host: str = "testserver"
) -> tuple[int, dict[str, str], bytes]:
    """One GET, run in its own event loop: (status, lower-cased headers, body)."""
    response = run_async(lambda: asgi_request("GET", path, query, host=host))
    return response.status, response.headers, response.body
