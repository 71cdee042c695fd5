"""A thread readers may not see answers every reader endpoint exactly as an unknown one does.

Issue 13, hole 9: thread ids are sequential, and subscribing to an unpublished article's thread mailed
its title. Unpublished, never-published, private (view restrictions) and unknown threads, and the
comments in them, are one and the same 404, whatever the endpoint.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from masthead.discussion.models import Comment, Vote
from masthead.notifications.models import Subscription
from tests.helpers import comment_input, guest_actor

pytestmark = pytest.mark.django_db

UNKNOWN = 987654
TITLE = "Secret draft about the minister"

# (name, method, path, JSON or form body, kind): {thread} and {comment} are filled in.
ENDPOINTS = [
    ("list comments", "get", "/api/v1/threads/{thread}/comments", None, "json"),
    ("list around", "get", "/api/v1/threads/{thread}/comments?around={comment}", None, "json"),
    ("post comment", "post", "/api/v1/threads/{thread}/comments", {"body": "Hi", "name": "Ada", "email": "ada@example.com"}, "json"),
    ("reply", "post", "/api/v1/threads/{thread}/comments", {"body": "Hi", "parent_id": "{comment}", "name": "Ada", "email": "ada@example.com"}, "json"),
    ("me", "get", "/api/v1/threads/{thread}/me", None, "json"),
    ("annotations", "get", "/api/v1/threads/{thread}/annotations", None, "json"),
    ("edit", "patch", "/api/v1/comments/{comment}", {"body": "Changed"}, "json"),
    ("delete", "delete", "/api/v1/comments/{comment}", None, "json"),
    ("vote", "put", "/api/v1/comments/{comment}/vote", {"value": 1}, "json"),
    ("report", "post", "/api/v1/comments/{comment}/reports", {"reason": "spam"}, "json"),
    ("subscribe", "post", "/api/v1/subscriptions", {"thread_id": "{thread}", "email": "x@example.com"}, "json"),
    ("subscribe to replies", "post", "/api/v1/subscriptions", {"thread_id": "{thread}", "comment_id": "{comment}", "email": "x@example.com"}, "json"),
    ("no-JS comment form", "post", "/discussion/threads/{thread}/post/", {"body": "Hi", "name": "Ada", "email": "ada@example.com"}, "form"),
    ("no-JS subscribe form", "post", "/notifications/subscribe/", {"thread": "{thread}", "email": "x@example.com"}, "form"),
    ("permalink", "get", "/discussion/comments/{comment}/", None, "form"),
]  # fmt: skip


def _fill(value: Any, thread_id: int, comment_id: int) -> Any:
    if isinstance(value, dict):
        return {key: _fill(item, thread_id, comment_id) for key, item in value.items()}
    if value == "{thread}":
        return thread_id
    if value == "{comment}":
        return comment_id
    if isinstance(value, str):
        return value.format(thread=thread_id, comment=comment_id)
    return value


def call(endpoint: tuple[Any, ...], thread_id: int, comment_id: int) -> Any:
    _name, method, path, body, kind = endpoint
    client = Client(REMOTE_ADDR="192.0.2.60", HTTP_ORIGIN="http://testserver")
    path = _fill(path, thread_id, comment_id)
    data = _fill(body, thread_id, comment_id)
    if method == "get":
        return client.get(path)
    if kind == "form":
        return client.post(path, data or {})
    return getattr(client, method)(path, data or {}, content_type="application/json")


@pytest.fixture
def hidden_article(a_section: Any, an_author: Any) -> Any:
    from masthead.publishing.actions import create_article

    return create_article(
        a_section,
        TITLE,
        body=[("paragraph", "<p>Not for readers yet.</p>")],
        authors=[an_author],
    )


def _hide(article: Any, how: str) -> None:
    from wagtail.models import PageViewRestriction

    if how == "unpublished":
        article.unpublish()
    elif how == "password":
        PageViewRestriction.objects.create(
            page=article, restriction_type=PageViewRestriction.PASSWORD, password="sesame"
        )
    elif how == "login":
        PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    elif how == "section password":
        PageViewRestriction.objects.create(
            page=article.get_parent(),
            restriction_type=PageViewRestriction.PASSWORD,
            password="sesame",
        )


@pytest.mark.parametrize("how", ["unpublished", "password", "section password"])
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[endpoint[0] for endpoint in ENDPOINTS])
def test_a_hidden_thread_answers_like_an_unknown_one(
    endpoint: tuple[Any, ...],
    how: str,
    hidden_article: Any,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from masthead.discussion.actions import post_comment, thread_for_page

    thread = thread_for_page(hidden_article)
    comment = post_comment(guest_actor("zed"), thread, comment_input("Posted while it was live."))
    subscriptions = list(Subscription.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        _hide(hidden_article, how)
    unknown = call(endpoint, UNKNOWN, UNKNOWN)  # after: a private section leaves the site's menu
    assert unknown.status_code == 404, unknown.content[:300]

    with django_capture_on_commit_callbacks(execute=True):
        response = call(endpoint, thread.pk, comment.pk)

    assert response.status_code == 404, (response.status_code, response.content[:300])
    assert response.content == unknown.content
    assert TITLE not in response.content.decode()
    if endpoint[4] == "json":
        assert response.json() == {
            "error": "not_found",
            "message": "No such discussion or comment.",
            "fields": {},
        }
    assert mailoutbox == []
    assert list(Subscription.objects.values_list("pk", flat=True)) == subscriptions
    assert not Vote.objects.exists()
    assert list(Comment.objects.values_list("body", flat=True)) == ["Posted while it was live."]


def test_a_never_published_draft_answers_like_an_unknown_thread(
    a_section: Any, mailoutbox: Any
) -> None:
    from masthead.discussion.actions import thread_for_page
    from masthead.publishing.actions import create_article

    draft = create_article(a_section, TITLE, publish=False)
    thread = thread_for_page(draft)
    for endpoint in ENDPOINTS:
        if "{comment}" in str(endpoint[2:4]):
            continue
        response = call(endpoint, thread.pk, UNKNOWN)
        unknown = call(endpoint, UNKNOWN, UNKNOWN)
        assert (response.status_code, response.content) == (404, unknown.content), endpoint[0]
    assert mailoutbox == []


def test_the_same_endpoints_work_on_a_public_thread(a_thread: Any) -> None:
    """The table above is not 404 for every thread: the public one answers."""
    from masthead.discussion.actions import post_comment

    comment = post_comment(guest_actor("yan"), a_thread, comment_input("Public."))
    for endpoint in ENDPOINTS:
        response = call(endpoint, a_thread.pk, comment.pk)
        assert response.status_code < 400 or response.status_code == 403, (
            endpoint[0],
            response.status_code,
            response.content[:300],
        )
