"""A reader's subscriptions in an export, and dropped on erasure (called by accounts.privacy inside
its transaction; the caller writes the audit row)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from masthead.notifications.actions import addresses_of_user_q
from masthead.notifications.models import EmailAddress, Subscription


def _addresses_q(user: Any, emails: Iterable[str], prefix: str = "") -> Q:
    query = addresses_of_user_q(user, prefix) if user is not None else Q(pk__in=[])
    lowered = sorted({email.lower() for email in emails if email})
    if lowered:
        query |= Q(**{f"{prefix}email__in": lowered})
    return query


def export_subscriptions(user: Any = None, emails: Iterable[str] = ()) -> list[dict[str, Any]]:
    rows = (
        Subscription.objects.filter(_addresses_q(user, emails, "address__"))
        .select_related("address", "thread__page")
        .order_by("created_at", "id")
    )
    return [
        {
            "email": subscription.address.email,
            "article": {
                "title": subscription.thread.display_title,
                "url": (
                    subscription.thread.page.full_url
                    if subscription.thread.page is not None
                    else subscription.thread.url
                )
                or "",
            },
            "kind": subscription.kind,
            "comment_id": subscription.comment_id,
            "confirmed_at": (
                subscription.confirmed_at.isoformat() if subscription.confirmed_at else None
            ),
            "created_at": subscription.created_at.isoformat(),
        }
        for subscription in rows
    ]


def erase_addresses(user: Any = None, emails: Iterable[str] = ()) -> int:
    """Forget these mailboxes: their subscriptions and unsent notifications go with them."""
    addresses = EmailAddress.objects.filter(_addresses_q(user, emails))
    dropped = Subscription.objects.filter(address__in=addresses).count()
    addresses.delete()
    return dropped
