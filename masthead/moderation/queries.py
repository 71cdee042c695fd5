"""Reads for moderators: the queue, scoped to the request's site, with history and reports in bulk."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from wagtail.models import Site

from masthead.discussion.models import Comment, CommentStatus
from masthead.moderation.models import AuthorRecord, ProviderCheck, Report, SubmissionLog
from masthead.moderation.receivers import comment_author_keys

TABS = ["pending", "reported", "spam", "approved", "removed"]


def site_comments(request: HttpRequest) -> QuerySet[Comment]:
    """Comments on pages of the request's site only: nothing from another site on this install leaks."""
    site = Site.find_for_request(request)
    if site is None:
        return Comment.objects.none()
    root = site.root_page
    # External pages' threads (imported by URL, no article) belong to the install, not to one site.
    return Comment.objects.filter(
        Q(thread__page__path__startswith=root.path) | Q(thread__page__isnull=True)
    )


@dataclass
class QueueFilters:
    article: int | None = None
    author: str = ""
    rule: str = ""
    since: date | None = None
    until: date | None = None
    query: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def queue(request: HttpRequest, tab: str, filters: QueueFilters | None = None) -> QuerySet[Comment]:
    """A tab of the queue, newest first. `reported` holds comments with open reports, whatever their status."""
    filters = filters or QueueFilters()
    comments = site_comments(request).select_related("thread__page", "parent", "user")
    comments = comments.annotate(open_reports=Count("reports", filter=Q(reports__is_open=True)))
    if tab == "reported":
        comments = comments.filter(open_reports__gt=0)
    elif tab == "removed":
        comments = comments.filter(status__in=[CommentStatus.REMOVED, CommentStatus.DELETED])
    else:
        comments = comments.filter(status=tab)
    if filters.article:
        comments = comments.filter(thread__page_id=filters.article)
    if filters.author:
        author = filters.author.strip()
        comments = comments.filter(
            Q(author_name__icontains=author)
            | Q(author_email__iexact=author)
            | Q(user__username__iexact=author)
        )
    if filters.rule:
        comments = comments.filter(moderation__rule=filters.rule)
    if filters.since:
        comments = comments.filter(created_at__date__gte=filters.since)
    if filters.until:
        comments = comments.filter(created_at__date__lte=filters.until)
    if filters.query:
        comments = comments.filter(body__icontains=filters.query.strip())
    return comments.order_by("-created_at", "-id")


def tab_counts(request: HttpRequest) -> dict[str, int]:
    comments = site_comments(request)
    by_status = dict(comments.values_list("status").annotate(n=Count("id")).order_by())
    reported = comments.filter(reports__is_open=True).values("id").distinct().count()
    return {
        "pending": by_status.get(CommentStatus.PENDING, 0),
        "reported": reported,
        "spam": by_status.get(CommentStatus.SPAM, 0),
        "approved": by_status.get(CommentStatus.APPROVED, 0),
        "removed": by_status.get(CommentStatus.REMOVED, 0)
        + by_status.get(CommentStatus.DELETED, 0),
    }


def annotate_rows(comments: list[Comment]) -> list[Comment]:
    """Attach `history` (approved, rejected), `report_summary` [(reason, count)], `network` (a tag
    of the hashed /24 or /56 network) and `provider` (what Akismet said, or None) in four queries."""
    keys = {comment.pk: comment_author_keys(comment) for comment in comments}
    records = {
        record.key: record
        for record in AuthorRecord.objects.filter(
            key__in={key for found in keys.values() for key in found}
        )
    }
    summaries: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for row in (
        Report.objects.filter(comment_id__in=list(keys), is_open=True)
        .values("comment_id", "reason")
        .annotate(n=Count("id"))
        .order_by("comment_id", "reason")
    ):
        summaries[row["comment_id"]].append((row["reason"], row["n"]))
    networks = dict(
        SubmissionLog.objects.filter(comment_id__in=list(keys)).values_list(
            "comment_id", "network_hash"
        )
    )
    providers = {
        check.comment_id: check
        for check in ProviderCheck.objects.filter(comment_id__in=list(keys)).only(
            "comment_id", "provider", "result", "detail", "feedback"
        )
    }
    for comment in comments:
        check = providers.get(comment.pk)
        comment.provider = (  # type: ignore[attr-defined]
            {
                "name": check.provider,
                "result": check.result,
                "detail": check.detail,
                "feedback": check.feedback,
            }
            if check is not None
            else None
        )
        network = networks.get(comment.pk) or ""
        comment.network = f"#{network[:6]}" if network else ""  # type: ignore[attr-defined]
        found = [records[key] for key in keys[comment.pk] if key in records]
        comment.history = {  # type: ignore[attr-defined]
            "approved": max((record.approved_count for record in found), default=0),
            "rejected": max((record.rejected_count for record in found), default=0),
        }
        comment.report_summary = summaries.get(comment.pk, [])  # type: ignore[attr-defined]
    return comments


def masked_address(comment: Comment) -> str:
    """The stored address is a salted hash; moderators see a short, stable tag to spot the same source."""
    return f"#{comment.ip_hash[:8]}" if comment.ip_hash else ""


def comment_for_moderator(request: HttpRequest, comment_id: int) -> Comment | None:
    return (
        site_comments(request)
        .select_related("thread__page", "parent")
        .filter(pk=comment_id)
        .first()
    )
