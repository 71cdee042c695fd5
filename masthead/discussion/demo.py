"""Demo discussion: a few readers talking under the demo articles, posted through the real action."""

from __future__ import annotations

from typing import Any

from masthead.core.actors import Actor
from masthead.core.clientip import hash_ip
from masthead.discussion.actions import post_comment, thread_for_page, vote
from masthead.discussion.inputs import CommentInput

# (reader, text, index of the comment replied to or None, upvotes)
CONVERSATION: list[tuple[str, str, int | None, int]] = [
    (
        "Layla H.",
        "My grandfather fished this stretch in the 1970s. He would not recognise it now. "
        "Thank you for going there instead of writing it from a desk.",
        None,
        5,
    ),
    (
        "Omar K.",
        "Is there any official data on how far the **water level** has dropped? "
        "The article quotes fishermen, which is valuable, but numbers would help.",
        None,
        3,
    ),
    (
        "Rana (reporter)",
        "Good question. The ministry publishes gauge readings monthly; "
        "we compared them with our own notes and will publish the series in a follow-up.",
        1,
        4,
    ),
    ("Omar K.", "Looking forward to it. Please include the upstream stations too.", 2, 1),
    (
        "Priya N.",
        "The video is beautiful. The part where the net comes up almost empty says more "
        "than any chart.",
        None,
        2,
    ),
    (
        "Sam O.",
        "> Most of it is sold before the boats are tied up.\n\nSame in our town: the middlemen "
        "wait on the bank. Would be good to hear from them as well.",
        None,
        1,
    ),
]


def _reader(name: str, number: int) -> tuple[Actor, str]:
    ip = f"192.0.2.{10 + number}"
    actor = Actor(guest_key=f"demo-reader-{number}", ip=ip, ip_hash=hash_ip(ip), user_agent="demo")
    email = f"reader{number}@example.org"
    return actor, email


def number_of(name: str) -> int:
    return 1 + sum(ord(char) for char in name) % 200


def load_demo_discussion(article: Any) -> int:
    """Post the demo conversation under `article`; return how many comments were posted."""
    thread = thread_for_page(article)
    readers: dict[str, tuple[Actor, str]] = {}
    posted: list[Any] = []
    for name, text, parent_index, upvotes in CONVERSATION:
        if name not in readers:
            readers[name] = _reader(name, len(readers))
        actor, email = readers[name]
        parent = posted[parent_index] if parent_index is not None else None
        comment = post_comment(
            actor,
            thread,
            CommentInput(
                body=text,
                parent_id=parent.pk if parent is not None else None,
                name=name,
                email=email,
                notify="none",
                seconds_to_submit=45.0,
            ),
        )
        posted.append(comment)
        for voter in range(upvotes):
            ip = f"198.51.{100 + voter}.{number_of(name)}"
            voter_actor = Actor(
                guest_key=f"demo-voter-{voter}", ip=ip, ip_hash=hash_ip(ip), user_agent="demo"
            )
            if comment.status == "approved":
                vote(voter_actor, comment, 1)
    return len(posted)


def load_demo_inline_comment(article: Any, name: str, quote: str, text: str) -> Any:
    """A reader's comment on the passage `quote` of `article` (which must allow reader highlights),
    so the first run shows a marked passage."""
    actor, email = _reader(name, number_of(name))
    return post_comment(
        actor,
        thread_for_page(article),
        CommentInput(
            body=text,
            name=name,
            email=email,
            notify="none",
            seconds_to_submit=45.0,
            target={"selector": [{"type": "TextQuoteSelector", "exact": quote}]},
        ),
    )


def load_demo_comments(article: Any, entries: list[tuple[str, str, int | None]]) -> list[Any]:
    """Post (name, text, index of the parent in `entries` or None) under `article`, in order."""
    thread = thread_for_page(article)
    posted: list[Any] = []
    for name, text, parent_index in entries:
        actor, email = _reader(name, number_of(name))
        parent = posted[parent_index] if parent_index is not None else None
        posted.append(
            post_comment(
                actor,
                thread,
                CommentInput(
                    body=text,
                    parent_id=parent.pk if parent is not None else None,
                    name=name,
                    email=email,
                    notify="none",
                    seconds_to_submit=45.0,
                ),
            )
        )
    return posted
