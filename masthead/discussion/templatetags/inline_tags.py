"""Template tags of inline feedback: the article page's assets and config, quotes in the discussion."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote as url_quote

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from masthead.discussion.inline.matching import quote_of

register = template.Library()
_WORDS = re.compile(r"\S+")
FRAGMENT_WORDS = 4


@register.simple_tag(takes_context=True)
def inline_feedback(context: dict[str, Any], page: Any) -> SafeString:
    """inline.css, inline.js and their config for an article; the same for every anonymous reader."""
    from masthead.discussion.models import Thread
    from masthead.discussion.policy import cached_policy

    if page is None or not hasattr(page, "body") or not getattr(page, "live", False):
        return SafeString("")
    thread = Thread.objects.filter(page_id=page.pk).only("id").first()
    if thread is None:
        return SafeString("")
    policy = cached_policy(page)
    if policy.is_hidden:
        return SafeString("")
    config = {
        "threadId": thread.pk,
        "highlights": policy.inline_highlights,
        "open": policy.is_open and not thread.is_closed,
        "api": "/api/v1",
    }
    return SafeString(render_to_string("discussion/inline/assets.html", {"config": config}))


def _fragment_part(text: str) -> str:
    return url_quote(text, safe="").replace("-", "%2D")


@register.filter
def text_fragment(quote: str) -> str:
    """A URL text fragment (`#:~:text=start,end`) that scrolls to and highlights `quote`."""
    words = _WORDS.findall(quote or "")
    if not words:
        return ""
    if len(words) <= 2 * FRAGMENT_WORDS:
        return "#:~:text=" + _fragment_part(" ".join(words))
    start = " ".join(words[:FRAGMENT_WORDS])
    end = " ".join(words[-FRAGMENT_WORDS:])
    return f"#:~:text={_fragment_part(start)},{_fragment_part(end)}"


@register.inclusion_tag("discussion/inline/quote.html", takes_context=True)
def inline_quote(context: Any, comment: Any) -> dict[str, Any]:
    """The quoted passage above an inline comment, with its share link or "the passage was changed"."""
    quote = quote_of(getattr(comment, "target", None)) if getattr(comment, "target", None) else ""
    page = context.get("page")
    return {
        "quote": quote,
        "orphaned": getattr(comment, "anchor_state", "") == "orphaned",
        "fragment": text_fragment(quote),
        "page_url": (getattr(page, "url", "") or "") if page is not None else "",
        "comment_id": getattr(comment, "pk", None),
    }
