"""Plain-text views of an article body, for search, feeds and anchoring."""

from __future__ import annotations

import html
import re
from typing import Any

from django.utils.html import strip_tags

_BLOCK_BREAK = re.compile(r"</(p|li|h[1-6]|blockquote)>", re.IGNORECASE)


def rich_text_plain(source: str) -> str:
    text = _BLOCK_BREAK.sub(lambda match: match.group(0) + "\n", source)
    return html.unescape(strip_tags(text)).strip()


def body_plain_text(article: Any) -> str:
    """Paragraphs, headings and pull quotes in order, separated by blank lines."""
    parts: list[str] = []
    for block in article.body:
        if block.block_type == "paragraph":
            parts.append(rich_text_plain(str(block.value.source)))
        elif block.block_type == "heading":
            parts.append(block.value["text"])
        elif block.block_type == "pull_quote":
            parts.append(block.value["quote"])
    return "\n\n".join(part for part in parts if part)
