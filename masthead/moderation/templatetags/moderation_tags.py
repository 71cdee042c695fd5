"""Template tags of the moderation app. Filled in by the moderation issue."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def moderation_tools(context: dict[str, Any], thread: Any) -> str:
    """Assets for staff moderation on the article page; they act only when /me says the reader is staff."""
    return ""
