"""Comments as the public API shows them: an explicit allow-list of fields (never emails, IPs, guest keys)."""

from __future__ import annotations

from typing import Any

from masthead.discussion.avatars import avatar_url, user_avatar_url
from masthead.discussion.models import Comment, CommentStatus
from masthead.discussion.queries import CommentPage, Node

DELETED_NAME = "[deleted]"


def author_of(comment: Comment, gravatar: bool = False) -> dict[str, Any]:
    if comment.status == CommentStatus.DELETED:
        return {
            "name": DELETED_NAME,
            "avatar_url": "",
            "is_staff": False,
            "is_supporter": False,
            "website": "",
        }
    user = comment.user if comment.user_id else None
    return {
        "name": comment.author_name,
        "avatar_url": (
            user_avatar_url(user, comment.author_name, comment.author_email, gravatar)
            if user is not None
            else avatar_url(comment.author_name, comment.author_email, None, gravatar)
        ),
        "is_staff": bool(user is not None and user.is_staff),
        "is_supporter": shows_supporter_badge(comment),
        "website": comment.author_website,
    }


def shows_supporter_badge(comment: Comment) -> bool:
    """The author opted in to the Supporter badge and supports now (both kept on their user row,
    which the thread's reads join already: no query per comment)."""
    user = comment.user if comment.user_id else None
    return bool(user is not None and user.show_supporter_badge and user.is_supporter)


def comment_item(
    comment: Comment,
    replies: list[dict[str, Any]] | None = None,
    replying_to: Comment | None = None,
    gravatar: bool = False,
    as_public: bool = False,
) -> dict[str, Any]:
    deleted = comment.status == CommentStatus.DELETED
    status = CommentStatus.APPROVED if as_public else comment.status
    return {
        "id": comment.pk,
        "parent_id": comment.parent_id,
        "author": author_of(comment, gravatar),
        "html": "" if deleted else comment.html,
        "created_at": comment.created_at.isoformat(),
        "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
        "upvotes": comment.upvotes,
        "downvotes": comment.downvotes,
        "score": comment.score,
        "status": str(status),
        "is_pinned": comment.is_pinned,
        "depth": comment.depth,
        "replying_to": (
            {
                "id": replying_to.pk,
                "name": DELETED_NAME
                if replying_to.status == CommentStatus.DELETED
                else replying_to.author_name,
            }
            if replying_to is not None
            else None
        ),
        "target": comment.target,
        "anchor_state": comment.anchor_state,
        "replies": replies or [],
    }


def node_item(root: Node, gravatar: bool = False) -> dict[str, Any]:
    """A node and its (bounded-depth) replies, built without recursion."""
    result = comment_item(root.comment, [], root.replying_to, gravatar)
    stack = [(root, result)]
    while stack:
        node, item = stack.pop()
        for child in node.replies:
            child_item = comment_item(child.comment, [], child.replying_to, gravatar)
            item["replies"].append(child_item)
            stack.append((child, child_item))
    return result


def page_payload(page: CommentPage, gravatar: bool = False) -> dict[str, Any]:
    return {
        "count": page.count,
        "items": [node_item(node, gravatar) for node in page.items],
        "next_cursor": page.next_cursor,
    }
