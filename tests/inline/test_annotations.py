"""GET /api/v1/threads/{id}/annotations: inline comments as a W3C Web Annotation collection (JSON-LD)."""

from __future__ import annotations

import json

from masthead.discussion.models import Comment
from tests.helpers import CANALS, post_inline
from tests.inline.conftest import publish_edit


def annotations(client, thread) -> dict:
    response = client.get(f"/api/v1/threads/{thread.pk}/annotations")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    return json.loads(response.content)


def test_collection_has_the_w3c_shape(client, an_inline_thread):
    first = post_inline(an_inline_thread, "now dry up by June", body="Since *when*?")
    post_inline(an_inline_thread, "Prices of wheat", name="Bob")
    data = annotations(client, an_inline_thread)
    assert data["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection"
    assert data["total"] == 2
    assert data["id"].endswith(f"/api/v1/threads/{an_inline_thread.pk}/annotations")
    page = data["first"]
    assert page["type"] == "AnnotationPage"
    assert page["startIndex"] == 0
    item = page["items"][0]
    assert item["type"] == "Annotation"
    assert item["motivation"] == "commenting"
    assert item["id"].endswith(f"#comment-{first.pk}")
    assert item["body"] == {
        "type": "TextualBody",
        "value": first.html,
        "format": "text/html",
        "purpose": "commenting",
    }
    assert item["creator"] == {"type": "Person", "name": "Ada"}
    assert item["target"]["source"].startswith("http")
    quote, position, block = item["target"]["selector"]
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": "now dry up by June",
        "prefix": quote["prefix"],
        "suffix": ".\n\nFarmers say the dam upstream ",
    }
    assert position["type"] == "TextPositionSelector"
    assert block["type"] == "CssSelector"
    assert block["refinedBy"]["type"] == "TextPositionSelector"
    assert item["anchorState"] == "anchored"


def test_ordinary_comments_are_not_annotations(client, an_inline_thread):
    from masthead.discussion.actions import post_comment
    from masthead.discussion.inputs import CommentInput
    from tests.helpers import guest_actor

    post_comment(
        guest_actor("Cy"),
        an_inline_thread,
        CommentInput(body="Great piece.", name="Cy", email="cy@example.com"),
    )
    post_inline(an_inline_thread, "Prices of wheat")
    assert [
        item["target"]["selector"][0]["exact"]
        for item in annotations(client, an_inline_thread)["first"]["items"]
    ] == ["Prices of wheat"]


def test_orphaned_comment_keeps_its_original_quote_in_the_export(
    client, an_inline_article, an_inline_thread, django_capture_on_commit_callbacks
):
    post_inline(an_inline_thread, "now dry up by June")
    with django_capture_on_commit_callbacks(execute=True):
        publish_edit(
            an_inline_article, lambda blocks: [b for b in blocks if CANALS not in str(b["value"])]
        )
    item = annotations(client, an_inline_thread)["first"]["items"][0]
    assert item["anchorState"] == "orphaned"
    assert item["target"]["selector"][0]["exact"] == "now dry up by June"


def test_moved_passage_is_exported_where_it_is_now(
    client, an_inline_article, an_inline_thread, django_capture_on_commit_callbacks
):
    post_inline(an_inline_thread, "Prices of wheat")

    def edit(blocks):
        blocks[-1]["value"] = (
            "<p>Since the drought began, prices of wheat in the local market have doubled.</p>"
        )
        return blocks

    with django_capture_on_commit_callbacks(execute=True):
        article = publish_edit(an_inline_article, edit)
    item = annotations(client, an_inline_thread)["first"]["items"][0]
    assert item["anchorState"] == "moved"
    from masthead.discussion.inline.matching import article_text

    position = item["target"]["selector"][1]
    assert article_text(article.body).text[position["start"] : position["end"]] == "prices of wheat"


def test_markup_in_quotes_stays_text(client, a_section, hostile_quote_article):
    thread, passage = hostile_quote_article
    post_inline(thread, passage)
    item = annotations(client, thread)["first"]["items"][0]
    assert item["target"]["selector"][0]["exact"] == passage
    page = client.get(thread.page.url).content.decode()
    assert "<script>alert(1)</script>" not in page


def test_unknown_or_unpublished_thread_is_404(client, an_inline_thread):
    response = client.get("/api/v1/threads/999999/annotations")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    an_inline_thread.page.unpublish()
    assert client.get(f"/api/v1/threads/{an_inline_thread.pk}/annotations").status_code == 404


def test_non_numeric_thread_id_is_a_4xx(client, db):
    response = client.get("/api/v1/threads/1%27%20OR%201=1/annotations")
    assert 400 <= response.status_code < 500


def test_comment_rows_are_untouched_by_reading(client, an_inline_thread):
    post_inline(an_inline_thread, "Prices of wheat")
    before = list(Comment.objects.values_list("id", "anchor_state", "target"))
    annotations(client, an_inline_thread)
    assert list(Comment.objects.values_list("id", "anchor_state", "target")) == before
