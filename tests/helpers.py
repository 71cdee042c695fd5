"""Helpers every test directory shares (fixtures built on them live in tests/conftest.py).

One definition each: the Wagtail rows a flush removes, hostile strings, free ports, the actors
(guests and signed-in readers), a browser-like API client and the JSON error check. A helper used by
more than one test directory belongs here, never in another directory's conftest or test module.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.dispatch import Signal
from django.test import Client

from masthead.core.actors import Actor
from masthead.core.clientip import hash_ip

# --- shared test data -----------------------------------------------------------------------------

BAD_INPUTS = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "bad-inputs"
if (
    not BAD_INPUTS.exists()
):  # CI lays shared/ beside the clone; a developer checkout may have it one level up.
    BAD_INPUTS = Path(__file__).resolve().parents[1] / ".." / "shared" / "testdata" / "bad-inputs"


def hostile_strings(name: str) -> list[str]:
    """Lines of a file in shared/testdata/bad-inputs, read as its README says (never splitlines,
    never strip). A missing file fails the test: a hostile-input test that skips guards nothing."""
    path = BAD_INPUTS / name
    if not path.exists():
        pytest.fail(f"{path} is missing: the hostile-input tests need shared/testdata/bad-inputs")
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    assert lines, f"{path} is empty"
    return lines


# --- database rows and processes --------------------------------------------------------------------


def ensure_wagtail_root() -> None:
    """Transactional tests (browser, live server) flush every table when they end, which also drops
    the rows migrations made: Wagtail's root page, root collection and default site, and a locale for
    each content language (publishing migration 0006). Put back what is missing for the next test."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale, Page, Site

    have = set(Locale.objects.values_list("language_code", flat=True))
    wanted = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
    if set(wanted) - have:
        Locale.objects.bulk_create(
            [Locale(language_code=code) for code in wanted if code not in have]
        )
    if not Page.objects.filter(depth=1).exists():
        ContentType.objects.clear_cache()  # the flush re-created content types with new ids
        language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
        locale = Locale.objects.get(language_code=language)
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")
    if not Site.objects.exists():  # requests find no site: every per-site query answers nothing
        root = Page.objects.filter(depth=2).first() or Page.get_first_root_node()
        Site.objects.create(hostname="localhost", port=80, root_page=root, is_default_site=True)


def free_port() -> int:
    """A TCP port on the loopback nobody listens on (for a server a test starts)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop_process(process: Any) -> str:
    """Ask a server process (a `subprocess.Popen` in text mode) to stop, kill it after 20 s, and
    return what it printed."""
    import subprocess

    process.terminate()
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output or ""


def worker_redis_db(first: int) -> int:
    """A Redis database number for a module that starts its own stack and empties the database:
    `first` for xdist's first worker (or no xdist), two lower for each later one. A module's tests
    may be split over the workers, each then starting a stack of its own: on one database they would
    flush it under each other and read each other's cached values."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return first - 2 * int(worker.removeprefix("gw") or 0)


