"""Writes for reader accounts: sign-up and email verification."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from masthead.accounts.tasks import send_existing_account_notice, send_verification_email
from masthead.core import audit
from masthead.core.actors import Actor
from masthead.core.on_commit import enqueue_on_commit


def sign_up(display_name: str, email: str, password: str, base_url: str) -> Any | None:
    """Create a reader account (email unverified) and email the verification link on commit.

    When the address already has an account nothing is created (None is returned) and its owner is
    told instead, so the page a visitor sees never reveals whether an address is registered.
    """
    user_model = get_user_model()
    with transaction.atomic():
        existing = user_model.objects.filter(email__iexact=email).first()
        if existing is not None:
            enqueue_on_commit(send_existing_account_notice, existing.pk, base_url)
            return None
        user = user_model.objects.create_user(
            username=email[:150], email=email, password=password, display_name=display_name
        )
        audit.record(Actor.for_user(user), "account.sign_up", user)
        enqueue_on_commit(send_verification_email, user.pk, base_url)
    return user


def verify_email(user: Any) -> Any:
    with transaction.atomic():
        if not user.email_verified:
            user.email_verified = True
            user.save(update_fields=["email_verified"])
            audit.record(Actor.for_user(user), "account.verify_email", user)
    return user
