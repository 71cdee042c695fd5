"""Old links into imported discussions: `#comment-123` with the source's own comment id.

A WordPress (or Disqus, Remark42...) link to a comment names the comment by the old site's id. The
discussion script asks here when such a fragment matches no comment on the page, and scrolls to the
comment this answers with. Only comments readers can see are found (the same 404 as any other).
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import HttpRequest
from ninja import Router, Schema

from masthead.core.errors import ErrorOut, not_found
from masthead.core.inputs import PathId
from masthead.discussion import queries
from masthead.discussion.models import Comment, Thread
from masthead.migration.models import ImportedObject

router = Router(tags=["discussion"])


class CommentAnchorOut(Schema):
    comment_id: int
    thread_id: int
    anchor: str  # the fragment that finds the comment on the article page, e.g. "comment-4021"


def import_sources_of(thread: Thread) -> list[str]:
    """The imports that wrote this thread (as a thread, or as the article it belongs to)."""
    thread_type = ContentType.objects.get_for_model(Thread)
    rows = ImportedObject.objects.filter(
        Q(content_type=thread_type, object_id=str(thread.pk))
        | Q(kind="article", object_id=str(thread.page_id))
    )
    return list(rows.values_list("source", flat=True).distinct())


@router.get(
    "/threads/{thread_id}/comment-anchors/{source_comment_id}",
    response={200: CommentAnchorOut, 404: ErrorOut, 400: ErrorOut},
    summary="The comment an imported site's comment id names (old #comment-N links)",
)
def comment_anchor(request: HttpRequest, thread_id: PathId, source_comment_id: PathId) -> Any:
    """`source_comment_id` is the old site's id (a WordPress comment_ID); 404 when no visible
    comment of this thread was imported under it."""
    thread, _policy = queries.readable_thread(thread_id)
    sources = import_sources_of(thread)
    object_ids = ImportedObject.objects.filter(
        source__in=sources, kind="comment", source_id=str(source_comment_id)
    ).values_list("object_id", flat=True)
    comment = (
        Comment.objects.filter(
            thread=thread,
            pk__in=[int(pk) for pk in object_ids if pk.isdigit()],
            status__in=queries.VISIBLE,
        )
        .only("pk")
        .first()
    )
    if comment is None:
        raise not_found(queries.NOT_VISIBLE_MESSAGE)
    return {"comment_id": comment.pk, "thread_id": thread.pk, "anchor": f"comment-{comment.pk}"}
