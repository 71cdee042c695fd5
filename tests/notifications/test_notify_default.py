"""Subscribing to replies is opt-in: a commenter who gives an email but does not choose gets nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from masthead.notifications.models import Subscription
from tests.helpers import Reader
from tests.notifications.smtp_support import SmtpSink

pytestmark = pytest.mark.django_db


def subscriptions_of(email: str) -> list[str]:
    return list(Subscription.objects.filter(address__email=email).values_list("kind", flat=True))


def test_an_api_comment_without_a_choice_subscribes_nobody(
    a_thread: Any, smtp: SmtpSink, django_capture_on_commit_callbacks: Any
) -> None:
    reader = Reader()
    with django_capture_on_commit_callbacks(execute=True):
        response = reader.comment(a_thread.pk, "No mail, thanks.", email="quiet@example.org")
    assert response.status_code == 201, response.content
    assert subscriptions_of("quiet@example.org") == []
    assert smtp.to("quiet@example.org") == [], "no confirmation email either"

    with django_capture_on_commit_callbacks(execute=True):
        response = reader.comment(
            a_thread.pk, "Now tell me.", email="asks@example.org", notify="replies"
        )
    assert response.status_code == 201, response.content
    assert subscriptions_of("asks@example.org") == ["replies"]
    assert len(smtp.to("asks@example.org")) == 1, "asking still sends the confirmation"


def _notify_select(html: str) -> str:
    found = re.search(r'<select name="notify">(.*?)</select>', html, re.S)
    assert found, "the comment form offers the choice"
    return found.group(1)


def test_the_comment_form_starts_on_nothing(a_thread: Any, an_article: Any) -> None:
    options = _notify_select(Client().get(an_article.url).content.decode())
    selected = re.findall(r'<option value="(\w+)"[^>]*\sselected', options)
    assert selected == ["none"]


def test_the_form_without_javascript_subscribes_only_on_request(
    a_thread: Any, smtp: SmtpSink, django_capture_on_commit_callbacks: Any
) -> None:
    for email, notify in (("unset@example.org", None), ("nothing@example.org", "none")):
        data = {"body": f"From the form ({email})", "name": "Nora", "email": email}
        if notify is not None:
            data["notify"] = notify
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post(
                f"/discussion/threads/{a_thread.pk}/post/", data, HTTP_ORIGIN="http://testserver"
            )
        assert response.status_code == 303, response.content[:300]
        assert subscriptions_of(email) == []
        assert smtp.to(email) == []
