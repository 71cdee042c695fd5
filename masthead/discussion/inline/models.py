"""Where each inline comment's passage lies in a published revision of its article.

Resolved once per published revision by a background task (`reanchoring.reanchor_article`), so page
views and API reads never pay for matching. Imported by `discussion/models.py` so Django registers it.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from wagtail.signals import page_published

STATES = [
    ("anchored", "Anchored: the passage is where it was"),
    ("moved", "Moved: the passage was found elsewhere or slightly changed"),
    ("orphaned", "Orphaned: the passage no longer exists"),
]


class AnchorResolution(models.Model):
    comment = models.ForeignKey(
        "discussion.Comment", on_delete=models.CASCADE, related_name="anchor_resolutions"
    )
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=STATES)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    exact = models.TextField(blank=True, help_text="The passage's wording in this revision.")
    block_id = models.CharField(max_length=64, blank=True)
    changed = models.BooleanField(
        default=False, help_text="Found, but worded differently from what the commenter quoted."
    )
    resolved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "comment"], name="one_anchor_per_comment_revision"
            )
        ]

    def __str__(self) -> str:
        return f"Comment {self.comment_id} {self.state} in revision {self.revision_id}"


def _reanchor_when_published(
    sender: Any, instance: Any, revision: Any = None, **kwargs: Any
) -> None:
    from masthead.discussion.inline.reanchoring import schedule_reanchoring

    schedule_reanchoring(instance, revision)


# provides args: sender (page class), instance (page), revision
page_published.connect(_reanchor_when_published, dispatch_uid="masthead.discussion.reanchor")
