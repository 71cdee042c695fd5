"""Two Masthead hosts of one site: two `masthead run` processes, each with a data directory of its
own, sharing one PostgreSQL database, one Redis and the secret key, as two web machines behind a
load balancer would (README "Scaling out"). A reader on host B sees a comment posted on host A
within a second, a page cached on B is invalidated by a post on A, and rate limits count across
both.

The test itself plays the load balancer: both hosts trust 127.0.0.1 as a proxy
(MASTHEAD_TRUSTED_PROXIES) and each test sends its own client address in X-Forwarded-For, so the
tests' posts never count against each other's limits.

These tests make their own database (`masthead_twohosts_<pid>`) and Redis database (14; 12 on a second xdist worker), so they
would be the same in both passes of `make test`: they run in the PostgreSQL pass only, where
DATABASE_URL names the server to make the database on (its address and credentials are used, none
are written here) and a PostgreSQL server is known to be up; the SQLite pass, which a developer may
run without PostgreSQL, skips them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.helpers import (
    EventStream,
    MastheadServer,
    ServerReader,
    masthead_process_env,
    worker_redis_db,
)

DATABASE_URL = os.environ.get("DATABASE_URL", "")

pytestmark = [
    pytest.mark.service,
    pytest.mark.skipif(
        not DATABASE_URL.startswith(("postgres://", "postgresql://")),
        reason="two hosts need PostgreSQL: run in the PostgreSQL pass (DATABASE_URL set)",
    ),
]

# The suite's other Redis tests use MASTHEAD_TEST_REDIS_URL's database (15); this module 14 (12 on
# the second xdist worker: both may start a pair of hosts).
REDIS_DB = worker_redis_db(14)
COMMENT_RATE = 4  # comments an hour from one client address, across both hosts


@dataclass
class TwoHosts:
    a: MastheadServer
    b: MastheadServer
    thread_id: int
    article_path: str


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def shared_redis_url() -> str:
    """MASTHEAD_TEST_REDIS_URL's server (make test sets it), database 14; else the local default."""
    configured = os.environ.get("MASTHEAD_TEST_REDIS_URL", "") or "redis://127.0.0.1:6379/15"
    return urlunsplit(urlsplit(configured)._replace(path=f"/{REDIS_DB}"))


