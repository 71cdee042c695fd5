"""Comment Markdown to safe HTML: a Markdown subset (markdown-it-py, raw HTML off) cleaned by nh3 to an allow-list.

The HTML is rendered once, when a comment is written, and stored beside its source. Rendering is kept
within a time budget: input that makes the parser slow is shown as escaped plain paragraphs instead.
"""

from __future__ import annotations

import html
import logging
import time

import nh3
from markdown_it import MarkdownIt

logger = logging.getLogger("masthead.discussion")

ALLOWED_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "a",
    "blockquote",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "del",
    "s",
    "hr",
}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener noreferrer"
RENDER_BUDGET_SECONDS = 0.25

_markdown = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True, "maxNesting": 12})
    .disable(
        ["image", "html_block", "html_inline", "heading", "lheading", "table"], ignoreInvalid=True
    )
    .enable("strikethrough")
)


def sanitise(markup: str) -> str:
    """Clean HTML to the comment allow-list; applying it twice gives the same result."""
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()


def plain_paragraphs(text: str) -> str:
    paragraphs = [part for part in text.split("\n\n") if part.strip()]
    return "".join(
        "<p>" + html.escape(part.strip()).replace("\n", "<br>") + "</p>" for part in paragraphs
    )


def render_markdown(text: str) -> str:
    """Render a comment body (already normalised and length-checked) to sanitised HTML."""
    started = time.perf_counter()
    try:
        rendered = _markdown.render(text)
    except RecursionError:
        rendered = None
    if rendered is None or time.perf_counter() - started > RENDER_BUDGET_SECONDS:
        logger.warning("Comment markdown over budget; rendered as plain text")
        rendered = plain_paragraphs(text)
    cleaned = sanitise(rendered)
    # Parsing and serialising again must not change it (mutation XSS relies on that changing).
    again = sanitise(cleaned)
    return again
