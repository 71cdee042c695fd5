"""The moderation JSON API: permission on every endpoint, site scoping, decisions, bans, reports."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from masthead.discussion.models import Comment
from masthead.moderation.models import Ban
from tests.helpers import guest_actor

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    ("get", "/api/v1/moderation/comments?status=pending"),
    ("get", "/api/v1/moderation/comments?status=reported"),
    ("post", "/api/v1/moderation/comments/{id}/approve"),
    ("post", "/api/v1/moderation/comments/{id}/remove"),
    ("post", "/api/v1/moderation/comments/{id}/spam"),
    ("post", "/api/v1/moderation/comments/{id}/pin"),
    ("post", "/api/v1/moderation/comments/{id}/unpin"),
    ("post", "/api/v1/moderation/bans"),
    ("delete", "/api/v1/moderation/bans/{ban}"),
]


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def call(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, body or {}, content_type="application/json")


@pytest.mark.parametrize("who", ["anonymous", "reader", "editor"])
def test_every_moderation_endpoint_refuses_non_moderators(
    who: str, post: Any, a_reader: Any, an_editor: Any
) -> None:
    comment = post("A pending one https://example.org/x")
    ban = Ban.objects.create(kind="email", value="x@example.com")
    client = client_for({"anonymous": None, "reader": a_reader, "editor": an_editor}[who])
    for method, url in ENDPOINTS:
        response = call(
            client,
            method,
            url.format(id=comment.pk, ban=ban.pk),
            {"comment_id": comment.pk},
        )
        assert response.status_code == 403, (method, url, response.content)
        assert response.json()["error"] == "forbidden"
    comment.refresh_from_db()
    assert comment.status == "pending"
    assert Ban.objects.count() == 1


def test_queue_lists_pending_comments_with_why_and_author_details(
    post: Any, a_moderator: Any
) -> None:
    comment = post("See https://example.org/x", email="pat@example.com", name="Pat")
    response = client_for(a_moderator).get("/api/v1/moderation/comments?status=pending")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["id"] == comment.pk
    assert item["author"]["email"] == "pat@example.com"
    assert item["author"]["address"].startswith("#")
    assert item["why"]["rule"] == "first_time_link"
    assert item["article"]["title"].startswith("Water shortages")


def test_queue_rejects_unknown_tabs_with_a_400(a_moderator: Any) -> None:
    response = client_for(a_moderator).get("/api/v1/moderation/comments?status=secret")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid"


def test_moderator_approves_and_the_comment_becomes_public(
    post: Any, a_moderator: Any, a_thread: Any
) -> None:
    comment = post("See https://example.org/x")
    client = client_for(a_moderator)
    response = client.post(
        f"/api/v1/moderation/comments/{comment.pk}/approve", {}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    public = client.get(f"/api/v1/threads/{a_thread.pk}/comments").json()
    assert [item["id"] for item in public["items"]] == [comment.pk]


def test_emails_of_commenters_never_reach_the_public_api(post: Any, a_thread: Any) -> None:
    post("Hello", email="private-person@example.com")
    response = Client().get(f"/api/v1/threads/{a_thread.pk}/comments")
    assert response.status_code == 200
    assert b"private-person" not in response.content


def test_remove_sends_a_statement_of_reasons(
    post: Any, a_moderator: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    comment = post(
        "Something rude <script>alert(1)</script>", email="author@example.com", name="<b>Al</b>"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(a_moderator).post(
            f"/api/v1/moderation/comments/{comment.pk}/remove",
            {"reason": "Personal attack on another reader."},
            content_type="application/json",
        )
    assert response.status_code == 200
    (mail,) = mailoutbox
    assert mail.to == ["author@example.com"]
    assert "Personal attack on another reader." in mail.body
    html = mail.alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;b&gt;Al&lt;/b&gt;" in html


def test_spam_decisions_send_no_email(
    post: Any, a_moderator: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    comment = post("Buy things", email="author@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(a_moderator).post(
            f"/api/v1/moderation/comments/{comment.pk}/spam", {}, content_type="application/json"
        )
    comment.refresh_from_db()
    assert comment.status == "spam"
    assert mailoutbox == []


def test_pin_and_unpin(post: Any, a_moderator: Any) -> None:
    comment = post("Pin me")
    client = client_for(a_moderator)
    assert client.post(
        f"/api/v1/moderation/comments/{comment.pk}/pin", content_type="application/json"
    ).json()["is_pinned"]
    assert not client.post(
        f"/api/v1/moderation/comments/{comment.pk}/unpin", content_type="application/json"
    ).json()["is_pinned"]


def test_ban_by_comment_blocks_the_author_everywhere(post: Any, a_moderator: Any) -> None:
    from masthead.core.errors import ApiError, ErrorCode

    author = guest_actor()
    comment = post("I will be back", actor=author, email="troll@example.com")
    response = client_for(a_moderator).post(
        "/api/v1/moderation/bans",
        {"comment_id": comment.pk, "reason": "Trolling", "days": 7},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert {ban["kind"] for ban in response.json()} == {"email", "guest", "ip_hash"}
    with pytest.raises(ApiError) as refused:
        post("Told you", actor=author, email="someone-else@example.com")
    assert refused.value.code == ErrorCode.REJECTED


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "ip", "value": "not an ip"},
        {"kind": "email", "value": "' OR 1=1 --"},
        {"kind": "user", "value": "abc"},
        {"kind": "nonsense", "value": "x"},
        {},
    ],
)
def test_bad_ban_input_is_a_400(a_moderator: Any, body: dict[str, Any]) -> None:
    response = client_for(a_moderator).post(
        "/api/v1/moderation/bans", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid"


def test_sql_probes_in_queue_filters_are_harmless(a_moderator: Any) -> None:
    from tests.helpers import hostile_strings

    client = client_for(a_moderator)
    for probe in hostile_strings("sqli.txt"):
        response = client.get(
            "/api/v1/moderation/comments", {"status": "pending", "rule": probe, "article": "1"}
        )
        assert response.status_code == 200, probe
        response = client.get("/api/v1/moderation/comments", {"status": probe})
        assert response.status_code == 400, probe


def test_comments_of_another_site_are_out_of_scope(post: Any, a_moderator: Any) -> None:
    from wagtail.models import Page, Site

    from masthead.discussion.actions import thread_for_page

    root = Page.get_first_root_node()
    other_home = root.add_child(instance=Page(title="Other site", slug="other-site"))
    Site.objects.create(hostname="other.example", root_page=other_home, is_default_site=False)
    other_article = other_home.add_child(instance=Page(title="Elsewhere", slug="elsewhere"))
    from masthead.discussion.models import CommentStatus

    hidden = Comment.objects.create(
        thread=thread_for_page(other_article),
        author_name="Far",
        body="Other site's pending comment",
        html="<p>x</p>",
        status=CommentStatus.PENDING,
    )
    client = client_for(a_moderator)
    ids = [
        item["id"]
        for item in client.get("/api/v1/moderation/comments?status=pending").json()["items"]
    ]
    assert hidden.pk not in ids
    response = client.post(
        f"/api/v1/moderation/comments/{hidden.pk}/approve", content_type="application/json"
    )
    assert response.status_code == 404


def test_shadow_banned_author_sees_their_comment_and_nobody_else_does(
    post: Any, a_thread: Any
) -> None:
    from django.core import signing

    from masthead.accounts.guest import COOKIE_NAME, SALT

    Ban.objects.create(kind="email", value="sly@example.com", mode="shadow")
    author = guest_actor(key="slykey")
    comment = post("You will never see this", actor=author, email="sly@example.com")
    public = Client().get(f"/api/v1/threads/{a_thread.pk}/comments").json()
    assert comment.pk not in [item["id"] for item in public["items"]]
    author_client = Client(REMOTE_ADDR=author.ip)
    author_client.cookies[COOKIE_NAME] = signing.dumps(
        {"k": "slykey", "n": "Sly", "e": "sly@example.com", "w": ""}, salt=SALT, compress=True
    )
    me = author_client.get(f"/api/v1/threads/{a_thread.pk}/me").json()
    assert "You will never see this" in str(me)
    assert '"spam"' not in json.dumps(me)  # shown to its author as if public
