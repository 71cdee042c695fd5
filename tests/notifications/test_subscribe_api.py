"""POST/GET /api/v1/subscriptions: double opt-in, no enumeration, rate limits, clear 4xx for bad input."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.utils import timezone

from masthead.notifications.models import EmailAddress, Subscription
from tests.helpers import a_verified_user, hostile_strings
from tests.notifications.conftest import bodies, confirm_link, post, subscribe
from tests.notifications.smtp_support import SmtpSink

URL = "/api/v1/subscriptions"


def test_guest_gets_one_confirmation_and_nothing_else_until_confirming(
    a_thread: Any, smtp: SmtpSink, client: Client
) -> None:
    response = subscribe(client, a_thread, "Guest@Example.org")
    assert response.status_code == 202
    assert response.json()["status"] == "accepted"
    [confirmation] = smtp.messages
    assert confirmation["To"] == "guest@example.org"
    assert "Confirm" in confirmation["Subject"]
    text, html = bodies(confirmation)
    assert a_thread.page.title in text and a_thread.page.title in html

    post(a_thread, "Before confirming.", name="Other", email="other@example.org")
    assert len(smtp.to("guest@example.org")) == 1, "an unconfirmed address gets nothing else"

    # Asking again within the hour (for this or another thread) sends no second confirmation.
    assert subscribe(client, a_thread, "guest@example.org", "replies").status_code == 202
    assert len(smtp.to("guest@example.org")) == 1

    link = confirm_link(confirmation)
    page = client.get(link)
    assert page.status_code == 200
    assert b"guest@example.org" not in page.content and "g•••@e•••.org" in page.content.decode()
    assert EmailAddress.objects.get(email="guest@example.org").confirmed_at is None, (
        "GET does nothing"
    )
    assert client.post(link).status_code == 200
    assert Subscription.objects.get(address__email="guest@example.org").confirmed_at is not None

    comment = post(a_thread, "After confirming.", name="Other", email="other@example.org")
    [notification] = smtp.to("guest@example.org")[1:]
    assert f"#comment-{comment.pk}" in bodies(notification)[0]


def test_a_new_confirmation_may_go_after_an_hour(
    a_thread: Any, smtp: SmtpSink, client: Client
) -> None:
    subscribe(client, a_thread, "slow@example.org")
    EmailAddress.objects.filter(email="slow@example.org").update(
        confirmation_sent_at=timezone.now() - timedelta(minutes=61)
    )
    subscribe(client, a_thread, "slow@example.org")
    assert len(smtp.to("slow@example.org")) == 2


def test_the_answer_is_the_same_whatever_the_address_state(
    a_thread: Any, smtp: SmtpSink, client: Client
) -> None:
    first = subscribe(client, a_thread, "known@example.org")
    again = subscribe(client, a_thread, "known@example.org")
    EmailAddress.objects.filter(email="known@example.org").update(confirmed_at=timezone.now())
    confirmed = subscribe(client, a_thread, "known@example.org", "replies")
    EmailAddress.objects.create(email="failing@example.org", failed_at=timezone.now())
    failing = subscribe(client, a_thread, "failing@example.org")
    fresh = subscribe(client, a_thread, "fresh@example.org")
    answers = {(r.status_code, r.content) for r in (first, again, confirmed, failing, fresh)}
    assert len(answers) == 1


def test_signed_in_verified_reader_needs_no_confirmation_and_lists_subscriptions(
    a_thread: Any, smtp: SmtpSink, client: Client
) -> None:
    user = a_verified_user("amal", "amal@example.org", "pw-long-enough")
    client.force_login(user)
    assert subscribe(client, a_thread, "", kind="all").status_code == 202
    assert smtp.messages == [], "no confirmation for a verified address"
    listing = client.get(URL)
    assert listing.status_code == 200
    [item] = listing.json()
    assert item["thread_id"] == a_thread.pk and item["kind"] == "all" and item["confirmed"] is True
    post(a_thread, "Hello Amal.", name="Other", email="other@example.org")
    assert len(smtp.to("amal@example.org")) == 1

    assert client.delete(f"{URL}/{item['id']}").status_code == 204
    assert client.get(URL).json() == []


def test_an_unverified_account_is_treated_like_a_guest(
    a_thread: Any, smtp: SmtpSink, client: Client
) -> None:
    user = get_user_model().objects.create_user("new", "new@example.org", "pw-long-enough")
    client.force_login(user)
    subscribe(client, a_thread, "new@example.org")
    assert "Confirm" in smtp.to("new@example.org")[0]["Subject"]


def test_listing_requires_sign_in(client: Client, db: Any) -> None:
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"


def test_someone_elses_subscription_cannot_be_deleted(
    a_thread: Any, smtp: SmtpSink, client: Client
) -> None:
    subscribe(client, a_thread, "owner@example.org")
    subscription = Subscription.objects.get()
    intruder = a_verified_user("x", "x@example.org", "pw-long-enough")
    client.force_login(intruder)
    response = client.delete(f"{URL}/{subscription.pk}")
    assert response.status_code == 404 and response.json()["error"] == "not_found"
    assert Subscription.objects.filter(pk=subscription.pk).exists()


T = "THREAD"  # replaced by the thread's id


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"thread_id": 0, "email": "a@example.org"}, 400, "invalid"),  # ids are 1 or more
        ({"email": "a@example.org"}, 400, "invalid"),
        ({"thread_id": "x", "email": "a@example.org"}, 400, "invalid"),
        ({"thread_id": T, "email": "not-an-address", "kind": "all"}, 400, "invalid"),
        ({"thread_id": T, "email": "a@example.org", "kind": "everything"}, 400, "invalid"),
        ({"thread_id": T, "email": "a@example.org", "comment_id": 999999}, 404, "not_found"),
        ({"thread_id": T, "email": "a@example.org\r\nBcc: victim@example.org"}, 400, "invalid"),
        ({"thread_id": T, "email": "\ud800@example.org"}, 400, "invalid"),
        ({"thread_id": T}, 400, "invalid"),
    ],
)
def test_bad_input_is_a_clear_4xx(
    a_thread: Any, smtp: SmtpSink, client: Client, payload: dict[str, Any], status: int, code: str
) -> None:
    body = {key: (a_thread.pk if value == T else value) for key, value in payload.items()}
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == status, response.content
    assert response.json()["error"] == code
    assert smtp.messages == []


def test_hostile_strings_never_cause_a_5xx(a_thread: Any, smtp: SmtpSink, client: Client) -> None:
    for value in hostile_strings("sqli.txt") + hostile_strings("xss.txt")[:40]:
        for body in (
            {"thread_id": a_thread.pk, "email": value, "kind": "all"},
            {"thread_id": a_thread.pk, "email": "a@example.org", "kind": value},
            {"thread_id": value, "email": "a@example.org"},
        ):
            response = client.post(URL, body, content_type="application/json")
            assert 400 <= response.status_code < 500 or response.status_code == 202, (
                value,
                response.content,
            )
            assert "error" in response.json() or response.status_code == 202


def test_subscribing_is_rate_limited(a_thread: Any, smtp: SmtpSink, client: Client) -> None:
    with override_settings(RATELIMIT_ENABLED=True, NOTIFICATIONS_SUBSCRIBE_RATE="2/h"):
        assert subscribe(client, a_thread, "r1@example.org").status_code == 202
        assert subscribe(client, a_thread, "r2@example.org").status_code == 202
        response = subscribe(client, a_thread, "r3@example.org")
    assert response.status_code == 429
    assert response.json()["error"] == "rate_limited"
    assert int(response["Retry-After"]) > 0


def test_openapi_lists_the_subscription_endpoints(client: Client, db: Any) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"post", "get"} <= set(paths["/api/v1/subscriptions"])
    assert "delete" in paths["/api/v1/subscriptions/{subscription_id}"]


def test_the_article_page_offers_the_subscribe_form(a_thread: Any, client: Client) -> None:
    html = client.get(a_thread.page.url).content.decode()
    assert 'class="subscribe-form"' in html
    assert f'name="thread" value="{a_thread.pk}"' in html
    assert "csrfmiddlewaretoken" not in html.split('class="subscribe-form"')[1].split("</form>")[0]


def test_a_reader_who_comments_again_costs_one_read_and_no_write(
    a_thread: Any,
    smtp: SmtpSink,
    django_assert_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from masthead.notifications import actions
    from tests.helpers import guest_actor

    reader = guest_actor("again")
    with django_capture_on_commit_callbacks(execute=True):
        first = actions.subscribe(reader, a_thread, email="again@example.org")
    assert len(smtp.to("again@example.org")) == 1
    with django_assert_num_queries(1):
        again = actions.subscribe(reader, a_thread, email="Again@Example.org")
    assert again.pk == first.pk and again.confirmed_at is None
    # Asking for every comment is a change, and so is a confirmation that is due again.
    upgraded = actions.subscribe(reader, a_thread, email="again@example.org", kind="all")
    assert Subscription.objects.get(pk=upgraded.pk).kind == "all"
    later = timezone.now() + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        actions.subscribe(reader, a_thread, email="again@example.org", kind="all", now=later)
    assert len(smtp.to("again@example.org")) == 2
    assert EmailAddress.objects.get(email="again@example.org").confirmation_sent_at == later
