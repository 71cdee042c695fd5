"""Template tags that place the discussion on a page. Filled in by the discussion issue."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def discussion(context: dict[str, Any], page: Any) -> str:
    """The discussion region under an article (server-rendered, enhanced by discussion.js)."""
    return ""
