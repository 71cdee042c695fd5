"""Template tags of the moderation app: staff tools on article pages, safe comment HTML for staff views."""

from __future__ import annotations

from typing import Any

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext_lazy

from masthead.discussion.rendering import sanitise

register = template.Library()


@register.simple_tag(takes_context=True)
def moderation_tools(context: dict[str, Any], thread: Any) -> str:
    """Assets for staff moderation on the article page; they act only when /me says the reader is staff.

    The same markup for every reader (pages are cached): the script asks the API who is reading.
    """
    thread_id = getattr(thread, "pk", None)
    if thread_id is None:
        return ""
    return format_html(
        '<link rel="stylesheet" href="{}"><script src="{}" defer data-moderation-thread="{}"></script>',
        static("moderation/article-tools.css"),
        static("moderation/article-tools.js"),
        thread_id,
    )


@register.filter
def moderation_safe_html(html: str) -> SafeString:
    """Comment HTML sanitised once more (the allow-list used at write time) before staff see it: the
    stored HTML is already clean, but moderation screens are where staff read hostile text."""
    cleaned = sanitise(html or "")
    return mark_safe(cleaned)


# The queue's tabs and comment statuses are identifiers in the code and the URL; readers of the
# queue see them in their own language.
STATUS_LABELS = {
    "pending": pgettext_lazy("comment status", "pending"),
    "reported": pgettext_lazy("comment status", "reported"),
    "spam": pgettext_lazy("comment status", "spam"),
    "approved": pgettext_lazy("comment status", "approved"),
    "removed": pgettext_lazy("comment status", "removed"),
    "deleted": pgettext_lazy("comment status", "deleted"),
    "hidden": pgettext_lazy("comment status", "hidden"),
}


@register.filter
def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(str(status), status))