def masthead_process_env(data_dir: Path) -> dict[str, str]:
    """The environment for a `masthead` process of its own: this one's, minus what points elsewhere."""
    outside = {
        "DATABASE_URL",
        "REDIS_URL",
        "EMAIL_URL",
        "MASTHEAD_BASE_URL",
        "MASTHEAD_HOST",
        "MASTHEAD_PORT",
    }
    env = {key: value for key, value in os.environ.items() if key not in outside}
    env.update(
        {"MASTHEAD_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "masthead.settings.base"}
    )
    return env


def settings_process(
    data_dir: Path, variables: dict[str, str], code: str = ""
) -> subprocess.CompletedProcess[str]:
    """Set Django up in a process of its own with `variables` in its environment, then run `code`
    (print what the test compares): how the settings read the environment, from the outside."""
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**masthead_process_env(data_dir), **variables},
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_on_commit_callbacks() -> Any:
    """Run the on-commit work queued inside the block when it ends, as a real commit would: what
    pytest-django's `django_capture_on_commit_callbacks(execute=True)` gives, for helpers that are
    plain functions rather than fixtures."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


@contextlib.contextmanager
def another_postgresql_connection() -> Iterator[Any]:
    """A psycopg connection of its own (autocommit) to the test database, to see what the tested
    connection has committed or to act on it from outside."""
    import psycopg
    from django.db import connection

    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        autocommit=True,
    ) as other:
        yield other


@contextlib.contextmanager
def connected(signal: Signal, receiver: Any, **options: Any) -> Iterator[Any]:
    """`receiver` listens to `signal` inside the block only (Wagtail's register_temporarily, for signals)."""
    signal.connect(receiver, weak=False, **options)
    try:
        yield receiver
    finally:
        signal.disconnect(receiver, sender=options.get("sender"))


# --- who acts -------------------------------------------------------------------------------------

# The name and address a guest comments under unless a test says otherwise.
GUEST_NAME = "Ada"
GUEST_EMAIL = "ada@example.com"
PASSWORD = "correct horse battery"

_numbers = itertools.count(10)


def guest_actor(name: str | None = None, *, ip: str = "", key: str = "") -> Actor:
    """A guest browser at an address of its own (so rate limits and duplicate checks see distinct
    readers). The same `name` is the same guest (its cookie key); without one, a new guest each call."""
    number = next(_numbers)
    ip = ip or f"198.51.{number // 250 % 250}.{number % 250 + 1}"
    key = key or (f"key-{name}" if name is not None else f"guest{number}")
    return Actor(guest_key=key, ip=ip, ip_hash=hash_ip(ip), user_agent="pytest")


def user_actor(user: Any, *, ip: str = "") -> Actor:
    """`user` signed in, at an address of its own unless `ip` is given."""
    number = next(_numbers)
    ip = ip or f"203.0.{number // 250 % 250}.{number % 250 + 1}"
    return Actor(user=user, ip=ip, ip_hash=hash_ip(ip), user_agent="pytest")


def verify_address(user: Any) -> Any:
    """Mark the user's address verified, as a completed sign-up (allauth's EmailAddress) leaves it."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email.lower(), defaults={"verified": True, "primary": True}
    )
    return user


def a_verified_user(username: str, email: str = "", password: str = PASSWORD, **extra: Any) -> Any:
    """A reader account whose address is verified (what signing up and entering the code makes)."""
    from django.contrib.auth import get_user_model

    email = email or f"{username}@example.com"
    return verify_address(get_user_model().objects.create_user(username, email, password, **extra))


def a_moderator_user(username: str = "moderator") -> Any:
    """A verified member of the Moderators group: what "a moderator" means in every test (staff
    superusers are not moderators by rank; they are tested as such where it matters)."""
    from masthead.moderation.groups import ensure_moderators_group

    user = a_verified_user(username)
    user.groups.add(ensure_moderators_group())  # re-made if a transactional test flushed it
    return user


def make_reader(
    email: str = "rea@example.com", name: str = "Rea Der", verified: bool = True
) -> Any:
    """A reader signed up under `email`, verified through accounts' own action (with its audit row)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(email, email, PASSWORD, display_name=name)
    if verified:
        from masthead.accounts.actions import verify_email

        verify_email(user)
    return user


def comment_input(body: str = "A thoughtful comment.", **kwargs: Any) -> Any:
    """What the comment form sends, with the default guest's name and address."""
    from masthead.discussion.inputs import CommentInput

    kwargs.setdefault("name", GUEST_NAME)
    kwargs.setdefault("email", GUEST_EMAIL)
    return CommentInput(body=body, **kwargs)


def comment_as(actor: Actor, thread: Any, body: str = "A comment.", **fields: Any) -> Any:
    """A comment posted through discussion's real action."""
    from masthead.discussion.actions import post_comment

    return post_comment(actor, thread, comment_input(body, **fields))


# --- comments on passages (inline) ------------------------------------------------------------

RIVER = "The river has fallen to its lowest level in a decade, farmers say."
CANALS = "Irrigation canals that once ran all summer now dry up by June."
PRICES = "Prices of wheat in the local market have doubled since spring."


def quote(exact: str) -> dict:
    return {"selector": [{"type": "TextQuoteSelector", "exact": exact}]}


def inline_article(a_section: Any) -> Any:
    """A published article open to reader highlights, with an editor prompt."""
    from masthead.publishing.actions import create_article

    article = create_article(
        a_section,
        "Drought on the river",
        body=[
            ("paragraph", f"<p>{RIVER}</p>"),
            ("heading", {"text": "The canals", "level": "h2"}),
            ("paragraph", f"<p>{CANALS}</p>"),
            (
                "feedback_prompt",
                {
                    "paragraph": "<p>Farmers say the dam upstream holds back the spring floods.</p>",
                    "passage": "the dam upstream holds back the spring floods",
                    "question": "Has the dam changed your season?",
                },
            ),
            ("paragraph", f"<p>{PRICES}</p>"),
        ],
    )
    article.inline_highlights = "on"
    article.save_revision().publish()
    article.refresh_from_db()
    return article


def post_inline(
    thread: Any, target: Any, body: str = "Is this right?", name: str = GUEST_NAME
) -> Any:
    """Post an inline comment through the real actions, its target completed as the API does."""
    from masthead.discussion.actions import post_comment
    from masthead.discussion.inline.reanchoring import complete_comment_target
    from masthead.discussion.inputs import CommentInput

    if isinstance(target, str):
        target = quote(target)
    data = CommentInput(
        body=body,
        name=name,
        email=GUEST_EMAIL,
        target=complete_comment_target(thread, target),
    )
    return post_comment(guest_actor(), thread, data)


# --- the JSON API, as a browser calls it ------------------------------------------------------------


class Reader:
    """A browser: its own cookies (guest identity, CSRF) and its own address; same-origin JSON calls
    with the CSRF cookie and header, as discussion.js makes them."""

    def __init__(self, ip: str = "192.0.2.10", **extra: Any) -> None:
        self.client = Client(enforce_csrf_checks=True, REMOTE_ADDR=ip, **extra)
        self.token = ""

    def me(self, thread_id: int) -> dict[str, Any]:
        response = self.client.get(f"/api/v1/threads/{thread_id}/me")
        assert response.status_code == 200, response.content
        self.token = (
            response.cookies["csrftoken"].value if "csrftoken" in response.cookies else self.token
        )
        return response.json()

    def _send(
        self, method: str, path: str, data: Any = None, raw: bytes | str | None = None
    ) -> Any:
        body = raw if raw is not None else json.dumps(data if data is not None else {})
        return getattr(self.client, method)(
            path, body, content_type="application/json", HTTP_X_CSRFTOKEN=self.token
        )

    def post(self, path: str, data: Any = None, raw: bytes | str | None = None) -> Any:
        return self._send("post", path, data, raw)

    def patch(self, path: str, data: Any = None) -> Any:
        return self._send("patch", path, data)

    def put(self, path: str, data: Any = None) -> Any:
        return self._send("put", path, data)

    def delete(self, path: str) -> Any:
        return self.client.delete(path, HTTP_X_CSRFTOKEN=self.token)

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params)

    def comment(self, thread_id: int, body: str = "A comment.", **fields: Any) -> Any:
        if not self.token:
            self.me(thread_id)
        fields.setdefault("name", GUEST_NAME)
        fields.setdefault("email", GUEST_EMAIL)
        return self.post(f"/api/v1/threads/{thread_id}/comments", {"body": body, **fields})


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The response is the API's JSON error with this status and code (and a message for people)."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    data = json.loads(response.content)
    assert set(data) == {"error", "message", "fields"}, data
    assert data["error"] == code, data
    assert data["message"], data
    return data


