"""Inline comments through the discussion API and the discussion region: targets completed on post,
bad selectors refused with 400, the "Inline feedback" filter, quotes shown (and escaped) in the list."""

from __future__ import annotations

import json

import pytest

from masthead.discussion.models import Comment
from tests.helpers import CANALS, post_inline, quote
from tests.inline.conftest import publish_edit


def post(client, thread, **payload):
    payload.setdefault("name", "Ada")
    payload.setdefault("email", "ada@example.com")
    payload.setdefault("body", "Is this right?")
    return client.post(
        f"/api/v1/threads/{thread.pk}/comments",
        json.dumps(payload),
        content_type="application/json",
    )


def test_posting_a_quote_stores_a_completed_anchored_target(client, an_inline_thread):
    response = post(client, an_inline_thread, target=quote("now dry up by June"))
    assert response.status_code == 201, response.content
    item = response.json()
    assert item["anchor_state"] == "anchored"
    assert [selector["type"] for selector in item["target"]["selector"]] == [
        "TextQuoteSelector",
        "TextPositionSelector",
        "CssSelector",
    ]
    saved = Comment.objects.get(pk=item["id"])
    assert saved.anchor_state == "anchored"
    assert saved.target == item["target"]


@pytest.mark.parametrize(
    ("target", "field"),
    [
        (quote(""), "target.exact"),
        (quote("x" * 1001), "target.exact"),
        (quote("not a passage of this article"), "target.exact"),
        (
            {"selector": [{"type": "TextPositionSelector", "start": 0, "end": 10**6}]},
            "target.start",
        ),
        ({"selector": [{"type": "TextQuoteSelector", "exact": ["list"]}]}, "target.exact"),
    ],
)
def test_bad_selectors_are_a_400_with_a_clear_message_and_write_nothing(
    client, an_inline_thread, target, field
):
    response = post(client, an_inline_thread, target=target)
    assert response.status_code == 400, response.content
    error = response.json()
    assert error["error"] == "invalid"
    assert field in error["fields"]
    assert error["message"]
    assert not Comment.objects.exists()


def test_non_object_target_is_a_400(client, an_inline_thread):
    response = post(client, an_inline_thread, target="lowest level")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid"


def test_inline_filter_lists_only_inline_comments(client, an_inline_thread):
    assert post(client, an_inline_thread, body="On the whole piece.").status_code == 201
    inline = post(
        client,
        an_inline_thread,
        body="On the canals.",
        target=quote("now dry up by June"),
        name="Bob",
    )
    assert inline.status_code == 201
    everything = client.get(f"/api/v1/threads/{an_inline_thread.pk}/comments").json()
    only_inline = client.get(f"/api/v1/threads/{an_inline_thread.pk}/comments?kind=inline").json()
    assert everything["count"] == 2
    assert [item["id"] for item in only_inline["items"]] == [inline.json()["id"]]
    assert only_inline["count"] == 1
    bad = client.get(f"/api/v1/threads/{an_inline_thread.pk}/comments?kind=%27%20OR%201=1")
    assert bad.status_code == 400
    assert bad.json()["fields"] == {"kind": "One of all, inline."}


def test_discussion_shows_quotes_the_filter_and_orphaned_passages(
    client, an_inline_article, an_inline_thread, django_capture_on_commit_callbacks
):
    post_inline(an_inline_thread, "now dry up by June", body="Since when?")
    post_inline(an_inline_thread, "Prices of wheat", body="Bread too.", name="Bob")
    html = client.get(an_inline_article.url).content.decode()
    assert '<blockquote class="inline-quote__text" dir="auto">now dry up by June</blockquote>' in html
    assert "#:~:text=now%20dry%20up%20by%20June" in html
    assert "data-inline-filter" in html

    with django_capture_on_commit_callbacks(execute=True):
        publish_edit(
            an_inline_article, lambda blocks: [b for b in blocks if CANALS not in str(b["value"])]
        )
    html = client.get(an_inline_article.url + "?dkind=inline").content.decode()
    assert "The passage was changed." in html
    assert '<blockquote class="inline-quote__text" dir="auto">now dry up by June</blockquote>' in html


def test_markup_in_quotes_is_escaped_in_the_discussion(client, hostile_quote_article):
    thread, passage = hostile_quote_article
    response = post(client, thread, target=quote(passage))
    assert response.status_code == 201, response.content
    html = client.get(thread.page.url).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; through, and &quot;quotes&quot;" in html
    assert "<script>alert(1)</script>" not in html


def test_xss_strings_as_quotes_are_refused_or_stored_inert(client, an_inline_thread):
    from tests.helpers import hostile_strings

    for line in hostile_strings("xss.txt")[:40]:
        response = post(client, an_inline_thread, body="x", target=quote(line))
        assert response.status_code == 400, (line, response.content)
        assert response.json()["error"] == "invalid"
