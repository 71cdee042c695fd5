"""Integers readers send: ASCII digits only, bounded, a 400 naming the field (or a 404 for a lookup).

Issue 13, hole 6: `str.isdigit()` accepts digits `int()` refuses (², ①), `int()` accepts digits no
client means (١٢), and a number past 64 bits overflows the database driver: all were 500s.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client

from masthead.core.errors import ApiError
from masthead.core.inputs import parse_int

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rate_limits")]

HOSTILE = [
    "²",
    "①",
    "١٢",  # Arabic-Indic digits: int() reads 12
    "１２",  # fullwidth
    "9999999999999999999999",
    "-9223372036854775809",
    "9223372036854775808",
    "1e3",
    "0x1f",
    "1_000",
    " 7",
    "-1",
    "0",
]


@pytest.mark.parametrize("value", [*HOSTILE, "", "7 ", "+7", "7\n", None, True, 1.5, [7]])
def test_parse_int_refuses_anything_but_bounded_ascii_digits(value: Any) -> None:
    with pytest.raises(ApiError) as caught:
        parse_int(value, name="limit", minimum=1, maximum=100)
    assert caught.value.status == 400
    assert caught.value.code == "invalid"
    assert "limit" in caught.value.fields
    assert "limit" in caught.value.message


@pytest.mark.parametrize("value, expected", [("7", 7), ("100", 100), ("0001", 1), (42, 42)])
def test_parse_int_reads_plain_numbers(value: Any, expected: int) -> None:
    assert parse_int(value, name="limit", minimum=1, maximum=100) == expected


VALID = {"queue offset": {"0"}}  # hostile elsewhere, a fine value here


@pytest.fixture
def world(a_thread: Any, an_article: Any) -> dict[str, Any]:
    from masthead.discussion.actions import post_comment
    from tests.helpers import a_moderator_user, comment_input, guest_actor

    comment = post_comment(guest_actor("ints"), a_thread, comment_input("Numbers please."))
    moderator = a_moderator_user("int-moderator")
    return {"thread": a_thread, "comment": comment, "article": an_article, "moderator": moderator}


def _client(world: dict[str, Any], who: str) -> Client:
    client = Client(HTTP_ORIGIN="http://testserver")
    if who == "moderator":
        client.force_login(world["moderator"])
    return client


# (name, who, method, path, data, kind): "{v}" is the hostile value; "lookup" may also be a 404.
ENDPOINTS = [
    ("comments limit", "reader", "get", "/api/v1/threads/{t}/comments?limit={v}", None, "query"),
    ("comments around", "reader", "get", "/api/v1/threads/{t}/comments?around={v}", None, "lookup"),
    ("comments path", "reader", "get", "/api/v1/threads/{v}/comments", None, "lookup"),
    ("me path", "reader", "get", "/api/v1/threads/{v}/me", None, "lookup"),
    ("annotations path", "reader", "get", "/api/v1/threads/{v}/annotations", None, "lookup"),
    ("post path", "reader", "post", "/api/v1/threads/{v}/comments", {"body": "x", "name": "A", "email": "a@example.com"}, "lookup"),
    ("post parent_id", "reader", "post", "/api/v1/threads/{t}/comments", {"body": "x", "name": "A", "email": "a@example.com", "parent_id": "{v}"}, "lookup"),
    ("post parent_id number", "reader", "post", "/api/v1/threads/{t}/comments", {"body": "x", "name": "A", "email": "a@example.com", "parent_id": "{n}"}, "lookup"),
    ("edit path", "reader", "patch", "/api/v1/comments/{v}", {"body": "x"}, "lookup"),
    ("delete path", "reader", "delete", "/api/v1/comments/{v}", None, "lookup"),
    ("vote path", "reader", "put", "/api/v1/comments/{v}/vote", {"value": 1}, "lookup"),
    ("report path", "reader", "post", "/api/v1/comments/{v}/reports", {"reason": "spam"}, "lookup"),
    ("subscribe thread_id", "reader", "post", "/api/v1/subscriptions", {"thread_id": "{n}", "email": "a@example.com"}, "lookup"),
    ("subscribe comment_id", "reader", "post", "/api/v1/subscriptions", {"thread_id": "{t}", "comment_id": "{n}", "email": "a@example.com"}, "lookup"),
    ("donation confirm path", "reader", "post", "/api/v1/donations/{v}/confirm", {"client_secret": "x"}, "lookup"),
    ("queue limit", "moderator", "get", "/api/v1/moderation/comments?limit={v}", None, "query"),
    ("queue offset", "moderator", "get", "/api/v1/moderation/comments?offset={v}", None, "query"),
    ("queue article", "moderator", "get", "/api/v1/moderation/comments?article={v}", None, "query"),
    ("decide path", "moderator", "post", "/api/v1/moderation/comments/{v}/approve", {}, "lookup"),
    ("ban comment_id", "moderator", "post", "/api/v1/moderation/bans", {"comment_id": "{n}"}, "lookup"),
    ("unban path", "moderator", "delete", "/api/v1/moderation/bans/{v}", None, "lookup"),
    ("unsubscribe path", "moderator", "delete", "/api/v1/subscriptions/{v}", None, "lookup"),
    ("article comment", "reader", "get", "{url}?comment={v}", None, "page"),
    ("article reply", "reader", "get", "{url}?reply={v}", None, "page"),
    ("form parent_id", "reader", "post", "/discussion/threads/{t}/post/", {"body": "x", "name": "A", "email": "a@example.com", "parent_id": "{v}"}, "page"),
    ("form path", "reader", "post", "/discussion/threads/{v}/post/", {"body": "x", "name": "A", "email": "a@example.com"}, "lookup-page"),
    ("permalink path", "reader", "get", "/discussion/comments/{v}/", None, "lookup-page"),
    ("no-JS subscribe thread", "reader", "post", "/notifications/subscribe/", {"thread": "{v}", "email": "a@example.com"}, "page"),
    ("no-JS unsubscribe path", "moderator", "post", "/notifications/subscriptions/{v}/delete/", {}, "lookup-page"),
    ("admin queue article", "moderator", "get", "/admin/moderation/?article={v}", None, "page"),
    ("admin bulk comment", "moderator", "post", "/admin/moderation/act/", {"decision": "approve", "comment": "{v}"}, "page"),
    ("admin ban days", "moderator", "post", "/admin/moderation/act/", {"decision": "ban", "comment": "{c}", "days": "{v}"}, "page"),
    ("admin token revoke", "moderator", "post", "/admin/moderation/tokens/{v}/revoke/", {}, "lookup-page"),
]  # fmt: skip


def _as_number(value: str) -> Any:
    """The JSON value a client would send: a number when it is one to JSON, else the string."""
    try:
        return int(value) if value.isascii() and value.lstrip("-").isdigit() else value
    except ValueError:
        return value


def _fill(template: Any, world: dict[str, Any], value: str) -> Any:
    if isinstance(template, dict):
        return {key: _fill(item, world, value) for key, item in template.items()}
    if template == "{n}":
        return _as_number(value)
    if template == "{v}":
        return value
    if template == "{c}":
        return str(world["comment"].pk)
    if template == "{t}":
        return world["thread"].pk
    return template


def call(endpoint: tuple[Any, ...], world: dict[str, Any], value: str) -> Any:
    _name, who, method, path, data, kind = endpoint
    in_path = "?" not in path or path.index("{v}") < path.index("?") if "{v}" in path else False
    path = path.format(
        t=world["thread"].pk,
        url=world["article"].url,
        v=quote(value, safe="") if in_path else quote(value),
    )
    client = _client(world, who)
    body = _fill(data, world, value)
    if method == "get":
        return client.get(path)
    if kind in ("page", "lookup-page") and not path.startswith("/api/"):
        return client.post(path, body or {})
    return getattr(client, method)(path, body or {}, content_type="application/json")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[endpoint[0] for endpoint in ENDPOINTS])
def test_hostile_integers_are_a_4xx_never_a_500(endpoint: tuple[Any, ...], world: Any) -> None:
    kind = endpoint[5]
    for value in HOSTILE:
        if value in VALID.get(endpoint[0], ()):
            continue
        response = call(endpoint, world, value)
        status = response.status_code
        where = (endpoint[0], value, status, response.content[:300])
        if kind == "query":
            assert status == 400, where
        elif kind == "page":
            assert status in (400, 404), where
            if status == 400:
                assert "whole number" in response.content.decode(), where
        else:
            assert status in (400, 404, 405), where
        if (
            endpoint[3].startswith("/api/")
            and status in (400, 404)
            and (response.get("Content-Type", "").startswith("application/json"))
        ):
            data = response.json()
            assert set(data) == {"error", "message", "fields"}, where
            if status == 400 and kind == "query":
                assert data["error"] == "invalid", where
                assert data["fields"], where


def test_a_path_id_past_64_bits_is_a_404_not_a_500(world: Any) -> None:
    response = Client().get("/api/v1/threads/99999999999999999999/comments")
    assert response.status_code in (400, 404)
    assert response.json()["error"] in ("invalid", "not_found")


def test_plain_numbers_still_work(world: Any) -> None:
    client = _client(world, "moderator")
    thread, article = world["thread"], world["article"]
    assert Client().get(f"/api/v1/threads/{thread.pk}/comments?limit=5").status_code == 200
    response = client.get(
        f"/api/v1/moderation/comments?status=approved&offset=0&limit=5&article={article.pk}"
    )
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [world["comment"].pk]
    assert Client().get(f"{article.url}?comment={world['comment'].pk}").status_code == 200