# --- money ----------------------------------------------------------------------------------------


def make_campaign(**overrides: Any) -> Any:
    """A running campaign, made the default site's campaign if it has none."""
    from datetime import timedelta

    from django.utils import timezone
    from wagtail.models import Site

    from masthead.funding.models import Campaign, FundingSettings

    values: dict[str, Any] = {
        "title": "Keep the river desk open",
        "slug": "river-desk",
        "pitch": "Our water reporting is paid for by readers.",
        "currency": "USD",
        "goal": 500_000,
        "baseline": 10_000,
        "ends_at": timezone.now() + timedelta(days=10, hours=1),
        "minimum_amount": 300,
        "maximum_amount": 1_000_000,
    }
    values.update(overrides)
    campaign = Campaign.objects.create(**values)
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        row = FundingSettings.for_site(site)
        if row.default_campaign_id is None:
            row.default_campaign = campaign
            row.save()
    return campaign


_donation_numbers = itertools.count(1)


def monthly_donation(campaign: Any, email: str, name: str = "Rea Der") -> Any:
    """A monthly gift paid once: an active supporter (as the Stripe webhooks leave it)."""
    from django.db import transaction

    from masthead.funding import actions
    from masthead.funding.actions import DonationRequest
    from masthead.funding.models import Donation, DonationStatus, EntryKind
    from masthead.funding.providers.base import PaymentCompletion

    number = next(_donation_numbers)
    donation = actions.create_donation(
        campaign,
        DonationRequest(amount=1500, interval="month", email=email, name=name),
        livemode=False,
    )
    actions.record_completion(
        donation, PaymentCompletion(status="succeeded", subscription_id=f"sub_test_{number}")
    )
    with transaction.atomic():
        locked = Donation.objects.select_for_update().get(pk=donation.pk)
        actions.add_ledger_entry(locked, EntryKind.RECURRING, f"in_test_{number}", 1500)
        actions.transition(locked, DonationStatus.SUCCEEDED)
    return Donation.objects.get(pk=donation.pk)