@pytest.fixture(scope="module")
def shared_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database on DATABASE_URL's server; dropped afterwards."""
    import psycopg

    name = f"masthead_twohosts_{os.getpid()}"
    admin_url = with_database(DATABASE_URL, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield with_database(DATABASE_URL, name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def shared_redis() -> str:
    import redis

    url = shared_redis_url()
    redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture(scope="module")
def two_hosts(
    tmp_path_factory: pytest.TempPathFactory, shared_database: str, shared_redis: str
) -> Iterator[TwoHosts]:
    root = tmp_path_factory.mktemp("twohosts")
    shared = {
        "DATABASE_URL": shared_database,
        "REDIS_URL": shared_redis,
        # One key for the site: signed cookies, CSRF and the salted address hashes rate limits
        # count by must be the same on every host.
        "MASTHEAD_SECRET_KEY": "two-hosts-" + "k" * 50,
    }
    # The demo is loaded once, by a process of its own (an operator's `masthead demo`); its media
    # files are the storage both hosts share (a mount here, S3 in production).
    loader_dir = root / "loader"
    subprocess.run(
        [sys.executable, "-m", "masthead.cli", "demo"],
        env={**masthead_process_env(loader_dir), **shared},
        check=True,
        stdout=subprocess.DEVNULL,
    )

    def start(name: str) -> MastheadServer:
        data_dir = root / name
        data_dir.mkdir()
        (data_dir / "media").symlink_to(loader_dir / "media")
        return MastheadServer(
            data_dir,
            copy_demo=False,
            **shared,
            MASTHEAD_TRUSTED_PROXIES="127.0.0.1",
            MASTHEAD_DISCUSSION_RATES=f"post_ip={COMMENT_RATE}/h",
            MASTHEAD_LIVE_HEARTBEAT_SECONDS="0.5",
        )

    # Started side by side, as two machines would be: each migrates and makes sure of the first
    # admin in turn (masthead.cli.one_host_at_a_time), and collects its own static files.
    with ThreadPoolExecutor(2) as pool:
        starting = [pool.submit(start, name) for name in ("a", "b")]
    hosts = [future.result() for future in starting if future.exception() is None]
    try:
        for future in starting:
            future.result()  # a host that did not start fails the fixture (after the others stop)
        a, b = hosts
        thread_id, article_path = a.open_thread()
        yield TwoHosts(a, b, thread_id, article_path)
    finally:
        for host in hosts:
            host.stop()


def client(host: MastheadServer, address: str) -> ServerReader:
    """A new browser at `address`, reaching `host` through the load balancer."""
    return ServerReader(host.base, headers={"X-Forwarded-For": address})


def get_page(host: MastheadServer, path: str) -> tuple[str, str]:
    """A page as an anonymous reader gets it: its X-Page-Cache header and its HTML."""
    with urllib.request.urlopen(host.base + path, timeout=15) as response:
        return response.headers.get("X-Page-Cache", ""), response.read().decode()


def test_a_reader_on_host_b_sees_a_comment_posted_on_host_a_within_a_second(
    two_hosts: TwoHosts,
) -> None:
    stream = EventStream(two_hosts.b.base, f"/api/v1/threads/{two_hosts.thread_id}/events")
    try:
        assert stream.status == 200
        status, posted = client(two_hosts.a, "198.51.100.1").comment(
            two_hosts.thread_id, "Posted on A, read on B.", "Ada Across"
        )
        assert status == 201 and posted["status"] == "approved"
        event = stream.next_event(timeout=1.0)
        assert event is not None, "host B's stream got nothing within a second of the post on A"
        assert event["event"] == "comment"
        assert event["data"]["id"] == posted["id"]
        assert event["data"]["html"] == "<p>Posted on A, read on B.</p>"
    finally:
        stream.close()


def test_a_page_cached_on_host_b_is_invalidated_by_a_post_on_host_a(
    two_hosts: TwoHosts,
) -> None:
    b, path = two_hosts.b, two_hosts.article_path
    # Cached on B first. (A bump from elsewhere between two reads, e.g. a host finishing its start,
    # makes the second a miss once: read until B answers from its cache.)
    states = [get_page(b, path)[0] for _ in range(4)]
    assert "hit" in states[1:], states

    body = "Host B must not serve the page without me."
    status, posted = client(two_hosts.a, "198.51.100.2").comment(
        two_hosts.thread_id, body, "Bea Fresh"
    )
    assert status == 201 and posted["status"] == "approved"

    cache_state, html = get_page(b, path)
    assert cache_state != "hit", "host B served its stale copy"
    assert body in html
    again, _ = get_page(b, path)
    assert again == "hit"  # the fresh page is cached again


def wait_out_the_hour_boundary() -> None:
    """Limits count in fixed windows: don't start the count just before a new hour opens one."""
    left = 3600 - time.time() % 3600
    if left < 30:
        time.sleep(left + 1)


def test_rate_limits_count_comments_on_both_hosts_together(two_hosts: TwoHosts) -> None:
    """One client address posts to A and B in turn (a new browser each time, so only the address
    limit applies): the combined count reaches the limit, though each host saw only half of it."""
    wait_out_the_hour_boundary()
    address = "198.51.100.3"
    hosts = [two_hosts.a, two_hosts.b]
    for number in range(COMMENT_RATE):
        status, posted = client(hosts[number % 2], address).comment(
            two_hosts.thread_id, f"Comment {number} from one address.", f"Cy Count{number}"
        )
        assert status == 201, posted

    for host in hosts:  # A has seen 2 of this address's comments, B 2: both refuse the next
        status, refused = client(host, address).comment(
            two_hosts.thread_id, "One too many.", "Cy Over"
        )
        assert status == 429
        assert refused["error"] == "rate_limited"

    status, _ = client(two_hosts.b, "198.51.100.4").comment(
        two_hosts.thread_id, "Another address still may.", "Di Other"
    )
    assert status == 201


def test_each_host_keeps_only_its_own_files_in_its_data_directory(two_hosts: TwoHosts) -> None:
    """Nothing shared lives in a host's data directory: no SQLite database, no disk cache."""
    for host in (two_hosts.a, two_hosts.b):
        names = sorted(path.name for path in host.data_dir.iterdir())
        print(host.base, names)
        assert "masthead.sqlite3" not in names
        assert "diskcache" not in names
