"""Template tags that place the discussion on a page: `{% discussion page %}` after the article.

The region is the same HTML for every anonymous reader (it is cached with the page): no CSRF token and
no per-reader state. discussion.js asks `/api/v1/threads/{id}/me` for that and applies it.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.core.exceptions import BadRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from masthead.core.errors import ApiError
from masthead.core.inputs import MAX_ID, parse_optional_int
from masthead.discussion.avatars import avatar_url, user_avatar_url
from masthead.discussion.models import CommentStatus

register = template.Library()

SORT_LABELS = (("newest", _("Newest")), ("oldest", _("Oldest")), ("votes", _("Most voted")))


def _comment_id(params: Any, name: str) -> int | None:
    """`?comment=` / `?reply=`: a comment id, or none; anything else is a 400 page (core.views)."""
    try:
        return parse_optional_int(params.get(name), name=name, minimum=1, maximum=MAX_ID - 1)
    except ApiError as error:
        raise BadRequest(error.message) from error


@register.simple_tag(takes_context=True)
def discussion(context: dict[str, Any], page: Any) -> SafeString | str:
    """The discussion region under an article (server-rendered, enhanced by discussion.js)."""
    from masthead.discussion.actions import thread_for_page
    from masthead.discussion.policy import cached_policy
    from masthead.discussion.translations import discussion_page

    if page is None or getattr(page, "pk", None) is None:
        return ""
    translated_page = page
    # A translation may show its original's thread (docs/languages-multilingual.md).
    page = discussion_page(page)
    policy = cached_policy(page)
    if policy.is_hidden:
        return ""
    thread = thread_for_page(page)
    request = context.get("request")
    return render_to_string(
        "discussion/region.html",
        {
            **region_context(request.GET if request is not None else {}, thread, policy),
            "page": page,
            "original": original_discussion(translated_page, page),
        },
    )


def region_context(params: Any, thread: Any, policy: Any) -> dict[str, Any]:
    """What discussion/region.html needs of a thread, read from the page's query (`params`): sort,
    View all, a linked comment's page, the inline filter, a reply target, the pending notice. Used
    under an article (`{% discussion page %}`) and on an external page's own page (views.py)."""
    from masthead.discussion import queries

    sort = params.get("dsort", "newest")
    sort = sort if sort in queries.SORTS else "newest"
    limit: int | None = policy.page_size
    if params.get("comments") == "all":
        limit = None
    linked = _comment_id(params, "comment")
    if linked is not None and limit is not None:
        needed = queries.page_of_comment(thread, linked, sort, policy.page_size)
        if needed is not None:
            limit = max(limit, needed)
    kind = "inline" if params.get("dkind") == "inline" else ""  # the "Inline feedback" filter
    comments = queries.thread_page(thread, sort, limit, None, policy.display_depth, kind)
    return {
        "thread": thread,
        "policy": policy,
        "is_open": policy.is_open and not thread.is_closed,
        "live": queries.follows_live(thread, policy),
        "live_poll": int(getattr(settings, "LIVE_POLL_SECONDS", 30)),
        "count": comments.count,
        "nodes": comments.items,
        "next_cursor": comments.next_cursor,
        "sort": sort,
        "kind": kind,
        "sorts": SORT_LABELS,
        "reply_to": _comment_id(params, "reply"),
        "pending_notice": params.get("posted") == "pending",
        "likes_only": policy.likes_only,
        "window": policy.reply_window,
        "original": None,
    }


def original_discussion(page: Any, shown: Any) -> dict[str, Any] | None:
    """On a translation with its own thread: the original's URL, language and comment count."""
    from wagtail.models import Page

    from masthead.discussion.models import Thread
    from masthead.discussion.translations import original_page_id

    if shown.pk != page.pk:
        return None  # the thread shown is the original's already
    original_id = original_page_id(page)
    if original_id is None:
        return None
    count = (
        Thread.objects.filter(page_id=original_id).values_list("comment_count", flat=True).first()
    )
    if not count:
        return None
    original = Page.objects.select_related("locale").get(pk=original_id)
    return {"url": original.url, "language": original.locale.language_code, "count": count}


@register.simple_tag
def comment_avatar(comment: Any, gravatar: bool = False) -> str:
    if comment.status == CommentStatus.DELETED:
        return ""
    if comment.user_id:
        return user_avatar_url(comment.user, comment.author_name, comment.author_email, gravatar)
    return avatar_url(comment.author_name, comment.author_email, None, gravatar)


@register.filter
def supporter_badge(comment: Any) -> bool:
    from masthead.discussion.serialise import shows_supporter_badge

    return shows_supporter_badge(comment)


@register.filter
def safe_comment_html(html: str) -> SafeString:
    """Comment HTML is sanitised with nh3 when written (rendering.render_markdown); shown as stored."""
    return mark_safe(html)


@register.filter
def split_window(replies: list[Any], size: int) -> tuple[list[Any], list[Any]]:
    return replies[:size], replies[size:]
