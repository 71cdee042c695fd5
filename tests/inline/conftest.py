"""Helpers for inline-feedback tests: article texts built from paragraphs, as article_text() builds them.
(The inline article, its thread and post_inline: tests/conftest.py and tests/helpers.py.)"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from masthead.discussion.inline.matching import ArticleText, BlockSpan


def text_of(*paragraphs: str | tuple[str, str]) -> ArticleText:
    """An ArticleText of paragraphs; a (block id, text) pair keeps a block's id across edits."""
    parts: list[str] = []
    spans: list[BlockSpan] = []
    position = 0
    for number, paragraph in enumerate(paragraphs):
        block_id, text = (
            paragraph if isinstance(paragraph, tuple) else (f"block-{number}", paragraph)
        )
        if parts:
            position += 2
        spans.append(BlockSpan(block_id, "paragraph", position, position + len(text)))
        parts.append(text)
        position += len(text)
    return ArticleText("\n\n".join(parts), spans)


def publish_edit(article: Any, edit: Callable[[list[dict]], list[dict]]) -> Any:
    """Publish a new revision whose body is `edit(raw blocks)`; blocks keep their ids unless replaced."""
    from masthead.publishing.models import ArticlePage

    article = ArticlePage.objects.get(pk=article.pk)
    article.body = edit(copy.deepcopy(list(article.body.raw_data)))
    revision = article.save_revision()
    revision.publish()
    return ArticlePage.objects.get(pk=article.pk)


def paragraph(text: str) -> dict:
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


@pytest.fixture
def hostile_quote_article(a_section: Any) -> tuple[Any, str]:
    """An article whose text contains markup-looking passages (escaped by the editor), and its thread."""
    from masthead.discussion.actions import thread_for_page
    from masthead.publishing.actions import create_article

    article = create_article(
        a_section,
        "Markup in the text",
        body=[
            (
                "paragraph",
                '<p>The filter let &lt;script&gt;alert(1)&lt;/script&gt; through, and "quotes" too.</p>',
            )
        ],
    )
    article.inline_highlights = "on"
    article.save_revision().publish()
    return thread_for_page(article), '<script>alert(1)</script> through, and "quotes"'
