"""What other apps add to notification emails, through the `MODERATION_LINKS` hook (core/hooks.py).

The moderation app registers a provider of one-click decision links for the moderator alert:
`provider(comment, moderator_user_or_None) -> dict`. The dict may hold "approve" and "remove" URLs
(absolute, signed, single use) and "queue" (the admin queue). Without a provider the alert links to
the Wagtail admin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wagtail import hooks

from masthead.core.hooks import MODERATION_LINKS

if TYPE_CHECKING:
    from masthead.accounts.models import User
    from masthead.discussion.models import Comment


def moderation_links(comment: Comment, moderator: User | None) -> dict[str, Any]:
    links: dict[str, Any] = {}
    for provider in hooks.get_hooks(MODERATION_LINKS):
        links.update(provider(comment, moderator))
    return links
