"""Threads, comments and votes.

A Thread belongs to one Wagtail page (every published article has one), or, for a discussion
imported from another site whose page is not an article here, to an external URL (`url`, in the
spelling of `core.canonical_url`, with its own `title`). Comments form a tree through
`parent`; `root` points at the top-level ancestor so a page of top-level comments and all their
replies load in two queries. Counters (`comment_count`, vote counts, `score`) are kept on the rows
and changed with F() expressions inside actions.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CommentStatus(models.TextChoices):
    APPROVED = "approved", _("Approved: visible to everyone")
    PENDING = "pending", _("Pending: waiting for a moderator")
    SPAM = "spam", _("Spam: hidden, teaches the spam classifier")
    REMOVED = "removed", _("Removed by a moderator")
    DELETED = "deleted", _("Deleted by its author (kept as a placeholder while it has replies)")


class AnchorState(models.TextChoices):
    NONE = "", _("Not an inline comment")
    ANCHORED = "anchored", _("Anchored: the passage is where it was")
    MOVED = "moved", _("Moved: the passage was found elsewhere or slightly changed")
    ORPHANED = "orphaned", _("Orphaned: the passage no longer exists")


class Thread(models.Model):
    page = models.OneToOneField(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="discussion_thread",
    )
    url = models.CharField(
        max_length=500,
        blank=True,
        default="",
        help_text="An external page's canonical URL (core.canonical_url); empty for an article's thread.",
    )
    title = models.CharField(
        max_length=255, blank=True, default="", help_text="An external page's title."
    )
    embed_key = models.CharField(
        max_length=200,
        blank=True,
        default="",
        help_text=(
            "An embedding site's own name for the discussion (its data-id), as '<site id>:<id>'; "
            "such a thread is found by it, and several may share one page URL."
        ),
    )
    comment_count = models.PositiveIntegerField(
        default=0, help_text=_("Approved comments, as readers count them.")
    )
    is_closed = models.BooleanField(
        default=False, help_text=_("Closed by staff: no new comments or votes.")
    )
    version = models.PositiveBigIntegerField(
        default=0, help_text=_("Bumped on every change readers can see.")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"],
                condition=~models.Q(url="") & models.Q(embed_key=""),
                name="one_thread_per_url",
            ),
            models.UniqueConstraint(
                fields=["embed_key"],
                condition=~models.Q(embed_key=""),
                name="one_thread_per_embed_key",
            ),
            models.CheckConstraint(
                condition=models.Q(page__isnull=False) | ~models.Q(url=""),
                name="thread_has_page_or_url",
            ),
        ]

    def __str__(self) -> str:
        return f"Discussion of {self.display_title}"

    @property
    def is_external(self) -> bool:
        """A discussion of a page that is not an article of this site (imported with its URL)."""
        return self.page_id is None

    @property
    def display_title(self) -> str:
        if self.page_id is not None and self.page is not None:
            return str(self.page.title)
        return self.title or self.url

    @property
    def display_url(self) -> str:
        """The article's path on this site, or the external page's full URL."""
        if self.page_id is not None and self.page is not None:
            return str(self.page.url or "")
        return self.url

    @property
    def version_key(self) -> str:
        """Names the thread in `cache_versions` ("thread", key): the page id for an article's thread
        (publishing bumps it too), `url:<thread id>` for an external one."""
        return str(self.page_id) if self.page_id is not None else f"url:{self.pk}"


class Comment(models.Model):
    # No index of its own: comment_toplevel_time begins with it (see Meta.indexes).
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="comments", db_index=False
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    root = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="descendants",
        db_index=False,  # comment_replies begins with it
        help_text=_("The top-level comment of this reply's tree (empty for top-level comments)."),
    )
    depth = models.PositiveIntegerField(default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    guest_key = models.CharField(max_length=64, blank=True)  # indexed by comment_guest_time
    author_name = models.CharField(max_length=50)
    author_email = models.EmailField(
        blank=True, help_text=_("Private: never shown publicly or returned by the public API.")
    )
    author_website = models.URLField(max_length=200, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True)  # indexed by comment_address_time
    body = models.TextField(help_text=_("Markdown source as the author wrote it."))
    html = models.TextField(help_text=_("Rendered and sanitised once, at write time."))
    status = models.CharField(
        max_length=10, choices=CommentStatus.choices, default=CommentStatus.APPROVED
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    upvotes = models.PositiveIntegerField(default=0)
    downvotes = models.PositiveIntegerField(default=0)
    score = models.IntegerField(default=0, help_text=_("upvotes minus downvotes"))
    is_pinned = models.BooleanField(default=False)
    reply_count = models.PositiveIntegerField(default=0, help_text=_("Approved direct replies."))
    moderation = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("Why the comment has its status: rule, scorer name/version/score, reports."),
    )
    target = models.JSONField(
        null=True,
        blank=True,
        help_text=_("Inline feedback: W3C Web Annotation target with its selectors."),
    )
    anchor_state = models.CharField(
        max_length=10, choices=AnchorState.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["thread", "status", "parent", "created_at", "id"],
                name="comment_toplevel_time",
            ),
            models.Index(
                fields=["thread", "status", "parent", "score", "created_at", "id"],
                name="comment_toplevel_score",
            ),
            models.Index(fields=["root", "status", "created_at", "id"], name="comment_replies"),
            models.Index(fields=["status", "created_at"], name="comment_status_time"),
            # Readers' pages of top-level comments (approved, and deleted placeholders holding replies):
            # partial indexes in each sort order, so a page costs the same in a thread of any size.
            models.Index(
                fields=["thread", "is_pinned", "created_at", "id"],
                name="comment_visible_roots_time",
                condition=models.Q(parent__isnull=True, status__in=["approved", "deleted"]),
            ),
            models.Index(
                fields=["thread", "is_pinned", "score", "created_at", "id"],
                name="comment_visible_roots_score",
                condition=models.Q(parent__isnull=True, status__in=["approved", "deleted"]),
            ),
            models.Index(fields=["guest_key", "created_at"], name="comment_guest_time"),
            # A guest without a cookie is checked for a duplicate by address (guard.copies_question):
            # the last minute's comments from that address, never a scan of the whole thread.
            models.Index(fields=["ip_hash", "created_at"], name="comment_address_time"),
            # Pinned comments of a thread are few: found through this index, never by a scan. (A plain
            # (thread, is_pinned) index does not do: SQLite will not use a boolean column written as
            # a bare `WHERE is_pinned` for an index equality, and scanned the whole thread.)
            models.Index(
                fields=["thread"],
                name="comment_pinned_by_thread",
                condition=models.Q(is_pinned=True),
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} by {self.author_name}"

    def get_absolute_url(self) -> str:
        return f"{self.thread.display_url}#comment-{self.pk}"

    @property
    def is_public(self) -> bool:
        return self.status == CommentStatus.APPROVED


class Vote(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    voter_key = models.CharField(max_length=80, help_text=_("user:<id> or guest:<cookie key>"))
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    value = models.SmallIntegerField(help_text=_("+1 or -1; withdrawing a vote deletes the row."))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "voter_key"], name="one_vote_per_reader")
        ]

    def __str__(self) -> str:
        return f"{self.voter_key} {self.value:+d} on {self.comment_id}"


# The site-wide discussion setting lives with the rest of the policy code; imported so Django registers it.
from masthead.discussion.policy import DiscussionSettings  # noqa: E402

__all__ = ["AnchorState", "Comment", "CommentStatus", "DiscussionSettings", "Thread", "Vote"]

# Inline feedback: where passages lie in each published revision (inline/models.py).
from masthead.discussion.inline.models import AnchorResolution  # noqa: E402, F401
