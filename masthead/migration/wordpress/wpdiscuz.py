"""What wpDiscuz keeps in its own tables (read with `--db`; a WXR export never carries them).

- `wc_users_voted`: one row per vote (`user_id` is a WordPress user id, or for a guest
  (`is_guest=1`) wpDiscuz's hash of their address; `vote_type` +1/-1) -> per-voter votes. A voter
  with two rows for one comment (a double click) counts once: Masthead keeps one vote per reader.
- `wc_comments_subscription` (`subscribtion_type`: "post" = every new comment of the post,
  "all_comment" = replies to any of the subscriber's comments on it, "comment" = replies to one
  comment; `confirm` = the double opt-in was done) -> subscriptions, confirmed or not as they were.
- `wc_follow_users`: a reader following another reader. Masthead has no following of people
  (subscriptions are to threads and comments), so each is reported as skipped.
- `wc_feedback_forms`: an editor's question on a passage of the post (`content` is the passage) ->
  an editor prompt block in place of the paragraph holding the passage; answers (comments with meta
  `wpdiscuz_feedback_form_id`) become answers to that prompt. A passage no longer in the post is
  reported as skipped, its answers kept as ordinary comments.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from masthead.migration.records import Skip, SourceSubscription, SourceUser
from masthead.migration.sources import ImportNotes

FEEDBACK_META = "wpdiscuz_feedback_form_id"
CLOSED_META = "wpdiscuz_closed"
PASSAGE_MAX = 300  # discussion.blocks.FeedbackPromptBlock
QUESTION_MAX = 200
SUBSCRIPTION_KINDS = {"post": "all", "all_comment": "replies", "comment": "replies"}
NO_FOLLOWS = "a reader following a reader: Masthead has no following of people, not imported"


@dataclass(slots=True)
class FeedbackForm:
    form_id: str
    unique_id: str
    question: str
    passage: str


@dataclass(slots=True)
class WpDiscuzPost:
    """wpDiscuz's rows about one post."""

    votes: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # by comment id
    voters: dict[str, SourceUser] = field(default_factory=dict)  # registered voters by user id
    subscriptions: list[SourceSubscription] = field(default_factory=list)
    forms: list[FeedbackForm] = field(default_factory=list)


def voter_key(user_id: str, is_guest: bool) -> str:
    """A registered voter is named as comments name accounts (the WordPress user id), so the
    writer gives the vote to that reader's account; a guest keeps wpDiscuz's hash."""
    return f"guest:{user_id}" if is_guest else user_id


def subscription(
    email: str,
    kind: str,
    target_id: str,
    confirmed: bool,
    created_at: Any,
    source_id: str,
    notes: ImportNotes,
) -> SourceSubscription | None:
    mapped = SUBSCRIPTION_KINDS.get(kind)
    if mapped is None:
        notes.skip(Skip("subscription", source_id, f"unknown wpDiscuz subscription type {kind!r}"))
        notes.count("subscription", "skipped")
        return None
    return SourceSubscription(
        email=email,
        kind=mapped,
        confirmed=confirmed,
        comment_id=target_id if kind == "comment" else None,
        created_at=created_at,
    )


def merge_thread_subscriptions(
    items: list[SourceSubscription], notes: ImportNotes, post_id: str
) -> list[SourceSubscription]:
    """One thread-wide subscription per address (Masthead's rule): "every comment" covers "replies
    to my comments"; the kept one is confirmed if either was."""
    kept: dict[str, SourceSubscription] = {}
    result: list[SourceSubscription] = []
    for item in items:
        if item.comment_id is not None:
            result.append(item)
            continue
        address = item.email.strip().lower()
        other = kept.get(address)
        if other is None:
            kept[address] = item
            result.append(item)
            continue
        notes.skip(
            Skip(
                "subscription",
                f"{post_id}:{address}",
                "two thread subscriptions of one address: every comment covers replies, one kept",
            )
        )
        other.confirmed = other.confirmed or item.confirmed
        if item.kind == "all":
            other.kind = "all"
    return result


def prompt_block_id(source: str, unique_id: str) -> str:
    """A stable block id, so a re-run writes the same body and answers keep their prompt."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"masthead-import:{source}:wpdiscuz:{unique_id}"))


def place_prompts(
    blocks: list[Any], forms: list[FeedbackForm], source: str, post_id: str, notes: ImportNotes
) -> tuple[list[Any], dict[str, str]]:
    """The body with each form's paragraph turned into an editor prompt; form id -> block id."""
    from masthead.publishing.rendering import rich_text_plain

    placed: dict[str, str] = {}
    result = list(blocks)
    for form in forms:
        passage = " ".join(form.passage.split())
        question = " ".join(form.question.split())
        reason = ""
        if not passage or not question:
            reason = "feedback form without a passage or a question"
        elif len(passage) > PASSAGE_MAX or len(question) > QUESTION_MAX:
            reason = f"passage over {PASSAGE_MAX} or question over {QUESTION_MAX} characters"
        index = None
        if not reason:
            for position, block in enumerate(result):
                if block[0] != "paragraph":
                    continue
                text = " ".join(rich_text_plain(str(block[1])).split())
                if passage in text:
                    index = position
                    break
            else:
                reason = "its passage is not in the imported article: prompt not made"
        if index is None:
            notes.skip(Skip("prompt", f"{post_id}:{form.unique_id}", reason))
            notes.count("prompt", "skipped")
            continue
        block_id = prompt_block_id(source, form.unique_id)
        value = {"paragraph": str(result[index][1]), "passage": passage, "question": question}
        result[index] = ("feedback_prompt", value, block_id)
        placed[form.form_id] = block_id
        notes.count("prompt", "imported")
    return (_with_ids(result) if placed else result), placed


def _with_ids(blocks: list[Any]) -> Any:
    """The body as a StreamValue: the only form Wagtail takes a block's own id in."""
    from wagtail.blocks import StreamValue

    from masthead.publishing.models import ArticlePage

    stream = ArticlePage._meta.get_field("body").stream_block  # type: ignore[union-attr]
    return StreamValue(
        stream,
        [
            (kind, stream.child_blocks[kind].normalize(value), *rest)
            for kind, value, *rest in blocks
        ],
    )
