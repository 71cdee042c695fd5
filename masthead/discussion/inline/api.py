"""Inline feedback over the JSON API: a thread's inline comments as a W3C Web Annotation collection.

GET /api/v1/threads/{id}/annotations -> an `AnnotationCollection` (JSON-LD) whose first page holds
every public inline comment, targeted at where its passage is in the published text now (anchors are
resolved per revision in the background; see reanchoring.py). The article page's inline.js reads it to
draw markers; other tools can import it as W3C annotations.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import Router

from masthead.core import cache_versions
from masthead.core.inputs import PathId
from masthead.discussion.inline.matching import (
    Resolution,
    article_text,
    build_target,
    read_selectors,
)
from masthead.discussion.inline.reanchoring import resolutions_for

router = Router(tags=["inline feedback"])

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
MAX_ANNOTATIONS = 2000
CACHE_SECONDS = 600


def _thread(thread_id: int) -> Any:
    from masthead.discussion.queries import visible_thread

    return visible_thread(thread_id)  # the one 404 of hidden and unknown threads


def _current_target(page: Any, comment: Any, found: Resolution, text: Any, source: str) -> dict:
    """The target where the passage is now; the stored one (original quote) when orphaned."""
    if found.start is None or found.end is None:
        target = dict(comment.target)
        target["source"] = source
        return target
    prompt = read_selectors(comment.target).prompt
    return build_target(text, found.start, found.end, source=source, prompt=prompt)


def annotation_collection(request: HttpRequest, thread: Any) -> dict[str, Any]:
    from masthead.discussion.models import Comment, CommentStatus

    if thread.page_id is None:  # an external page's discussion has no passages here
        return {"@context": ANNO_CONTEXT, "type": "AnnotationCollection", "total": 0, "items": []}
    page = thread.page.specific
    comments = list(
        Comment.objects.filter(
            thread=thread, status=CommentStatus.APPROVED, target__isnull=False
        ).order_by("created_at", "id")[:MAX_ANNOTATIONS]
    )
    found = resolutions_for(page, comments)
    text = article_text(page.body)
    source = request.build_absolute_uri(page.url or "/")
    items = []
    for comment in comments:
        where = found[comment.pk]
        item: dict[str, Any] = {
            "id": f"{source}#comment-{comment.pk}",
            "type": "Annotation",
            "motivation": "commenting",
            "created": comment.created_at.isoformat(),
            "creator": {"type": "Person", "name": comment.author_name},
            "body": {
                "type": "TextualBody",
                "value": comment.html,
                "format": "text/html",
                "purpose": "commenting",
            },
            "target": _current_target(page, comment, where, text, source),
            "anchorState": where.state,
            "replyCount": comment.reply_count,
        }
        if comment.edited_at:
            item["modified"] = comment.edited_at.isoformat()
        items.append(item)
    collection_id = request.build_absolute_uri(f"/api/v1/threads/{thread.pk}/annotations")
    return {
        "@context": [
            ANNO_CONTEXT,
            {
                "masthead": request.build_absolute_uri("/api/v1/openapi.json#"),
                "anchorState": "masthead:anchorState",
                "replyCount": "masthead:replyCount",
                "revision": "masthead:revision",
                "prompt": "masthead:prompt",
            },
        ],
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": f"Inline feedback on “{page.title}”",
        "total": len(items),
        "first": {
            "id": f"{collection_id}?page=0",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }


@router.get("/threads/{thread_id}/annotations", response={200: Any, 404: Any})
def thread_annotations(request: HttpRequest, thread_id: PathId) -> HttpResponse:
    """The thread's public inline comments as a W3C Web Annotation `AnnotationCollection`."""
    thread = _thread(thread_id)
    key = "inline:annotations:{}:{}:{}:{}:{}:{}".format(
        thread.pk,
        thread.version,
        cache_versions.versions([("thread", thread.version_key)])[0],
        getattr(thread.page, "live_revision_id", ""),
        request.get_host(),
        translation.get_language(),
    )
    body = cache.get(key)
    if body is None:
        body = json.dumps(annotation_collection(request, thread), ensure_ascii=False)
        cache.set(key, body, CACHE_SECONDS)
    return HttpResponse(body, content_type=MEDIA_TYPE)
