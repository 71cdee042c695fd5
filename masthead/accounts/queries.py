"""Reads about reader accounts: which email addresses a reader has proved they own."""

from __future__ import annotations

from typing import Any


def verified_emails(user: Any) -> list[str]:
    """The lower-cased addresses `user` has verified (allauth's EmailAddress rows). Trust, claims and
    supporter status read these only, never an address a reader merely typed."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    from allauth.account.models import EmailAddress

    return sorted(
        {
            email.lower()
            for email in EmailAddress.objects.filter(user=user, verified=True).values_list(
                "email", flat=True
            )
        }
    )


def users_with_verified_email(emails: list[str]) -> list[Any]:
    """The accounts that verified any of `emails` (case-insensitively)."""
    from django.contrib.auth import get_user_model

    wanted = sorted({email.lower() for email in emails if email})
    if not wanted:
        return []
    from allauth.account.models import EmailAddress

    ids = EmailAddress.objects.filter(verified=True, email__in=wanted).values("user_id")
    return list(get_user_model().objects.filter(pk__in=ids))
