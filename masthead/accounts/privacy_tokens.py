"""Signed, expiring links for a reader's data (no table: the signature, its age and the data it names
are the proof).

- An address link (`address_token`) lets whoever holds the mailbox download or erase what is stored
  with that address. It expires after a day, and an erasure spends it: the link names the erasures
  counted for the address when it was sent, so a second erasure through the same link is refused.
- A delete link (`delete_token`) re-authenticates a signed-in reader without a password before their
  account is deleted; it names the account and its email and lasts an hour.
"""

from __future__ import annotations

from typing import Any

from django.core import signing

ADDRESS_SALT = "masthead.accounts.privacy-address"
ADDRESS_MAX_AGE = 60 * 60 * 24
DELETE_SALT = "masthead.accounts.delete-account"
DELETE_MAX_AGE = 60 * 60
MAX_TOKEN_LENGTH = 600


def address_token(email: str, erasures: int) -> str:
    return signing.dumps({"e": email.lower(), "n": erasures}, salt=ADDRESS_SALT, compress=True)


def read_address_token(token: str) -> tuple[str, int] | None:
    """(email, erasures when sent), or None when forged, expired or malformed."""
    data = _load(token, ADDRESS_SALT, ADDRESS_MAX_AGE)
    if data is None or not isinstance(data.get("e"), str) or not isinstance(data.get("n"), int):
        return None
    return str(data["e"]), int(data["n"])


def delete_token(user: Any) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=DELETE_SALT, compress=True)


def delete_token_matches(token: str, user: Any) -> bool:
    data = _load(token, DELETE_SALT, DELETE_MAX_AGE)
    return data is not None and data.get("u") == user.pk and data.get("e") == user.email


def _load(token: str, salt: str, max_age: int) -> dict[str, Any] | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except (signing.BadSignature, ValueError):
        return None
    return data if isinstance(data, dict) else None