def comment_and_commit(
    thread: Any,
    body: str,
    *,
    name: str = GUEST_NAME,
    email: str = "",
    parent: Any = None,
    notify: str | None = None,
    actor: Any = None,
) -> Any:
    """Post through the discussion's real action (signals, outbox and all), running on-commit work."""
    from masthead.discussion.actions import post_comment
    from masthead.discussion.inputs import CommentInput

    data = CommentInput(
        body=body,
        parent_id=parent.pk if parent is not None else None,
        name=name,
        email=email,
        notify=notify,
    )
    with run_on_commit_callbacks():
        return post_comment(actor or guest_actor(), thread, data)


# --- a real `masthead run` and its event streams (tests/live, tests/e2e/test_live.py) ------------

_DATA_TEMPLATE: dict[str, Path] = {}


def _demo_data_template() -> Path:
    """A data directory with the demo site migrated and loaded, made once per test process; each
    server gets a copy, so only the first start pays for migrations and demo content."""
    import subprocess
    import sys
    import tempfile

    if "dir" not in _DATA_TEMPLATE:
        directory = Path(tempfile.mkdtemp(prefix="masthead-live-template-")) / "data"
        subprocess.run(
            [sys.executable, "-m", "masthead.cli", "demo"],
            env=masthead_process_env(directory),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        _DATA_TEMPLATE["dir"] = directory
    return _DATA_TEMPLATE["dir"]


def open_discussion(base: str) -> tuple[int, str]:
    """The id and path of the first article on the home page at `base` whose discussion is open."""
    import re
    import urllib.request

    with urllib.request.urlopen(base + "/", timeout=10) as response:
        home = response.read().decode()
    for path in dict.fromkeys(re.findall(r'href="(/[a-z0-9-]+/[a-z0-9-]+/)"', home)):
        with urllib.request.urlopen(f"{base}/api/v1/threads?url={path}", timeout=10) as found:
            thread = json.loads(found.read())
        if thread["is_open"]:
            return int(thread["id"]), path
    raise AssertionError("no open discussion in the demo content")


class MastheadServer:
    """`masthead run` on a free loopback port with the demo site, in a data directory of its own
    (its own SQLite database: such tests run the same on either test database). Without the task
    worker (and so without the clock) unless `with_worker`; `before_start(data_dir)` may change the
    copied site before the server starts.

    `copy_demo=False` starts from an empty data directory instead, for a server whose `env` names a
    database (DATABASE_URL) that already holds the site: several hosts of one site."""

    def __init__(
        self,
        data_dir: Path,
        workers: int = 1,
        *,
        copy_demo: bool = True,
        with_worker: bool = False,
        before_start: Callable[[Path], object] | None = None,
        **env: str,
    ) -> None:
        import shutil
        import subprocess
        import sys
        import time
        import urllib.request

        self.data_dir = data_dir
        if copy_demo:
            shutil.copytree(_demo_data_template(), data_dir)
        else:
            data_dir.mkdir(parents=True, exist_ok=True)
        if before_start is not None:
            before_start(data_dir)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "masthead.cli",
                "run",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
                *([] if with_worker else ["--no-worker"]),
                "--no-demo",
            ],
            env={**masthead_process_env(data_dir), **env},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.output = ""
        for _ in range(240):
            try:
                with urllib.request.urlopen(self.base + "/", timeout=2):
                    return
            except Exception:
                if self.process.poll() is not None:
                    break
                time.sleep(0.5)
        self.stop()
        raise AssertionError(f"masthead run did not start: {self.output}")

    def stop(self) -> None:
        self.output = stop_process(self.process)

    def open_thread(self) -> tuple[int, str]:
        """The id and path of the demo's first article with an open discussion."""
        return open_discussion(self.base)

    def reader(self) -> ServerReader:
        return ServerReader(self.base)


