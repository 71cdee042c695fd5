"""A worker process killed in the middle of a fan-out: the restarted drain neither loses nor repeats.

The worker sends over several SMTP connections at once, so at most one message per connection was in
flight when it died; those are recorded as uncertain and never sent again.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from masthead.notifications.delivery import deliver_due
from masthead.notifications.models import Notification, NotificationStatus
from tests.helpers import free_port
from tests.notifications.conftest import confirmed, post
from tests.notifications.smtp_support import CollectingHandler, SmtpSink

ROOT = Path(__file__).resolve().parents[2]
SUBSCRIBERS = 120


class SlowHandler(CollectingHandler):
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(0.02)  # a slow mail server keeps the worker busy long enough to kill it
        return await super().handle_DATA(server, session, envelope)


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_killed_worker_then_restart_sends_each_notification_at_most_once(a_thread: Any) -> None:
    sink = SmtpSink(free_port(), handler=SlowHandler())
    sink.start()
    try:
        emails = [f"fan{n}@example.org" for n in range(SUBSCRIBERS)]
        for email in emails:
            confirmed(a_thread, email, "all")
        dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
        with override_settings(TASKS=dummy, RATELIMIT_ENABLED=False):
            comment = post(
                a_thread,
                "Sent by a worker that dies.",
                name="W",
                email="w@example.org",
                notify="none",
            )
        assert Notification.objects.filter(comment=comment, status="pending").count() == SUBSCRIBERS

        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "masthead.settings.base",
            "DATABASE_URL": database_url(),
            "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
            "MASTHEAD_DATA_DIR": str(settings.DATA_DIR),
        }
        code = "from masthead.notifications.delivery import deliver_due; deliver_due()"
        worker = subprocess.Popen(
            [sys.executable, "-m", "masthead.cli", "manage", "shell", "-c", code], env=env, cwd=ROOT
        )
        deadline = time.monotonic() + 120
        while len(sink.messages) < 20 and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.02)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        sent_before = len(sink.messages)
        assert 0 < sent_before < SUBSCRIBERS, "the worker died in the middle of the fan-out"

        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=sink.port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
        ):
            deliver_due(now=timezone.now() + timedelta(hours=1))  # after the claim timeout
    finally:
        sink.stop()
    received = Counter(str(m["To"]) for m in sink.messages)
    rows = Counter(Notification.objects.filter(comment=comment).values_list("status", flat=True))
    assert max(received.values()) == 1, "nobody got the notification twice"
    in_flight = (
        settings.NOTIFICATIONS_SMTP_CONNECTIONS
        if hasattr(settings, "NOTIFICATIONS_SMTP_CONNECTIONS")
        else 4
    )
    assert rows[NotificationStatus.UNCERTAIN] <= in_flight, "only messages in flight are in doubt"
    assert rows[NotificationStatus.SENT] + rows[NotificationStatus.UNCERTAIN] == SUBSCRIBERS
    assert set(received) | set(
        Notification.objects.filter(comment=comment, status="uncertain").values_list(
            "address__email", flat=True
        )
    ) == set(emails), "nothing lost"
