"""A real SMTP server (aiosmtpd) on a free port, with Django's SMTP backend pointed at it: for the
notification tests and any other test that reads the mail Masthead sends."""

from __future__ import annotations

import email
import email.policy
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from tests.helpers import free_port


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


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    """A running aiosmtpd on a free port; Django's SMTP backend points at it."""
    yield from running_smtp_sink()


def bodies(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None, "both parts are present"
    return text.get_content(), html.get_content()
