"""Signals the discussion sends, for notifications, moderation and live updates to plug into.

All but comment_preparing are sent by discussion actions INSIDE their transaction, after the rows are
written, so a receiver can write its own rows (an outbox, an audit entry) atomically with the comment.
Receivers must not do slow or external work directly: register it with `transaction.on_commit` (see
core/on_commit.py).
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent by post_comment BEFORE the moderation checks and its write transaction. Receivers may ask the
# small reads their checks or comment_preparing receivers will want (`submission.questions.ask`, see
# core/asked_together.py), which are then answered together in one statement.
# provides args: submission (discussion.hooks.Submission)
comment_asking = Signal()

# Sent by post_comment BEFORE its write transaction, once the moderation checks have decided the
# status. Receivers may read (never write) what their comment_posted/comment_approved receivers will
# need and keep it in `prepared`, a dict handed to those signals for the same comment, under a key of
# their own. The write transaction, which on SQLite holds the database's one write lock, then stays
# short. What is read here may be a few milliseconds old when the comment commits.
# provides args: submission (discussion.hooks.Submission), status, notify, prepared
comment_preparing = Signal()

# provides args: comment, actor, notify ("none" | "replies" | "all" | None when the reader did not
# choose, which subscribes to nothing), prepared (what comment_preparing's receivers kept)
comment_posted = Signal()

# The comment became visible to everyone: at post time when approved at once, or later by a moderator.
# provides args: comment, actor, prepared (at post time only)
comment_approved = Signal()

# provides args: comment, old_status, new_status, actor, reason
comment_status_changed = Signal()

# provides args: comment, actor, old_body
comment_edited = Signal()

# provides args: comment, actor
comment_deleted = Signal()

# provides args: comment, actor, old_value, new_value
vote_changed = Signal()

# provides args: comment, actor, pinned
comment_pinned = Signal()

# provides args: thread, actor, closed
thread_closed = Signal()
