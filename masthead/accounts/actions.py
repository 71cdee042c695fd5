"""Writes for reader accounts: sign-up and email verification."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from masthead.core import audit
from masthead.core.on_commit import call_on_commit


def send_verification_now(user: Any, base_url: str) -> None:
    """Send the verification email at once (called on commit)."""
    from masthead.accounts.tokens import verification_token

    link = base_url.rstrip("/") + reverse("accounts:verify", args=[verification_token(user)])
    send_mail(
        f"Confirm your email for {settings.SITE_NAME}",
        f"Hello {user.public_name},\n\nPlease confirm your email address by opening this link "
        f"(valid for three days):\n\n{link}\n\nIf you did not sign up, ignore this message.\n",
        None,
        [user.email],
    )


def sign_up(display_name: str, email: str, password: str, base_url: str) -> Any:
    """Create a reader account (email unverified) and send the verification email on commit."""
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=email[:150], email=email, password=password, display_name=display_name
        )
        audit.record(user, "account.sign_up", user)
        call_on_commit(send_verification_now, user, base_url)
    return user


def verify_email(user: Any) -> Any:
    with transaction.atomic():
        if not user.email_verified:
            user.email_verified = True
            user.save(update_fields=["email_verified"])
            audit.record(user, "account.verify_email", user)
    return user
