"""Template tags that place the support block on a page. Filled in by the funding issue."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def support_block(context: dict[str, Any], page: Any, placement: str) -> str:
    """The support block (pitch, goal bar, button) at `placement` ('before' or 'after' the body), or ''."""
    return ""