class ServerReader:
    """A browser's cookies and CSRF token against a real server (urllib). `headers` go with every
    request (say the X-Forwarded-For a load balancer adds)."""

    def __init__(self, base: str, headers: dict[str, str] | None = None) -> None:
        import urllib.request
        from http.cookiejar import CookieJar

        self.base = base
        self.headers = dict(headers or {})
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        import urllib.error
        import urllib.request

        token = next((cookie.value for cookie in self.jar if cookie.name == "csrftoken"), "")
        request = urllib.request.Request(
            self.base + path,
            data=json.dumps(body).encode() if body is not None else None,
            method=method,
            headers={
                **self.headers,
                "Content-Type": "application/json",
                "X-CSRFToken": token or "",
            },
        )
        try:
            with self.opener.open(request, timeout=15) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def comment(self, thread_id: int, body: str, name: str = GUEST_NAME, **fields: Any) -> Any:
        self.call("GET", f"/api/v1/threads/{thread_id}/me")
        fields.setdefault("email", f"{name.split()[0].lower()}@example.com")
        return self.call(
            "POST", f"/api/v1/threads/{thread_id}/comments", {"body": body, "name": name, **fields}
        )


class EventStream:
    """A text/event-stream read as a browser's EventSource reads it: a thread reads lines into a
    queue, so waiting for the next event never leaves the connection half-read."""

    def __init__(self, base: str, path: str, headers: dict[str, str] | None = None) -> None:
        import http.client
        import queue
        import threading
        from urllib.parse import urlsplit

        address = urlsplit(base)
        self.connection = http.client.HTTPConnection(
            address.hostname or "127.0.0.1", address.port, timeout=30
        )
        self.connection.request(
            "GET", path, headers={"Accept": "text/event-stream", **(headers or {})}
        )
        self.response = self.connection.getresponse()
        self.status = self.response.status
        self.headers = dict(self.response.getheaders())
        self.comments: list[str] = []
        self.retry = ""
        self.lines: queue.Queue[str | None] = queue.Queue()
        if self.status == 200:
            threading.Thread(target=self._read, daemon=True).start()
        else:
            self.body = self.response.read()

    def _read(self) -> None:
        with contextlib.suppress(Exception):  # closed by the test, or by the server
            while raw := self.response.readline():
                self.lines.put(raw.decode().rstrip("\n"))
        self.lines.put(None)

    def next_event(self, timeout: float = 5.0) -> dict[str, Any] | None:
        """The next event as {"id", "event", "data"} (data parsed as JSON); None when none comes
        within `timeout` seconds or the stream ended."""
        import queue
        import time

        deadline = time.monotonic() + timeout
        event: dict[str, Any] = {}
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return None
            if line is None:
                self.lines.put(None)
                return None
            if line.startswith(":"):
                self.comments.append(line[1:].strip())
            elif line.startswith("retry:"):
                self.retry = line[6:].strip()
            elif line.startswith(("id:", "event:", "data:")):
                name, _, value = line.partition(":")
                event[name] = json.loads(value.strip()) if name == "data" else value.strip()
            elif line == "" and "event" in event:
                return event

    def events_until_quiet(self, quiet: float = 1.5) -> list[dict[str, Any]]:
        found = []
        while (event := self.next_event(quiet)) is not None:
            found.append(event)
        return found

    def close(self) -> None:
        import socket

        sock = self.connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self.connection.close()
