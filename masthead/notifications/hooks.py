"""Hooks other apps fill in for notification emails.

The moderation app registers a provider of one-click decision links for the moderator alert:

    register_moderation_links(provider)   # provider(comment, moderator_user_or_None) -> dict

The dict may hold "approve" and "remove" URLs (absolute, signed, single use) and "queue" (the admin
queue). Without a provider the alert links to the Wagtail admin.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

LinkProvider = Callable[[Any, Any], dict[str, Any]]
_PROVIDERS: list[LinkProvider] = []


def register_moderation_links(provider: LinkProvider) -> LinkProvider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def moderation_links(comment: Any, moderator: Any) -> dict[str, Any]:
    links: dict[str, Any] = {}
    for provider in _PROVIDERS:
        links.update(provider(comment, moderator))
    return links
