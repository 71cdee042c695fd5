"""Debian's nginx, started with the shipped deploy/nginx/masthead.conf, in front of two web
processes started as deploy/systemd's units start them, on one PostgreSQL database, one Redis and
one data directory: the layout of docs/deploy.md, on loopback.
A reader's article page, a guest comment and a live event stream go through it, over TLS and
HTTP/2 where a browser would; static files and uploads come from the data directory.

The site file is the shipped one with only its addresses, ports and paths changed (`site_config`
fails when one of the lines it changes is gone), and the commands are the units' ExecStart= lines,
so what is tested is what is shipped.

Runs once, in the PostgreSQL pass (`make test-postgres`): it makes a database of its own on that
server and uses no test database, so the SQLite pass has nothing to add and skips it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.client
import json
import os
import secrets
import shlex
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.helpers import (
    EventStream,
    ServerReader,
    free_port,
    masthead_process_env,
    open_discussion,
    stop_process,
    worker_redis_db,
)

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "deploy" / "nginx" / "masthead.conf"
UNITS = ROOT / "deploy" / "systemd"
# The address the test's reader connects from: nginx sees it, and must be what Masthead sees.
READER_ADDRESS = "127.0.0.2"
FORGED_ADDRESS = "198.51.100.7"


def nginx_binary() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


def unit_commands(unit: str, instance: str = "") -> list[list[str]]:
    """The ExecStart= commands of a deploy/systemd unit, run from this virtualenv: its %i is
    `instance`, and a web process runs one uvicorn worker."""
    commands = []
    for line in (UNITS / unit).read_text().splitlines():
        if line.startswith("ExecStart="):
            command = line.removeprefix("ExecStart=").replace("%i", instance)
            command = command.replace("${MASTHEAD_WEB_WORKERS}", "1")
            command = command.replace("/opt/masthead/venv/bin/", "")
            commands.append(shlex.split(command))
    assert commands, f"{unit} has no ExecStart="
    venv_bin = Path(sys.executable).parent
    return [[str(venv_bin / words[0]), *words[1:]] for words in commands]


def site_config(
    shipped: str,
    *,
    upstream_ports: list[int],
    http_port: int,
    https_port: int,
    plain_port: int,
    data_dir: Path,
    certificate: Path,
    key: Path,
    acme_dir: Path,
) -> str:
    """The shipped site with loopback ports and the test's paths. The TLS server also listens on a
    plain port: the event stream helper speaks plain HTTP, and the locations are the same."""
    upstreams = "".join(f"    server 127.0.0.1:{port};\n" for port in upstream_ports)
    replacements = [
        ("    server 127.0.0.1:8001;\n    server 127.0.0.1:8002;\n", upstreams),
        ("    listen 80;\n    listen [::]:80;\n", f"    listen 127.0.0.1:{http_port};\n"),
        (
            "    listen 443 ssl http2;\n    listen [::]:443 ssl http2;\n",
            f"    listen 127.0.0.1:{https_port} ssl http2;\n    listen 127.0.0.1:{plain_port};\n",
        ),
        ("/etc/ssl/masthead/fullchain.pem", str(certificate)),
        ("/etc/ssl/masthead/privkey.pem", str(key)),
        ("root /var/lib/masthead;", f"root {data_dir};"),
        ("root /var/www/html;", f"root {acme_dir};"),
    ]
    text = shipped
    for old, new in replacements:
        assert old in text, f"deploy/nginx/masthead.conf no longer has {old!r}"
        text = text.replace(old, new)
    return text


def main_config(site: Path, work: Path) -> str:
    """nginx.conf around the site, everything it writes kept in `work`."""
    user = "user root root;\n" if os.geteuid() == 0 else ""  # the workers read the test's files
    temp = "".join(
        f"    {name}_temp_path {work / name};\n"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes 1;\npid {work / 'nginx.pid'};\n"
        f"error_log {work / 'error.log'} info;\n"
        "events { worker_connections 512; }\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        "    default_type application/octet-stream;\n"
        "    sendfile on;\n"
        f"    access_log {work / 'access.log'};\n"
        f"{temp}"
        f"    include {site};\n"
        "}\n"
    )


def self_signed_certificate(work: Path) -> tuple[Path, Path]:
    certificate, key = work / "fullchain.pem", work / "privkey.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
        ],
        check=True,
        capture_output=True,
    )
    return certificate, key


def wait_for_port(port: int, process: subprocess.Popen[str], what: str) -> None:
    deadline = time.monotonic() + 180  # a busy machine migrates and collects slowly
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        if process.poll() is not None:
            break
        time.sleep(0.1)
    raise AssertionError(f"{what} did not start listening on {port}: {stop_process(process)}")


@dataclass
class Stack:
    """nginx on three loopback ports in front of two web processes on one database, one Redis
    and one data directory."""

    data_dir: Path
    work: Path
    secret_key: str
    database_url: str
    certificate: Path
    http_port: int = field(default_factory=free_port)
    https_port: int = field(default_factory=free_port)
    plain_port: int = field(default_factory=free_port)
    web_ports: list[int] = field(default_factory=lambda: [free_port(), free_port()])
    processes: list[subprocess.Popen[str]] = field(default_factory=list)

    @property
    def https(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    @property
    def plain(self) -> str:
        return f"http://127.0.0.1:{self.plain_port}"

    def tls_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.certificate))

    def browser(self) -> ServerReader:
        """A reader's browser on https://, connecting from READER_ADDRESS, whose requests claim
        another address in X-Forwarded-For (which Masthead must pass over)."""
        reader = ServerReader(self.https)
        reader.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(reader.jar),
            HttpsFrom(READER_ADDRESS, self.tls_context()),
        )
        reader.opener.addheaders = [
            ("Origin", self.https),
            ("X-Forwarded-For", FORGED_ADDRESS),
            ("User-Agent", "Masthead deploy test"),
        ]
        return reader


class HttpsFrom(urllib.request.HTTPSHandler):
    """urllib's HTTPS from a chosen local address."""

    def __init__(self, source: str, context: ssl.SSLContext) -> None:
        super().__init__(context=context)
        self.source = source
        self.tls = context

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        connection = functools.partial(http.client.HTTPSConnection, source_address=(self.source, 0))
        return self.do_open(connection, req, context=self.tls)  # type: ignore[arg-type]


