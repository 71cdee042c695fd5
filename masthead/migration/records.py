"""What every importer reads a source into, before anything is written.

Each reader (`wordpress/wxr.py`, `wordpress/database.py`, `disqus.py`, `isso.py`, `remark42.py`,
`masthead_json.py`) turns its format into these plain records and yields them as a stream, one
thread at a time, so a source of any size is read in flat memory. The writer (`writer.py`) is the
only code that turns records into rows; readers never touch the database of the site they import
into.

`source_id` is the source's own identifier (a WordPress comment_ID, a Disqus dsq:id, a Remark42 id):
kept on the imported row so a re-run updates instead of duplicating, and so an old link such as
`#comment-123` can still find its comment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class ImportedStatus(StrEnum):
    """The source's status, in Masthead's words (discussion.models.CommentStatus values)."""

    APPROVED = "approved"
    PENDING = "pending"
    SPAM = "spam"
    REMOVED = "removed"
    DELETED = "deleted"


@dataclass(slots=True)
class SourceUser:
    """A registered account of the source (WordPress user, Remark42 user with a provider id)."""

    source_id: str
    name: str
    email: str = ""
    website: str = ""
    verified: bool = False


@dataclass(slots=True)
class SourceComment:
    source_id: str
    parent_id: str | None
    author_name: str
    body: str
    created_at: dt.datetime
    status: ImportedStatus = ImportedStatus.APPROVED
    body_is_html: bool = True
    author_email: str = ""
    author_website: str = ""
    author_ip: str = ""
    user_id: str | None = None
    edited_at: dt.datetime | None = None
    upvotes: int = 0
    downvotes: int = 0
    is_pinned: bool = False
    kind: str = "comment"  # "pingback" and "trackback" are kept apart, never as reader comments
    # Per-voter votes where the source keeps them: (voter key, +1 or -1).
    votes: list[tuple[str, int]] = field(default_factory=list)
    extra: dict[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class SourceSubscription:
    email: str
    kind: str  # "all" (every comment of the thread) or "replies" (to one comment: comment_id)
    confirmed: bool
    comment_id: str | None = None
    created_at: dt.datetime | None = None


@dataclass(slots=True)
class SourceThread:
    """One discussion: its article (by URL, and by the source's post id where there is one)."""

    source_id: str
    url: str
    title: str = ""
    # Set by readers that create the article themselves (WordPress): the thread is that page's.
    page_id: int | None = None
    closed: bool = False
    created_at: dt.datetime | None = None
    comments: list[SourceComment] = field(default_factory=list)
    subscriptions: list[SourceSubscription] = field(default_factory=list)
    # The accounts its comments name by `SourceComment.user_id` (each may appear in many threads;
    # the writer creates one account per source id, and fills one in from the comment if absent).
    users: list[SourceUser] = field(default_factory=list)


@dataclass(slots=True)
class Skip:
    """Something read and deliberately not imported (or imported with a change), and why."""

    kind: str
    source_id: str
    reason: str
