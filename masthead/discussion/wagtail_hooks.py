"""Editor warnings: publishing a change that would orphan or reword passages readers commented on.

Before publishing (`before_publish_page`), inline comments are resolved against the new text. If some
would lose their passage or see it reworded, the publish stops once: the changes are kept as a draft,
the editor sees which discussions are affected, and publishing again confirms. Opening the editor on
a draft with such changes (`before_edit_page`, GET) shows the same warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from wagtail import hooks

CONFIRM_KEY = "inline-anchor-confirm:{}"
QUOTE_PREVIEW = 60


@dataclass
class Impact:
    orphaned: list[tuple[int, str]]  # (comment id, quote)
    reworded: list[tuple[int, str]]

    def __bool__(self) -> bool:
        return bool(self.orphaned or self.reworded)

    @property
    def signature(self) -> str:
        return ",".join(
            f"{kind}{pk}"
            for kind, items in (("o", self.orphaned), ("r", self.reworded))
            for pk, _ in items
        )


def publish_impact(live_page: Any, new_body: Any) -> Impact:
    """Public inline comments whose passage the new body would remove or reword (compared with now)."""
    from masthead.discussion.inline.matching import ORPHANED, article_text, quote_of, resolve
    from masthead.discussion.inline.reanchoring import inline_comments
    from masthead.discussion.models import CommentStatus

    comments = list(
        inline_comments(live_page.pk)
        .filter(status=CommentStatus.APPROVED)
        .only("id", "target")[:2000]
    )
    impact = Impact([], [])
    if not comments:
        return impact
    before = article_text(live_page.body)
    after = article_text(new_body)
    for comment in comments:
        now, then = resolve(before, comment.target), resolve(after, comment.target)
        if then.state == ORPHANED and now.state != ORPHANED:
            impact.orphaned.append((comment.pk, quote_of(comment.target)))
        elif then.state != ORPHANED and then.changed and not now.changed:
            impact.reworded.append((comment.pk, quote_of(comment.target)))
    return impact


def _preview(quote: str) -> str:
    quote = " ".join(quote.split())
    return quote if len(quote) <= QUOTE_PREVIEW else quote[: QUOTE_PREVIEW - 1] + "…"


def warning_html(impact: Impact, confirm: bool) -> str:
    parts = []
    if impact.orphaned:
        parts.append(
            format_html(
                "{} reader discussion(s) would lose their passage (shown as “the passage was changed”): {}.",
                len(impact.orphaned),
                format_html_join(", ", "“{}”", ((_preview(q),) for _, q in impact.orphaned[:5])),
            )
        )
    if impact.reworded:
        parts.append(
            format_html(
                "{} discussion(s) would point at reworded passages: {}.",
                len(impact.reworded),
                format_html_join(", ", "“{}”", ((_preview(q),) for _, q in impact.reworded[:5])),
            )
        )
    if confirm:
        parts.append(
            format_html("{}", "Your changes are saved as a draft. Publish again to confirm.")
        )
    return format_html_join(" ", "{}", ((part,) for part in parts))


@hooks.register("before_publish_page")
def warn_before_orphaning_discussions(request: HttpRequest, page: Any) -> HttpResponse | None:
    """Stop the first publish that would orphan or reword commented passages; the second goes through."""
    from wagtail.models import Page

    if not hasattr(page, "body") or not page.live:
        return None
    live = Page.objects.get(pk=page.pk).specific
    impact = publish_impact(live, page.body)
    key = CONFIRM_KEY.format(page.pk)
    session = getattr(request, "session", None)
    if not impact or session is None:
        return None
    if session.get(key) == impact.signature:
        del session[key]
        return None
    session[key] = impact.signature
    messages.warning(request, warning_html(impact, confirm=True))
    return HttpResponseRedirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))


@hooks.register("before_edit_page")
def warn_about_draft_changes(request: HttpRequest, page: Any) -> None:
    """Opening the editor on a draft that would orphan discussions says so at once."""
    if request.method != "GET" or not page.live or not page.has_unpublished_changes:
        return
    from wagtail.models import Page

    live = Page.objects.get(pk=page.pk).specific  # `page` here is the latest draft
    if not hasattr(live, "body"):
        return
    draft = live.get_latest_revision_as_object()
    impact = publish_impact(live, draft.body)
    if impact:
        messages.warning(request, warning_html(impact, confirm=False))
