"""Which address a signed-in reader may act under: allauth's verified primary `EmailAddress`, only.

Discussion, notifications and moderation ask here instead of reading `user.email`, which holds
whatever was typed at sign-up (or into the admin) whether or not anyone proved it.
"""

from __future__ import annotations

from typing import Any


def verified_email(user: Any) -> str:
    """The user's verified primary address (lower-cased), or '' when they have none or are anonymous."""
    if user is None or not getattr(user, "is_authenticated", False) or user.pk is None:
        return ""
    from allauth.account.models import EmailAddress

    email = (
        EmailAddress.objects.filter(user_id=user.pk, primary=True, verified=True)
        .values_list("email", flat=True)
        .first()
    )
    return (email or "").lower()