def postgres_server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip(
            "runs once, in the PostgreSQL pass (make test-postgres): the deploy layout is "
            "PostgreSQL + Redis, on a database the test makes itself"
        )
    return url


def deploy_redis_url() -> str:
    url = os.environ.get("MASTHEAD_TEST_REDIS_URL", "")
    if not url:
        pytest.skip("MASTHEAD_TEST_REDIS_URL is not set (make test sets it)")
    # A database number of its own (the other Redis tests use theirs; a second worker's copy of the
    # stack another), emptied first.
    parts = urlsplit(url)
    own = urlunsplit((parts.scheme, parts.netloc, f"/{worker_redis_db(13)}", "", ""))
    import redis

    redis.Redis.from_url(own).flushdb()
    return own


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not Path(nginx_binary()).exists():
        pytest.skip("nginx is not installed (scripts/ensure-services.sh installs Debian's)")
    import psycopg

    server_url = postgres_server_url()
    redis_url = deploy_redis_url()
    name = f"test_deploy_{secrets.token_hex(4)}"
    admin = with_database(server_url, "postgres")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    work = tmp_path_factory.mktemp("deploy")
    certificate, key = self_signed_certificate(work)
    running = Stack(
        data_dir=work / "data",
        work=work,
        secret_key=secrets.token_urlsafe(50),
        database_url=with_database(server_url, name),
        certificate=certificate,
    )
    env = {
        **masthead_process_env(running.data_dir),
        "DATABASE_URL": running.database_url,
        "REDIS_URL": redis_url,
        "MASTHEAD_SECRET_KEY": running.secret_key,
        "MASTHEAD_BASE_URL": running.https,
        "MASTHEAD_TRUSTED_PROXIES": "127.0.0.1",
        "MASTHEAD_HTTPS": "1",
        # A browser on a port other than 443 says so in Origin; nginx's Host ($host) has no port.
        "MASTHEAD_CSRF_TRUSTED_ORIGINS": running.https,
        "MASTHEAD_LIVE_HEARTBEAT_SECONDS": "1",
    }
    try:
        # As deploy/systemd does it: masthead-migrate.service's commands once, then (for the
        # test) the demo content, then two masthead-web@PORT processes on one data directory.
        demo = [sys.executable, "-m", "masthead.cli", "demo"]
        for command in [*unit_commands("masthead-migrate.service"), demo]:
            done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
            assert done.returncode == 0, f"{command} failed: {done.stdout}{done.stderr}"
        for port in running.web_ports:
            (command,) = unit_commands("masthead-web@.service", instance=str(port))
            web = subprocess.Popen(
                command,
                env=env,
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            running.processes.append(web)
        for port, web in zip(running.web_ports, running.processes, strict=True):
            wait_for_port(port, web, "masthead-web@.service's command")
        site = work / "masthead.conf"
        site.write_text(
            site_config(
                SHIPPED.read_text(),
                upstream_ports=running.web_ports,
                http_port=running.http_port,
                https_port=running.https_port,
                plain_port=running.plain_port,
                data_dir=running.data_dir,
                certificate=certificate,
                key=key,
                acme_dir=work,
            )
        )
        conf = work / "nginx.conf"
        conf.write_text(main_config(site, work))
        nginx = subprocess.Popen(
            [
                nginx_binary(),
                "-c",
                str(conf),
                "-p",
                str(work),
                "-e",
                str(work / "error.log"),
                "-g",
                "daemon off;",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        running.processes.append(nginx)
        for port in (running.http_port, running.https_port, running.plain_port):
            wait_for_port(port, nginx, "nginx")
        yield running
    finally:
        for process in reversed(running.processes):
            stop_process(process)
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def open_thread(stack: Stack) -> tuple[int, str]:
    """The demo's first article with an open discussion, found through nginx."""
    return open_discussion(stack.plain)


def salted_hash(value: str, secret_key: str) -> str:
    """core.hashing.salted_hash with the stack's key (this process has another SECRET_KEY)."""
    salt = secret_key.encode()
    return hashlib.blake2b(value.encode(), key=salt[:64], digest_size=16).hexdigest()


def stored_ip_hash(stack: Stack, comment_id: int) -> str:
    import psycopg

    with psycopg.connect(stack.database_url) as connection:
        row = connection.execute(
            "SELECT ip_hash FROM discussion_comment WHERE id = %s", [comment_id]
        ).fetchone()
    assert row is not None
    return str(row[0])


def wait_for(stream: EventStream, kind: str, timeout: float = 10.0) -> dict[str, Any] | None:
    deadline = time.monotonic() + timeout
    while (event := stream.next_event(max(0.0, deadline - time.monotonic()))) is not None:
        if event["event"] == kind:
            return event
    return None


def heartbeat_follows(stream: EventStream, timeout: float = 5.0) -> bool:
    """Whether a heartbeat line arrives within `timeout`: the stream is still open."""
    before = len(stream.comments)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if stream.next_event(0.5) is None and len(stream.comments) == before:
            time.sleep(0.05)  # a stream that ended answers at once
        if len(stream.comments) > before:
            return True
    return False


def test_a_page_a_guest_comment_and_its_live_event_go_through_nginx(stack: Stack) -> None:
    """Two streams (nginx hands them to both web processes) receive the comment a reader posts
    over HTTPS, while they stay open; Masthead records the address nginx saw, not the one the
    client claimed."""
    thread_id, path = open_thread(stack)
    streams = [EventStream(stack.plain, f"/api/v1/threads/{thread_id}/events") for _ in range(2)]
    try:
        for stream in streams:
            assert stream.status == 200
            assert stream.headers["Content-Type"].startswith("text/event-stream")
        reader = stack.browser()
        with reader.opener.open(stack.https + path, timeout=15) as response:
            assert response.status == 200
            assert response.headers["Content-Type"].startswith("text/html")
            assert f'data-thread-id="{thread_id}"' in response.read().decode()

        body = f"Read through the proxy {secrets.token_hex(4)}."
        status, posted = reader.comment(thread_id, body, "Nora Proxy")
        assert status == 201, posted
        assert posted["status"] == "approved"

        for stream in streams:
            event = wait_for(stream, "comment")
            assert event is not None, "the comment never reached a stream through nginx"
            assert event["data"]["id"] == posted["id"]
            assert heartbeat_follows(stream), "the stream did not stay open after the event"
    finally:
        for stream in streams:
            stream.close()

    seen = stored_ip_hash(stack, posted["id"])
    assert seen == salted_hash(READER_ADDRESS, stack.secret_key), (
        "Masthead did not record the address nginx saw"
    )
    assert seen != salted_hash(FORGED_ADDRESS, stack.secret_key)


def test_https_speaks_http2_and_masthead_knows_the_request_was_secure(stack: Stack) -> None:
    """TLS ends at nginx; X-Forwarded-Proto from it (a trusted proxy) makes the request secure
    for Masthead, which then sends HSTS. The plain listener's requests are not secure."""
    context = stack.tls_context()
    context.set_alpn_protocols(["h2", "http/1.1"])
    with (
        socket.create_connection(("127.0.0.1", stack.https_port), 5) as raw,
        context.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        assert tls.selected_alpn_protocol() == "h2"

    with stack.browser().opener.open(stack.https + "/", timeout=15) as response:
        assert response.status == 200
        assert "max-age=" in response.headers["Strict-Transport-Security"]
    with urllib.request.urlopen(stack.plain + "/", timeout=15) as response:
        assert response.status == 200
        assert response.headers["Strict-Transport-Security"] is None


def test_plain_http_is_sent_to_https(stack: Stack) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", stack.http_port, timeout=10)
    try:
        connection.request("GET", "/news/some-story/?ref=mail")
        response = connection.getresponse()
        assert response.status == 301
        assert response.headers["Location"] == "https://127.0.0.1/news/some-story/?ref=mail"
    finally:
        connection.close()


def fetch(url: str, **headers: str) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=15) as response:
        return response.status, response.headers, response.read()


def test_static_files_and_uploads_come_from_the_data_directory(stack: Stack) -> None:
    """nginx answers them itself: none of Masthead's response headers, its own caching."""
    manifest = json.loads((stack.data_dir / "static" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["discussion/discussion.js"]
    status, headers, body = fetch(f"{stack.plain}/static/{hashed}")
    assert status == 200
    assert body == (stack.data_dir / "static" / hashed).read_bytes()
    assert headers.get_all("Cache-Control") == ["public, max-age=31536000, immutable"]
    assert "Referrer-Policy" not in headers, "Masthead answered, not nginx"
    status, headers, _ = fetch(f"{stack.plain}/static/{hashed}", **{"Accept-Encoding": "gzip"})
    assert headers.get("Content-Encoding") == "gzip", "the precompressed file is sent"

    image = sorted((stack.data_dir / "media" / "original_images").iterdir())[0]
    status, headers, body = fetch(f"{stack.plain}/media/original_images/{image.name}")
    assert status == 200
    assert headers["Content-Type"].startswith("image/")
    assert body == image.read_bytes()
    assert "sandbox" in headers["Content-Security-Policy"]
    assert "Referrer-Policy" not in headers


def test_a_body_too_large_for_masthead_gets_its_json_answer_not_nginx_s(stack: Stack) -> None:
    """nginx's client_max_body_size sits above Masthead's own limit for JSON (2.5 MB), so the
    reader's page gets the API's error shape."""
    thread_id, _ = open_thread(stack)
    reader = stack.browser()
    reader.call("GET", f"/api/v1/threads/{thread_id}/me")
    status, answer = reader.call(
        "POST", f"/api/v1/threads/{thread_id}/comments", {"body": "x" * 3_000_000, "name": "Big"}
    )
    assert status == 413
    assert answer["error"] == "too_large"
