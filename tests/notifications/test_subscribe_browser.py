"""A reader in a real browser follows a discussion from the form under the comments."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.notifications.smtp_support import SmtpSink

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_the_form_under_the_discussion_sends_a_confirmation(
    live_server: Any,
    page: Any,
    a_thread: Any,
    smtp: SmtpSink,
) -> None:
    page.goto(live_server.url + a_thread.page.url)
    form = page.locator("form.subscribe-form")
    form.locator("input[name=email]").fill("browser.reader@example.org")
    form.locator("select[name=kind]").select_option("all")
    form.locator("button[type=submit]").click()
    # A locator, not wait_for_function: a string predicate is eval'd, which the page's CSP refuses.
    page.locator(".subscribe-form__status", has_text="Thanks").wait_for()
    assert page.url.endswith(a_thread.page.url), "answered in place, no navigation"
    deadline = time.monotonic() + 10
    while not smtp.to("browser.reader@example.org") and time.monotonic() < deadline:
        time.sleep(0.1)
    [message] = smtp.to("browser.reader@example.org")
    assert "Confirm" in message["Subject"]
