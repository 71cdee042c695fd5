"""Template tags of the notifications app."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string

register = template.Library()


@register.simple_tag(takes_context=True)
def subscribe_form(context: dict[str, Any], thread: Any) -> str:
    """'Follow without commenting' form under the discussion (no per-reader state: pages are cached)."""
    if thread is None or getattr(thread, "pk", None) is None:
        return ""
    return render_to_string("notifications/subscribe_form.html", {"thread": thread})
