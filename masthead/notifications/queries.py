"""Reads of notification state for pages and the API."""

from __future__ import annotations

from typing import Any

from masthead.notifications.actions import addresses_of_user_q
from masthead.notifications.models import Subscription


def subscriptions_of(user: Any) -> Any:
    """A signed-in reader's subscriptions, newest first, with their thread's page."""
    return (
        Subscription.objects.filter(addresses_of_user_q(user, "address__"))
        .select_related("address", "thread__page", "comment")
        .order_by("-created_at", "-id")
    )


def mask_email(email: str) -> str:
    """r•••@e•••.org: enough for its owner to recognise, too little for anyone else."""
    local, _, domain = email.partition("@")
    name, dot, tld = domain.rpartition(".")
    if not dot:
        name, tld = domain, ""
    masked_domain = (name[:1] + "•••") + (f".{tld}" if tld else "")
    return f"{local[:1]}•••@{masked_domain}"
