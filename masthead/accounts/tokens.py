"""Signed, expiring email-verification tokens (no table: the signature and the current email are the proof)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core import signing

SALT = "masthead.accounts.verify-email"
MAX_AGE = 60 * 60 * 24 * 3


def verification_token(user: Any) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=SALT, compress=True)


def user_for_token(token: str) -> Any:
    """The user a token verifies, or None when forged, expired, or the email has changed since."""
    if len(token) > 500:
        return None
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = get_user_model().objects.filter(pk=int(data["u"])).first()
    if user is None or user.email != data.get("e"):
        return None
    return user
