"""Links in emails: RFC 8058 headers, one-click unsubscribe, pages that act only on POST, signed tokens."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.test import Client

from masthead.core.actors import Actor
from masthead.notifications import actions
from masthead.notifications.models import EmailAddress, Subscription
from masthead.notifications.tokens import confirm_token, unsubscribe_token
from tests.helpers import a_verified_user, guest_actor
from tests.notifications.conftest import bodies, confirmed, post
from tests.notifications.smtp_support import SmtpSink


def unsubscribe_paths(message: Any) -> list[str]:
    text, _ = bodies(message)
    return re.findall(r"http://testserver(/notifications/unsubscribe/[^\s/]+/)", text)


def test_every_notification_carries_one_click_unsubscribe(a_thread: Any, smtp: SmtpSink) -> None:
    confirmed(a_thread, "reader@example.org", "all")
    comment = post(a_thread, "The **river** is low.", name="Writer", email="writer@example.org")
    [message] = smtp.to("reader@example.org")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = re.fullmatch(
        r"<(http://testserver/notifications/unsubscribe/[^>]+/)>",
        str(message["List-Unsubscribe"]).strip(),
    )
    assert header, str(message["List-Unsubscribe"])
    assert message["From"] == "The Courier <news@courier.example>"
    text, html = bodies(message)
    for part in (text, html):
        assert "The Courier" in part
        assert "The river is low." in part
        assert f"http://testserver{a_thread.page.url}#comment-{comment.pk}" in part
        assert "Writer" in part
    this_thread, everything = unsubscribe_paths(message)[:2]
    assert header.group(1).endswith(this_thread)
    assert this_thread != everything
    assert this_thread in html and everything in html


def test_one_click_post_unsubscribes_without_csrf_or_login(a_thread: Any, smtp: SmtpSink) -> None:
    confirmed(a_thread, "leaver@example.org", "all")
    confirmed(a_thread, "stayer@example.org", "all")
    post(a_thread, "First.", name="Writer", email="writer@example.org")
    path = unsubscribe_paths(smtp.to("leaver@example.org")[0])[0]
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not Subscription.objects.filter(address__email="leaver@example.org").exists()
    assert Subscription.objects.filter(address__email="stayer@example.org").exists()


def test_unsubscribe_page_shows_a_masked_address_and_acts_only_on_post(
    a_thread: Any, smtp: SmtpSink, client: Client
) -> None:
    confirmed(a_thread, "masked.reader@example.org", "all")
    post(a_thread, "Hello.", name="Writer", email="writer@example.org")
    this_thread, everything = unsubscribe_paths(smtp.to("masked.reader@example.org")[0])[:2]
    page = client.get(this_thread)
    content = page.content.decode()
    assert page.status_code == 200
    assert "masked.reader@example.org" not in content and "m•••@e•••.org" in content
    assert a_thread.page.title in content
    assert 'method="post"' in content
    assert Subscription.objects.filter(address__email="masked.reader@example.org").exists()
    assert f'href="{a_thread.page.url}"' in content, "the way back is the article's own path"

    assert client.post(everything).status_code == 200
    address = EmailAddress.objects.get(email="masked.reader@example.org")
    assert address.opted_out_at is not None and not address.subscriptions.exists()
    post(a_thread, "Again.", name="Writer2", email="writer2@example.org")
    assert len(smtp.to("masked.reader@example.org")) == 1


def test_a_token_acts_only_on_its_own_address(
    a_thread: Any, smtp: SmtpSink, client: Client
) -> None:
    mine = confirmed(a_thread, "mine@example.org", "all").address
    theirs = confirmed(a_thread, "theirs@example.org", "all").address
    # A token made for my address id but someone else's email digest (or the reverse) is refused.
    for forged in (
        unsubscribe_token(theirs.pk, mine.email, None),
        unsubscribe_token(mine.pk, theirs.email, None)[:-3] + "abc",
    ):
        assert client.post(f"/notifications/unsubscribe/{forged}/").status_code == 400
    assert Subscription.objects.filter(address=theirs).exists()
    assert (
        client.post(
            f"/notifications/unsubscribe/{unsubscribe_token(mine.pk, mine.email, None)}/"
        ).status_code
        == 200
    )
    assert Subscription.objects.filter(address=theirs).exists()
    assert not Subscription.objects.filter(address=mine).exists()


@pytest.mark.parametrize("kind", ["confirm", "unsubscribe"])
def test_expired_forged_and_cross_purpose_tokens_are_refused(
    a_thread: Any, smtp: SmtpSink, client: Client, kind: str
) -> None:
    subscription = actions.subscribe(guest_actor(), a_thread, email="late@example.org", kind="all")
    address = subscription.address
    long_ago = time.time() - 400 * 24 * 3600
    make = (
        confirm_token
        if kind == "confirm"
        else (lambda a, e, at=None: unsubscribe_token(a, e, a_thread.pk, at=at))
    )
    other = (
        unsubscribe_token(address.pk, address.email, None)
        if kind == "confirm"
        else confirm_token(address.pk, address.email)
    )
    good = make(address.pk, address.email)
    for token in (
        make(address.pk, address.email, at=long_ago),
        good[:-2] + "xx",
        other,
        "x" * 600,
        "%00",
        "..%2f",
    ):
        for method in (client.get, client.post):
            response = method(f"/notifications/{kind}/{token}/")
            assert response.status_code in (400, 404), token
            assert "doesn" in response.content.decode() or response.status_code == 404
    address.refresh_from_db()
    assert address.confirmed_at is None and Subscription.objects.filter(address=address).exists()


def test_no_js_form_subscribes_as_a_guest(
    a_thread: Any, smtp: SmtpSink, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = Client(enforce_csrf_checks=True).post(
            "/notifications/subscribe/",
            {"thread": a_thread.pk, "email": "form@example.org", "kind": "all"},
        )
    assert response.status_code == 202
    assert "Check your inbox" in response.content.decode()
    assert "Confirm" in smtp.to("form@example.org")[0]["Subject"]
    bad = client.post("/notifications/subscribe/", {"thread": a_thread.pk, "email": "nope"})
    assert bad.status_code == 400


def test_my_subscriptions_page(a_thread: Any, smtp: SmtpSink, client: Client) -> None:
    """The list lives on the reader's page now; its old address redirects there."""
    assert client.get("/notifications/")["Location"] == "/account/#subscriptions"
    assert client.get("/account/").status_code == 302  # to sign in
    user = a_verified_user("lina", "lina@example.org", "pw-long-enough")
    actions.subscribe(Actor.for_user(user), a_thread, email="lina@example.org", kind="all")
    client.force_login(user)
    page = client.get("/notifications/", follow=True)
    assert page.status_code == 200 and a_thread.page.title in page.content.decode()
    subscription = Subscription.objects.get(address__email="lina@example.org")
    response = client.post(f"/notifications/subscriptions/{subscription.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/account/#subscriptions"
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
