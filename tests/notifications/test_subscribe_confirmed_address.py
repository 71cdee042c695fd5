"""A new subscription of an address confirmed before needs its owner: their session, or one click.

Issue 13, hole 5: anyone could subscribe an already-confirmed address to any other thread, and the
subscription was active at once. Now only the signed-in owner of the verified address, or the guest
browser that confirmed it, subscribes it directly; any other request mails the address a
confirmation, and the answer to the requester is the same whatever the address's state.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from masthead.notifications.models import EmailAddress, Subscription
from tests.helpers import run_on_commit_callbacks
from tests.notifications.conftest import confirm_link
from tests.notifications.smtp_support import SmtpSink

pytestmark = pytest.mark.django_db

RANA = "rana@example.net"


@pytest.fixture
def another_thread(a_section: Any) -> Any:
    from masthead.discussion.actions import thread_for_page
    from masthead.publishing.actions import create_article

    return thread_for_page(create_article(a_section, "Dams upstream hold back the river"))


def browser(thread: Any) -> Client:
    """A guest's browser that has a CSRF token, as the article page's script gets it: from the
    thread's own /me (an unknown thread is a 404 that sets no cookie, and ids are not reused on
    PostgreSQL, so a fixed id names no thread after the first test)."""
    client = Client(enforce_csrf_checks=True)
    assert client.get(f"/api/v1/threads/{thread.pk}/me").status_code == 200
    assert "csrftoken" in client.cookies
    return client


def subscribe_as(client: Client, thread: Any, email: str) -> Any:
    token = client.cookies["csrftoken"].value
    with run_on_commit_callbacks():
        return client.post(
            "/api/v1/subscriptions",
            {"thread_id": thread.pk, "email": email, "kind": "all"},
            content_type="application/json",
            HTTP_X_CSRFTOKEN=token,
        )


def confirmed_in(client: Client, smtp: SmtpSink, thread: Any) -> None:
    """Rana subscribes in `client` and opens the confirmation link there."""
    assert subscribe_as(client, thread, RANA).status_code == 202
    link = confirm_link(smtp.to(RANA)[-1])
    token = client.cookies["csrftoken"].value
    assert client.post(link, {"csrfmiddlewaretoken": token}).status_code == 200
    assert Subscription.objects.get(thread=thread).confirmed_at is not None


def _an_hour_passes() -> None:
    EmailAddress.objects.update(confirmation_sent_at=timezone.now() - timedelta(hours=2))


def subscription(thread: Any) -> Subscription:
    return Subscription.objects.get(thread=thread, address__email=RANA, comment=None)


def test_another_browser_cannot_subscribe_a_confirmed_address_without_a_click(
    a_thread: Any, another_thread: Any, smtp: SmtpSink
) -> None:
    confirmed_in(browser(a_thread), smtp, a_thread)
    _an_hour_passes()
    smtp.clear()

    stranger = browser(another_thread)
    assert subscribe_as(stranger, another_thread, RANA).status_code == 202
    assert subscription(another_thread).confirmed_at is None
    [mail] = smtp.to(RANA)
    assert another_thread.page.title in mail.get_body(preferencelist=("plain",)).get_content()

    # Rana's one click (from her mailbox, in any browser) activates it.
    link = confirm_link(mail)
    assert Client().post(link).status_code == 200
    assert subscription(another_thread).confirmed_at is not None


def test_the_browser_that_confirmed_the_address_subscribes_it_at_once(
    a_thread: Any, another_thread: Any, smtp: SmtpSink
) -> None:
    ranas = browser(a_thread)
    confirmed_in(ranas, smtp, a_thread)
    _an_hour_passes()
    smtp.clear()
    assert subscribe_as(ranas, another_thread, RANA).status_code == 202
    assert subscription(another_thread).confirmed_at is not None
    assert smtp.to(RANA) == []


def test_the_signed_in_owner_of_the_verified_address_subscribes_it_at_once(
    a_thread: Any, another_thread: Any, smtp: SmtpSink
) -> None:
    confirmed_in(browser(a_thread), smtp, a_thread)
    _an_hour_passes()
    smtp.clear()
    from tests.helpers import verify_address

    rana = get_user_model().objects.create_user("rana", RANA, "correct horse battery")
    verify_address(rana)
    client = browser(another_thread)
    client.force_login(rana)
    client.get(f"/api/v1/threads/{another_thread.pk}/me")  # a new token for the new session
    assert subscribe_as(client, another_thread, RANA).status_code == 202
    assert subscription(another_thread).confirmed_at is not None
    assert smtp.to(RANA) == []


def test_a_comment_typed_with_a_confirmed_address_does_not_subscribe_it(
    a_thread: Any, another_thread: Any, smtp: SmtpSink
) -> None:
    """The comment form's "notify me" is a subscription request like any other."""
    from tests.helpers import Reader

    confirmed_in(browser(a_thread), smtp, a_thread)
    _an_hour_passes()
    smtp.clear()
    impostor = Reader(ip="203.0.113.44")
    response = impostor.comment(
        another_thread.pk, "Notify her of everything.", email=RANA, notify="all"
    )
    assert response.status_code == 201
    assert subscription(another_thread).confirmed_at is None


def test_the_answer_does_not_tell_whether_an_address_was_confirmed(
    a_thread: Any, another_thread: Any, smtp: SmtpSink
) -> None:
    confirmed_in(browser(a_thread), smtp, a_thread)
    _an_hour_passes()
    stranger = browser(another_thread)
    known = subscribe_as(stranger, another_thread, RANA)
    unknown = subscribe_as(stranger, another_thread, "nobody@example.net")
    assert (known.status_code, known.content) == (unknown.status_code, unknown.content)
    assert known.status_code == 202
    # Both addresses got the same kind of mail: a confirmation.
    assert [m["Subject"] for m in smtp.to(RANA)][-1] == smtp.to("nobody@example.net")[-1]["Subject"]


def test_a_subscribe_request_without_the_csrf_token_acts_for_nobody(
    a_thread: Any, another_thread: Any, smtp: SmtpSink
) -> None:
    ranas = browser(a_thread)
    confirmed_in(ranas, smtp, a_thread)
    _an_hour_passes()
    response = ranas.post(
        "/api/v1/subscriptions",
        {"thread_id": another_thread.pk, "email": RANA, "kind": "all"},
        content_type="application/json",
    )
    assert response.status_code == 202
    assert subscription(another_thread).confirmed_at is None
