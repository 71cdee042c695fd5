"""Reads about reader accounts: which email addresses a reader has proved they own."""

from __future__ import annotations

from typing import Any

from django.apps import apps


def _has_email_verified() -> bool:
    """Whether the User model still carries its own `email_verified` flag (beside allauth's rows)."""
    from django.contrib.auth import get_user_model

    return any(field.name == "email_verified" for field in get_user_model()._meta.get_fields())


def verified_emails(user: Any) -> list[str]:
    """The lower-cased addresses `user` has verified (allauth's EmailAddress rows when installed,
    else the account's own email when `email_verified`). Trust, claims and supporter status read these
    only, never an address a reader merely typed."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    found: set[str] = set()
    if _has_email_verified() and getattr(user, "email_verified", False) and user.email:
        found.add(user.email.lower())
    if apps.is_installed("allauth.account"):
        from allauth.account.models import EmailAddress

        found.update(
            email.lower()
            for email in EmailAddress.objects.filter(user=user, verified=True).values_list(
                "email", flat=True
            )
        )
    return sorted(found)


def users_with_verified_email(emails: list[str]) -> list[Any]:
    """The accounts that verified any of `emails` (case-insensitively)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    wanted = sorted({email.lower() for email in emails if email})
    if not wanted:
        return []
    query = Q(pk__in=[])
    if _has_email_verified():
        for email in wanted:
            query |= Q(email__iexact=email, email_verified=True)
    if apps.is_installed("allauth.account"):
        from allauth.account.models import EmailAddress

        ids = EmailAddress.objects.filter(verified=True, email__in=wanted).values("user_id")
        query |= Q(pk__in=ids)
    return list(get_user_model().objects.filter(query))
