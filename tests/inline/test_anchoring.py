"""Publishing an edit re-anchors inline comments in the background; results are kept per revision."""

from __future__ import annotations

from typing import Any

import pytest

from masthead.core.errors import ApiError, ErrorCode
from masthead.discussion.inline.models import AnchorResolution
from masthead.discussion.models import Comment, Thread
from tests.helpers import CANALS, connected, post_inline, quote
from tests.inline.conftest import paragraph, publish_edit


def test_new_inline_comment_is_stored_anchored_with_a_completed_target(an_inline_thread):
    comment = post_inline(an_inline_thread, "now dry up by June")
    comment.refresh_from_db()
    assert comment.anchor_state == "anchored"
    kinds = [selector["type"] for selector in comment.target["selector"]]
    assert kinds == ["TextQuoteSelector", "TextPositionSelector", "CssSelector"]
    assert comment.target["revision"] == an_inline_thread.page.live_revision_id


def test_publishing_an_edit_moves_keeps_and_orphans_anchors(
    an_inline_article, an_inline_thread, django_capture_on_commit_callbacks
):
    prices = post_inline(an_inline_thread, "Prices of wheat")
    canals = post_inline(an_inline_thread, "now dry up by June")
    river = post_inline(an_inline_thread, "lowest level in a decade")

    def edit(blocks):
        blocks.insert(0, paragraph("An update: rain fell overnight in the north."))
        blocks[1]["value"] = blocks[1]["value"].replace("its lowest", "its very lowest")
        return [block for block in blocks if CANALS not in str(block["value"])]

    with django_capture_on_commit_callbacks(execute=True):
        article = publish_edit(an_inline_article, edit)

    states = dict(Comment.objects.filter(target__isnull=False).values_list("id", "anchor_state"))
    assert states == {prices.pk: "anchored", canals.pk: "orphaned", river.pk: "moved"}
    rows = {
        row.comment_id: row
        for row in AnchorResolution.objects.filter(revision_id=article.live_revision_id)
    }
    assert rows[river.pk].exact == "lowest level in a decade"
    assert rows[canals.pk].start is None
    # The original quote is never lost.
    assert Comment.objects.get(pk=canals.pk).target["selector"][0]["exact"] == "now dry up by June"


def reanchorings_enqueued(publish: Any, capture: Any) -> list[Any]:
    """Run `publish` and its on-commit work; the re-anchoring tasks it enqueued (any way it does)."""
    from django_tasks.signals import task_enqueued

    from masthead.discussion.inline.reanchoring import reanchor_article_task

    enqueued: list[Any] = []

    def record(sender: Any, task_result: Any, **kwargs: Any) -> None:
        if task_result.task.module_path == reanchor_article_task.module_path:
            enqueued.append(task_result)

    with connected(task_enqueued, record), capture(execute=True):
        publish()
    return enqueued


def test_publishing_without_inline_comments_schedules_nothing(
    an_inline_article, django_capture_on_commit_callbacks
):
    unchanged = [AnchorResolution.objects.count(), Comment.objects.count()]
    publish = lambda: publish_edit(an_inline_article, lambda blocks: blocks[:1])  # noqa: E731
    assert reanchorings_enqueued(publish, django_capture_on_commit_callbacks) == []
    assert [AnchorResolution.objects.count(), Comment.objects.count()] == unchanged
    # The same watch sees the task once the article has an inline comment: it can fail.
    thread = Thread.objects.get(page=an_inline_article)
    post_inline(thread, "lowest level in a decade")
    [result] = reanchorings_enqueued(publish, django_capture_on_commit_callbacks)
    assert result.args[0] == an_inline_article.pk
    assert AnchorResolution.objects.count() == 1


def test_reply_cannot_carry_a_target(an_inline_thread):
    from masthead.discussion.inline.reanchoring import complete_comment_target

    parent = post_inline(an_inline_thread, "Prices of wheat")
    with pytest.raises(ApiError) as refused:
        complete_comment_target(an_inline_thread, quote("Prices of wheat"), parent=parent)
    assert (refused.value.status, refused.value.code) == (400, ErrorCode.INVALID)
    assert "target" in refused.value.fields


def test_passages_are_refused_where_highlights_are_off_but_prompt_answers_are_welcome(
    an_inline_article,
):
    from masthead.discussion.actions import thread_for_page
    from masthead.discussion.inline.reanchoring import complete_comment_target

    an_inline_article.inline_highlights = "off"
    an_inline_article.save_revision().publish()
    thread = thread_for_page(an_inline_article)
    with pytest.raises(ApiError) as refused:
        complete_comment_target(thread, quote("Prices of wheat"))
    assert (refused.value.status, refused.value.code) == (403, ErrorCode.INLINE_DISABLED)
    assert refused.value.code == "inline_disabled"
    prompt_id = next(
        block.id for block in an_inline_article.body if block.block_type == "feedback_prompt"
    )
    target = complete_comment_target(thread, {"prompt": prompt_id})
    assert target["selector"][0]["exact"] == "the dam upstream holds back the spring floods"
