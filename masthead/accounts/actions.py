"""Writes for reader accounts that allauth does not make itself: an address verified by the site
(demo content, tests), and what an account keeps when its address is first proven by someone other
than whoever signed up with it."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from masthead.core import audit
from masthead.core.actors import Actor


def clear_unproven_profile(user: Any, *, keep_password: bool) -> None:
    """Forget what an account's sign-up chose before anyone proved its address.

    Called when the address is proven for the first time through a way that does not show the
    proof came from the sign-up's own browser (a password reset link, a sign-in code): the name
    and, unless the proof just set a new one, the password were chosen by whoever typed the
    address, who may not own it. Writes an audit row; one transaction.
    """
    with transaction.atomic():
        before = {"display_name": user.display_name, "usable_password": user.has_usable_password()}
        user.display_name = ""
        user.first_name = ""
        user.last_name = ""
        fields = ["display_name", "first_name", "last_name"]
        if not keep_password:
            user.set_unusable_password()
            fields.append("password")
        user.save(update_fields=fields)
        audit.record(
            Actor.for_user(user),
            "account.unproven_profile_cleared",
            user,
            before=before,
            after={"display_name": "", "usable_password": user.has_usable_password()},
        )


def confirm_address_by_password_reset(user: Any) -> bool:
    """A password reset link reached the account's address: that proves it.

    When the account had no verified address, its primary one (or `user.email`) is marked
    verified and the unproven profile is cleared (the new password stays). Returns whether
    anything changed.
    """
    from allauth.account.models import EmailAddress

    with transaction.atomic():
        if EmailAddress.objects.filter(user_id=user.pk, verified=True).exists():
            return False
        address = (
            EmailAddress.objects.filter(user_id=user.pk, primary=True).first()
            or EmailAddress.objects.filter(user_id=user.pk, email__iexact=user.email).first()
        )
        if address is None:
            if not user.email:
                return False
            address = EmailAddress(user=user, email=user.email.lower(), primary=True)
        if address.pk is None:
            if not address.can_set_verified():
                return False  # another account already holds this address verified
            address.verified = True
            address.save()
        elif not address.set_verified(commit=True):
            return False
        if not address.primary:
            address.set_as_primary()
        audit.record(
            Actor.for_user(user),
            "account.email_verified_by_reset",
            user,
            after={"email": address.email},
        )
        clear_unproven_profile(user, keep_password=True)
    return True


def verify_email(user: Any) -> Any:
    """Mark the account's own address verified and primary, without a code: for accounts the site
    itself vouches for (demo content, an operator's script). Audit row; one transaction."""
    from allauth.account.models import EmailAddress

    with transaction.atomic():
        address, _ = EmailAddress.objects.get_or_create(
            user=user, email=user.email.lower(), defaults={"primary": True}
        )
        if not address.verified:
            address.verified = True
            address.save(update_fields=["verified"])
            audit.record(
                Actor.for_user(user), "account.verify_email", user, after={"email": address.email}
            )
        if not address.primary:
            address.set_as_primary()
    return user
