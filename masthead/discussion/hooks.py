"""The moderation hook: checks that decide a new or edited comment's status before it is written.

Discussion knows nothing of moderation's rules. Moderation (or any app) registers checks at ready time,
under the `COMMENT_CHECK` hook (core/hooks.py):

    from wagtail import hooks
    from masthead.core.hooks import COMMENT_CHECK
    hooks.register(COMMENT_CHECK, my_check)   # my_check(submission: Submission) -> Verdict | None

`post_comment` and `edit_comment` build a Submission and run every check before their write
transaction (checks only read; on SQLite the transaction holds the one write lock); the strictest
verdict applies: reject > spam > pending > approved. A rejected submission is refused with
an ApiError (400 `rejected` with the verdict's public message) and nothing is written.

First-time pre-moderation has a built-in rule (hold a reader's comments until one was approved). An
app that judges first-time commenters itself (moderation's trust: approvals minus rejections) registers
its check under `FIRST_TIME_CHECK` as well, and the built-in rule steps aside while it is registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from wagtail import hooks

from masthead.core.actors import Actor
from masthead.core.asked_together import Questions
from masthead.core.hooks import COMMENT_CHECK, FIRST_TIME_CHECK
from masthead.discussion.models import Comment, CommentStatus, Thread

REJECTED: Final = "rejected"  # a verdict only: the comment is refused, never stored
VerdictStatus = CommentStatus | Literal["rejected"]  # approved, pending, spam, or rejected
SEVERITY: dict[str, int] = {
    CommentStatus.APPROVED: 0,
    CommentStatus.PENDING: 1,
    CommentStatus.SPAM: 2,
    REJECTED: 3,
}


@dataclass
class Submission:
    thread: Thread
    parent: Comment | None
    body: str
    html: str
    actor: Actor
    name: str
    email: str
    website: str
    is_edit: bool = False
    comment: Comment | None = None  # the Comment being edited
    seconds_to_submit: float | None = (
        None  # time from form render to submit, when the client sent it
    )
    honeypot: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    # Reads asked by the apps (comment_asking) and answered together when the first is wanted.
    questions: Questions = field(default_factory=Questions)


@dataclass
class Verdict:
    status: VerdictStatus
    rule: str  # machine name of the rule, e.g. "banned_word", "link_count", "classifier"
    reason: str = ""  # for moderators: why
    public_message: str = ""  # for the author when rejected or held (statement of reasons)
    scorer: str = ""
    version: str = ""
    score: float | None = None
    shadow: bool = False  # shadow-ban: the author sees the comment as public, nobody else does

    def as_dict(self) -> dict[str, Any]:
        return {
            key: value for key, value in self.__dict__.items() if value not in ("", None, False)
        }


Check = Callable[[Submission], "Verdict | None"]


def comment_checks() -> list[Check]:
    return list(hooks.get_hooks(COMMENT_CHECK))


def first_time_is_delegated() -> bool:
    """Whether a registered comment check decides first-time pre-moderation in place of the built-in rule."""
    checks = comment_checks()
    return any(check in checks for check in hooks.get_hooks(FIRST_TIME_CHECK))


def run_checks(submission: Submission) -> list[Verdict]:
    verdicts = []
    for check in comment_checks():
        verdict = check(submission)
        if verdict is not None:
            verdicts.append(verdict)
    return verdicts


def strictest(verdicts: list[Verdict], default: Verdict) -> Verdict:
    chosen = default
    for verdict in verdicts:
        if SEVERITY.get(verdict.status, 0) > SEVERITY.get(chosen.status, 0):
            chosen = verdict
    return chosen
