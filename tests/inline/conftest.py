"""Helpers for inline-feedback tests: article texts built from paragraphs, as article_text() builds them."""

from __future__ import annotations

from masthead.discussion.anchors import ArticleText, BlockSpan


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


def quote(exact: str) -> dict:
    return {"selector": [{"type": "TextQuoteSelector", "exact": exact}]}
