"""A real `masthead run` on loopback believes X-Forwarded-For only from MASTHEAD_TRUSTED_PROXIES.

uvicorn rewrites the client address from X-Forwarded-For by itself when the peer is 127.0.0.1 (its
`proxy_headers` default), so with no trusted proxies configured a client on the same machine (or any
client behind a local proxy that passes the header through) could pick a fresh address for every
request and step around the per-IP rate limits and vote de-duplication.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import free_port, masthead_process_env


class Server:
    def __init__(self, data_dir: Path, trusted: str) -> None:
        self.port = free_port()
        env = {
            **masthead_process_env(data_dir),
            "MASTHEAD_TRUSTED_PROXIES": trusted,
            "MASTHEAD_RATELIMIT_ENABLED": "1",
            # Per hour, not the default 20 a minute: a loaded machine may take over a minute for 22
            # posts, and the limit under test would slide away from under it.
            "MASTHEAD_DISCUSSION_RATES": "post_ip=5/h",
        }
        env.pop("FORWARDED_ALLOW_IPS", None)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "masthead.cli",
                "run",
                "--port",
                str(self.port),
                "--workers",
                "1",
                "--no-worker",
            ],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(300):
            try:
                with urllib.request.urlopen(self.base + "/", timeout=2):
                    return
            except Exception:
                if self.process.poll() is not None:
                    break
                time.sleep(0.5)
        self.stop()
        raise AssertionError(f"masthead run did not start: {self.output}")

    output = ""

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.output, _ = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.output, _ = self.process.communicate()

    def call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        opener: urllib.request.OpenerDirector | None = None,
    ) -> tuple[int, dict[str, Any]]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.base + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        try:
            with (opener or urllib.request.build_opener()).open(request, timeout=10) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")


def _browser() -> tuple[urllib.request.OpenerDirector, CookieJar]:
    jar = CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar


def _csrf(jar: CookieJar) -> str:
    return next(cookie.value for cookie in jar if cookie.name == "csrftoken") or ""


def _a_thread(server: Server) -> int:
    """The thread of the demo's first article with an open discussion."""
    with urllib.request.urlopen(server.base + "/", timeout=10) as response:
        home = response.read().decode()
    import re

    for path in dict.fromkeys(re.findall(r'href="(/[a-z0-9-]+/[a-z0-9-]+/)"', home)):
        status, thread = server.call("GET", f"/api/v1/threads?url={path}")
        if status == 200 and thread["is_open"]:
            return int(thread["id"])
    raise AssertionError("no open discussion in the demo content")


@pytest.fixture(scope="module")
def untrusting_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = Server(tmp_path_factory.mktemp("untrusting") / "data", trusted="")
    yield server
    server.stop()


@pytest.fixture
def loopback_proxy_server(tmp_path: Path) -> Iterator[Server]:
    server = Server(tmp_path / "data", trusted="127.0.0.1")
    yield server
    server.stop()


def _post_from_fresh_browsers(server: Server, thread: int, count: int, tag: str) -> list[int]:
    statuses = []
    for n in range(count):
        opener, jar = _browser()  # a fresh guest every time: only the address ties them together
        server.call("GET", f"/api/v1/threads/{thread}/me", opener=opener)
        status, _ = server.call(
            "POST",
            f"/api/v1/threads/{thread}/comments",
            {
                "body": f"Comment {tag} number {n} about the council budget.",
                "name": f"Reader {n}",
                "email": f"reader-{tag}-{n}@example.org",
            },
            headers={"X-CSRFToken": _csrf(jar), "X-Forwarded-For": f"198.51.{n}.{n + 7}"},
            opener=opener,
        )
        statuses.append(status)
    return statuses


def _a_public_comment(server: Server, thread: int) -> dict[str, Any]:
    status, page = server.call("GET", f"/api/v1/threads/{thread}/comments?sort=oldest")
    assert status == 200
    public = [item for item in page["items"] if item["status"] == "approved"]
    assert public, "the demo thread has approved comments"
    return public[0]


def test_forwarded_for_from_loopback_is_ignored_without_trusted_proxies(
    untrusting_server: Server,
) -> None:
    server = untrusting_server
    thread = _a_thread(server)
    statuses = _post_from_fresh_browsers(server, thread, 7, "untrusted")
    assert statuses[:5] == [201] * 5, statuses
    assert statuses[5:] == [429, 429], "the per-IP limit (5 an hour here) still applies"


def test_votes_from_fresh_cookies_count_once_whatever_forwarded_for_says(
    untrusting_server: Server,
) -> None:
    server = untrusting_server
    thread = _a_thread(server)
    comment = _a_public_comment(server, thread)
    before = comment["upvotes"]
    for n in range(6):
        opener, jar = _browser()
        server.call("GET", f"/api/v1/threads/{thread}/me", opener=opener)
        server.call(
            "PUT",
            f"/api/v1/comments/{comment['id']}/vote",
            {"value": 1},
            headers={"X-CSRFToken": _csrf(jar), "X-Forwarded-For": f"203.0.113.{n + 1}"},
            opener=opener,
        )
    after = next(
        item
        for item in server.call("GET", f"/api/v1/threads/{thread}/comments?sort=oldest&limit=all")[
            1
        ]["items"]
        if item["id"] == comment["id"]
    )
    assert after["upvotes"] == before + 1, "one address, one vote"


def test_forwarded_for_is_believed_from_a_configured_proxy(
    loopback_proxy_server: Server,
) -> None:
    server = loopback_proxy_server
    thread = _a_thread(server)
    statuses = _post_from_fresh_browsers(server, thread, 7, "proxied")
    assert statuses == [201] * 7, "each forwarded client has its own limit (5 an hour here)"
