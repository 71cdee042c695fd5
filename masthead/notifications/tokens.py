"""Signed links: confirm an address, unsubscribe from a thread or from everything.

Tokens are `django.core.signing` timestamped objects with a salt per purpose and a maximum age. Each
is bound to one address (its id and a digest of its email), so a token for one reader cannot act on
another's subscriptions, and a token for one purpose is useless for the other.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.core import signing

from masthead.notifications.conf import setting

CONFIRM_SALT = "masthead.notifications.confirm"
UNSUBSCRIBE_SALT = "masthead.notifications.unsubscribe"


class InvalidToken(Exception):
    """The link is forged, altered, expired or for another purpose."""


class _Signer(signing.TimestampSigner):
    def __init__(self, *, salt: str, at: float | None = None) -> None:
        super().__init__(salt=salt)
        self._at = at

    def timestamp(self) -> str:
        return signing.b62_encode(int(self._at if self._at is not None else time.time()))


def _email_digest(email: str) -> str:
    return hashlib.blake2s(email.lower().encode(), digest_size=6).hexdigest()


@dataclass(frozen=True)
class UnsubscribeRequest:
    address_id: int
    thread_id: int | None  # None: every subscription of the address


def confirm_token(address_id: int, email: str, at: float | None = None) -> str:
    return _Signer(salt=CONFIRM_SALT, at=at).sign_object(
        {"a": address_id, "e": _email_digest(email)}, compress=True
    )


def unsubscribe_token(
    address_id: int, email: str, thread_id: int | None, at: float | None = None
) -> str:
    payload: dict[str, object] = {"a": address_id, "e": _email_digest(email)}
    if thread_id is not None:
        payload["t"] = thread_id
    return _Signer(salt=UNSUBSCRIBE_SALT, at=at).sign_object(payload, compress=True)


def _load(token: str, salt: str, max_age_setting: str) -> dict[str, object]:
    if not isinstance(token, str) or len(token) > 500:
        raise InvalidToken("The link is not valid.")
    try:
        payload = _Signer(salt=salt).unsign_object(
            token,
            max_age=int(setting(max_age_setting)),  # type: ignore[call-overload]
        )
    except signing.SignatureExpired as exc:
        raise InvalidToken("The link has expired.") from exc
    except (signing.BadSignature, ValueError, UnicodeError) as exc:
        raise InvalidToken("The link is not valid.") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("a"), int):
        raise InvalidToken("The link is not valid.")
    return payload


def read_confirm_token(token: str) -> tuple[int, str]:
    """(address id, email digest) of a confirmation link, or InvalidToken."""
    payload = _load(token, CONFIRM_SALT, "NOTIFICATIONS_CONFIRM_MAX_AGE")
    return int(payload["a"]), str(payload.get("e", ""))  # type: ignore[call-overload]


def read_unsubscribe_token(token: str) -> tuple[UnsubscribeRequest, str]:
    payload = _load(token, UNSUBSCRIBE_SALT, "NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE")
    thread = payload.get("t")
    if thread is not None and not isinstance(thread, int):
        raise InvalidToken("The link is not valid.")
    request = UnsubscribeRequest(int(payload["a"]), thread)  # type: ignore[call-overload]
    return request, str(payload.get("e", ""))


def matches(email: str, digest: str) -> bool:
    return _email_digest(email) == digest
