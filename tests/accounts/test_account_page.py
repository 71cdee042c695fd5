"""The reader's page /account/ through the test client: who sees it, what it shows, what it changes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from masthead.accounts.models import PrivacyRequest
from masthead.discussion.models import Comment
from masthead.notifications.actions import subscribe
from tests.helpers import comment_as, make_reader, user_actor

pytestmark = pytest.mark.django_db


def test_the_page_needs_a_signed_in_reader(client: Any) -> None:
    for path in ("/account/", "/account/delete/", "/account/claim/"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post("/account/export/").status_code == 302
    assert PrivacyRequest.objects.count() == 0


def test_the_page_lists_comments_with_links_and_subscriptions(
    signed_in: Client, a_thread: Any, a_verified_reader: Any
) -> None:
    comment = comment_as(user_actor(a_verified_reader), a_thread, "My view on the river.")
    subscribe(user_actor(a_verified_reader), a_thread, email="rea@example.com", kind="all")
    response = signed_in.get("/account/")
    assert response.status_code == 200
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    )
    html = response.content.decode()
    assert "My view on the river." in html
    assert f'href="/discussion/comments/{comment.pk}/"' in html
    assert "Water shortages deepen along the river" in html
    assert "Every new comment" in html and "Unsubscribe" in html


def test_comments_are_paginated(signed_in: Client, a_thread: Any, a_verified_reader: Any) -> None:
    for number in range(23):
        Comment.objects.create(
            thread=a_thread,
            user=a_verified_reader,
            author_name="Rea Der",
            body=f"Comment number {number:02d}.",
            html="<p>x</p>",
        )
    first = signed_in.get("/account/").content.decode()
    second = signed_in.get("/account/?page=2").content.decode()
    assert "Comment number 22." in first and "Comment number 02." not in first
    assert "Comment number 02." in second and "Page 2 of 2" in second


def test_the_old_subscriptions_address_redirects_here(client: Any) -> None:
    response = client.get("/notifications/")
    assert response.status_code == 301
    assert response["Location"] == "/account/#subscriptions"


def test_unsubscribing_comes_back_to_the_page(
    signed_in: Client, a_thread: Any, a_verified_reader: Any
) -> None:
    subscription = subscribe(
        user_actor(a_verified_reader), a_thread, email="rea@example.com", kind="all"
    )
    response = signed_in.post(f"/notifications/subscriptions/{subscription.pk}/delete/")
    assert response["Location"] == "/account/#subscriptions"


def test_display_name_changes_every_comment_of_the_reader(
    signed_in: Client, a_thread: Any, a_verified_reader: Any
) -> None:
    comment = comment_as(user_actor(a_verified_reader), a_thread, "Mine.")
    response = signed_in.post(
        "/account/profile/", {"display_name": "  Rea   Renamed ", "avatar_colour": "#1f6f43"}
    )
    assert response.status_code == 302
    a_verified_reader.refresh_from_db()
    assert a_verified_reader.display_name == "Rea Renamed"
    assert a_verified_reader.avatar_colour == "#1f6f43"
    assert Comment.objects.get(pk=comment.pk).author_name == "Rea Renamed"
    thread_html = signed_in.get(a_thread.page.url).content.decode()
    assert "Rea Renamed" in thread_html
    assert "&amp;c=1" in thread_html or "&c=1" in thread_html  # the chosen colour's avatar


@pytest.mark.parametrize("name", ["", " ", "x" * 51, "\u200b\u200b"])
def test_unusable_display_names_are_refused_with_a_message(
    signed_in: Client, a_verified_reader: Any, name: str
) -> None:
    response = signed_in.post("/account/profile/", {"display_name": name, "avatar_colour": ""})
    assert response.status_code == 400
    assert "Use 1 to 50 visible characters." in response.content.decode()
    a_verified_reader.refresh_from_db()
    assert a_verified_reader.display_name == "Rea Der"


@pytest.mark.parametrize("name", ["Rana Haddad", "R\u0430na Haddad", "Masthead Moderator", "admin"])
def test_names_of_others_and_staff_words_are_refused(
    signed_in: Client, a_verified_reader: Any, an_author: Any, name: str
) -> None:
    response = signed_in.post("/account/profile/", {"display_name": name, "avatar_colour": ""})
    assert response.status_code == 400, name
    a_verified_reader.refresh_from_db()
    assert a_verified_reader.display_name == "Rea Der"


def test_an_unknown_avatar_colour_is_refused(signed_in: Client, a_verified_reader: Any) -> None:
    response = signed_in.post(
        "/account/profile/", {"display_name": "Rea", "avatar_colour": "red;x"}
    )
    assert response.status_code == 400
    a_verified_reader.refresh_from_db()
    assert a_verified_reader.avatar_colour == ""


def test_download_is_a_json_attachment_of_ones_own_data(
    signed_in: Client, a_thread: Any, a_verified_reader: Any
) -> None:
    comment_as(user_actor(a_verified_reader), a_thread, "Export me.")
    other = make_reader("other@example.com", "Other")
    comment_as(user_actor(other), a_thread, "Not mine.")
    assert signed_in.get("/account/export/").status_code == 405
    response = signed_in.post("/account/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    data = json.loads(response.content)
    assert [item["body"] for item in data["comments"]] == ["Export me."]
    assert data["profile"]["email"] == "rea@example.com"


def test_writes_need_the_csrf_token(a_verified_reader: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(a_verified_reader)
    assert browser.post("/account/export/").status_code == 403
    assert (
        browser.post(
            "/account/delete/", {"password": "correct horse battery", "confirm": "on"}
        ).status_code
        == 403
    )
    assert browser.post("/account/profile/", {"display_name": "Evil"}).status_code == 403
    assert (
        type(a_verified_reader)
        .objects.filter(pk=a_verified_reader.pk, display_name="Rea Der")
        .exists()
    )


def test_delete_needs_the_password_and_the_confirmation(
    signed_in: Client, a_thread: Any, a_verified_reader: Any
) -> None:
    comment_as(user_actor(a_verified_reader), a_thread, "Soon gone.")
    page = signed_in.get("/account/delete/")
    assert page.status_code == 200 and 'type="password"' in page.content.decode()
    wrong = signed_in.post("/account/delete/", {"password": "wrong", "confirm": "on"})
    assert wrong.status_code == 400 and "That password is not right." in wrong.content.decode()
    unticked = signed_in.post("/account/delete/", {"password": "correct horse battery"})
    assert unticked.status_code == 400
    assert type(a_verified_reader).objects.filter(pk=a_verified_reader.pk).exists()
    done = signed_in.post(
        "/account/delete/", {"password": "correct horse battery", "confirm": "on"}
    )
    assert done.status_code == 200 and "Your account is deleted" in done.content.decode()
    assert not type(a_verified_reader).objects.filter(pk=a_verified_reader.pk).exists()
    assert not Comment.objects.exists()
    assert signed_in.get("/account/").status_code == 302  # signed out


def test_without_a_password_deletion_is_confirmed_by_an_emailed_link(
    signed_in: Client,
    a_verified_reader: Any,
    django_capture_on_commit_callbacks: Any,
    mailoutbox: list[Any],
) -> None:
    import re

    a_verified_reader.set_unusable_password()
    a_verified_reader.save()
    signed_in.force_login(a_verified_reader)
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post("/account/delete/", {"confirm": "on"})
    assert response.status_code == 200 and "We sent you an email" in response.content.decode()
    (message,) = mailoutbox
    link = re.search(r"http://testserver(/account/delete/[^/\s]+/)", message.body).group(1)  # type: ignore[union-attr]
    # The link is for this account only, signed in.
    stranger = Client()
    stranger.force_login(make_reader("x@example.com", "X"))
    assert stranger.post(link).status_code == 400
    assert signed_in.post(link[:-3] + "xx/").status_code == 400
    assert signed_in.get(link).status_code == 200
    assert type(a_verified_reader).objects.filter(pk=a_verified_reader.pk).exists()
    assert signed_in.post(link).status_code == 200
    assert not type(a_verified_reader).objects.filter(pk=a_verified_reader.pk).exists()
