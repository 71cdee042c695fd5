"""Re-anchoring inline comments when their article is published, and reading the results.

`page_published` (Wagtail) -> `schedule_reanchoring` enqueues `reanchor_article_task` on commit ->
`reanchor_article` resolves every inline comment against the published text, stores one
AnchorResolution per comment for that revision, updates `Comment.anchor_state`, and bumps the
thread's cached version so readers see markers move or disappear.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django_tasks import task

from masthead.core import cache_versions
from masthead.core.on_commit import enqueue_on_commit
from masthead.discussion.inline.matching import ArticleText, Resolution, article_text, resolve


def inline_comments(page_id: int) -> Any:
    from masthead.discussion.models import Comment

    return Comment.objects.filter(thread__page_id=page_id, target__isnull=False)


def schedule_reanchoring(page: Any, revision: Any = None) -> None:
    """After commit, re-anchor the page's inline comments, if it has any (cheap no-op otherwise)."""
    if not hasattr(page, "body") or not inline_comments(page.pk).exists():
        return
    revision_id = revision.pk if revision is not None else None
    enqueue_on_commit(reanchor_article_task, page.pk, revision_id)


@task()
def reanchor_article_task(page_id: int, revision_id: int | None = None) -> dict[str, int]:
    return reanchor_article(page_id, revision_id)


def live_text(page: Any) -> ArticleText:
    return article_text(page.specific.body)


@transaction.atomic
def reanchor_article(page_id: int, revision_id: int | None = None) -> dict[str, int]:
    """Resolve every inline comment of a published article against its live text.

    Preconditions: the page is live. Writes AnchorResolution rows for the live revision (replacing
    earlier ones for it) and changed `Comment.anchor_state` values; bumps the thread's version on
    commit. Returns counts per state.
    """
    from wagtail.models import Page

    from masthead.discussion.inline.models import AnchorResolution
    from masthead.discussion.models import Thread

    page = Page.objects.filter(pk=page_id, live=True).first()
    if page is None:
        return {}
    page = page.specific
    revision_id = page.live_revision_id or revision_id
    if revision_id is None:
        return {}
    text = live_text(page)
    comments = list(inline_comments(page_id).only("id", "target", "anchor_state", "thread_id"))
    rows = []
    changed_state: dict[str, list[int]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for comment in comments:
        found = resolve(text, comment.target)
        counts[found.state] += 1
        rows.append(
            AnchorResolution(
                comment_id=comment.pk,
                revision_id=revision_id,
                state=found.state,
                start=found.start,
                end=found.end,
                exact=found.exact,
                block_id=found.block_id,
                changed=found.changed,
            )
        )
        if comment.anchor_state != found.state:
            changed_state[found.state].append(comment.pk)
    AnchorResolution.objects.filter(revision_id=revision_id).delete()
    AnchorResolution.objects.bulk_create(rows, batch_size=500)
    for state, ids in changed_state.items():
        inline_comments(page_id).filter(pk__in=ids).update(anchor_state=state)
    Thread.objects.filter(page_id=page_id).update(version=F("version") + 1)
    cache_versions.bump("thread", page_id)
    return dict(counts)


def resolutions_for(page: Any, comments: list[Any]) -> dict[int, Resolution]:
    """Each comment's passage in the live text: stored results for the live revision, resolving
    (without storing) any the background task has not reached yet."""
    from masthead.discussion.inline.models import AnchorResolution

    found: dict[int, Resolution] = {}
    revision_id = getattr(page, "live_revision_id", None)
    if revision_id is not None and comments:
        for row in AnchorResolution.objects.filter(
            revision_id=revision_id, comment_id__in=[comment.pk for comment in comments]
        ):
            found[row.comment_id] = Resolution(
                row.state, row.start, row.end, row.exact, row.block_id, row.changed
            )
    missing = [comment for comment in comments if comment.pk not in found]
    if missing:
        text = live_text(page)
        for comment in missing:
            found[comment.pk] = resolve(text, comment.target)
    return found


def complete_comment_target(thread: Any, target: Any, parent: Any = None) -> dict[str, Any] | None:
    """A new comment's target, validated against the article's live text and completed (position,
    context, block, revision); None when the comment is not inline.

    Raises ApiError 400 for replies with a target and for bad selectors, 403 `inline_disabled` when
    the article does not accept comments on passages (answers to editor prompts always are).
    """
    from masthead.core.errors import ApiError, ErrorCode
    from masthead.discussion.blocks import prompt_passages
    from masthead.discussion.inline.matching import complete_target
    from masthead.discussion.policy import effective_policy

    if target is None:
        return None
    if parent is not None:
        message = "A reply cannot quote a passage; reply to the inline comment instead."
        raise ApiError(ErrorCode.INVALID, message, 400, {"target": message})
    page = thread.page.specific if thread.page_id is not None else None
    body = getattr(page, "body", None)
    if page is None or body is None:
        raise ApiError(
            ErrorCode.INVALID,
            _("This page has no text to comment on."),
            400,
            {"target": _("No text.")},
        )
    prompts = prompt_passages(body)
    asks_prompt = isinstance(target, dict) and bool(target.get("prompt"))
    if not asks_prompt and not effective_policy(page).inline_highlights:
        raise ApiError(
            ErrorCode.INLINE_DISABLED,
            _("Comments on passages are not enabled for this article."),
            403,
        )
    return complete_target(
        article_text(body),
        target,
        source=page.full_url or page.url or "",
        revision_id=page.live_revision_id,
        prompt_passages=prompts,
    )


def count_inline(thread: Any) -> int:
    """Public inline comments of a thread (the count shown on the "Inline feedback" filter)."""
    from masthead.discussion.models import Comment, CommentStatus

    return int(
        Comment.objects.filter(
            thread=thread, target__isnull=False, parent__isnull=True, status=CommentStatus.APPROVED
        ).count()
    )
