"""Where each imported row came from.

One `ImportedObject` per row an import wrote (an article, a thread, a comment, a reader, a
subscription...), keyed by the source's own identifier. A re-run finds its earlier rows here and
updates them instead of writing them twice; an old link that names a source id (a WordPress
`#comment-123`, a `/?p=42`) is resolved through it. Kept in one table rather than a column on every
model, so the domain apps know nothing of where their rows came from.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportedObject(models.Model):
    source = models.CharField(
        max_length=40,
        help_text=_("The importer and the site it read, e.g. 'wordpress:news.example.org'."),
    )
    kind = models.CharField(max_length=20, help_text=_("article, thread, comment, user, ..."))
    source_id = models.CharField(max_length=200)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=40)
    fingerprint = models.CharField(
        max_length=64,
        blank=True,
        help_text=_("A hash of what was imported: unchanged rows are skipped."),
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "source_id"], name="one_row_per_source_id"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="imported_row")]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.source_id}"


class ImportRunStatus(models.TextChoices):
    RUNNING = "running", "Running (or stopped without a word: a re-run resumes)"
    SUCCEEDED = "succeeded", "Finished: every thread read was written or reported"
    FAILED = "failed", "Stopped by a fatal problem with the input (see error); a re-run resumes"


class ImportRun(models.Model):
    """One `masthead import` that wrote (a `--dry-run` writes nothing, this row included)."""

    source = models.CharField(max_length=20, help_text="The source's name: wordpress, disqus...")
    source_key = models.CharField(max_length=40, blank=True)
    arguments = models.JSONField(default=dict, blank=True, help_text="The command's options.")
    status = models.CharField(
        max_length=10, choices=ImportRunStatus.choices, default=ImportRunStatus.RUNNING
    )
    error = models.TextField(blank=True)
    report = models.JSONField(
        default=dict, blank=True, help_text="Counts per kind and outcome, skip reasons, notes."
    )
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"import {self.source} {self.started_at:%Y-%m-%d %H:%M} ({self.status})"
