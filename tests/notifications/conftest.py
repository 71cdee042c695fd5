"""A real SMTP server (aiosmtpd) for the notification tests, and helpers that post through discussion."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class CollectingHandler:
    """Accepts every message, except recipients containing 'bounce' (550) or 'greylist' (451)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if "bounce" in address:
            return "550 5.1.1 No such user here"
        if "greylist" in address:
            return "451 4.7.1 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


@dataclass
class SmtpSink:
    port: int
    handler: CollectingHandler = field(default_factory=CollectingHandler)
    controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        with self.handler.lock:
            return list(self.handler.messages)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]

    def clear(self) -> None:
        with self.handler.lock:
            self.handler.messages.clear()


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    """A running aiosmtpd on a free port; Django's SMTP backend points at it."""
    yield from running_smtp_sink()


def running_smtp_sink() -> Iterator[SmtpSink]:
    """What the `smtp` fixture yields, for test modules elsewhere that want the same sink."""
    sink = SmtpSink(free_port())
    sink.start()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=sink.port,
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_TIMEOUT=5,
        DEFAULT_FROM_EMAIL="The Courier <news@courier.example>",
        SITE_NAME="The Courier",
        MASTHEAD_BASE_URL="http://testserver",
        RATELIMIT_ENABLED=False,
    ):
        yield sink
    sink.stop()


_counter = iter(range(1, 10**9))


def guest(name: str = "reader") -> Any:
    from masthead.core.actors import Actor

    n = next(_counter)
    return Actor(guest_key=f"guest-{name}-{n}", ip=f"198.51.100.{n % 250}", ip_hash=f"iphash-{n}")


def member(user: Any) -> Any:
    from masthead.core.actors import Actor

    n = next(_counter)
    return Actor(user=user, ip=f"203.0.113.{n % 250}", ip_hash=f"member-{n}")


def post(
    thread: Any,
    body: str,
    *,
    name: str = "Reader",
    email: str = "",
    parent: Any = None,
    notify: str | None = None,
    actor: Any = None,
) -> Any:
    """Post through the discussion's real action (signals, outbox and all), running on-commit work."""
    from django.db import connection

    from masthead.discussion.actions import post_comment
    from masthead.discussion.inputs import CommentInput

    data = CommentInput(
        body=body,
        parent_id=parent.pk if parent is not None else None,
        name=name,
        email=email,
        notify=notify,
    )
    callbacks_before = len(connection.run_on_commit)
    comment = post_comment(actor or guest(name), thread, data)
    run_on_commit(callbacks_before)
    return comment


def run_on_commit(start: int = 0) -> None:
    """Run the on-commit callbacks queued inside the test's transaction, as a real commit would."""
    from django.db import connection

    callbacks = connection.run_on_commit[start:]
    del connection.run_on_commit[start:]
    for _, callback, _robust in callbacks:
        callback()


def bodies(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None, "both parts are present"
    return text.get_content(), html.get_content()
