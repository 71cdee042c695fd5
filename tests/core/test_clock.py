"""The clock's round (core/clock.py), as `masthead_clock --once` runs it in process."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from wagtail import hooks

from masthead.core.hooks import EVERY_MINUTE

pytestmark = pytest.mark.django_db


def test_a_failing_periodic_job_does_not_stop_the_others(caplog: pytest.LogCaptureFixture) -> None:
    ran: list[str] = []

    def broken() -> None:
        raise RuntimeError("the outbox is on fire")

    def sweep() -> None:
        ran.append("sweep")

    with (
        hooks.register_temporarily(EVERY_MINUTE, broken),
        hooks.register_temporarily(EVERY_MINUTE, sweep),
    ):
        call_command("masthead_clock", "--once")
    assert ran == ["sweep"]
    assert "Periodic job broken failed" in caplog.text
