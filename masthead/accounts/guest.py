"""The guest cookie: a signed, HttpOnly, SameSite cookie holding a random guest key and the remembered name/email.

It lets a browser edit or delete its own comments within the edit window and prefills the form. The value
is signed (tampering gives an empty identity) but not encrypted: it only holds what this browser typed,
and `confirmed_email`: the address this browser proved it owns by opening the notification
confirmation link sent to it (set by that page, never by what the reader types). Moderation trust and
new subscriptions of that address go with it (see docs/moderation.md, docs/notifications.md).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

COOKIE_NAME = "masthead_guest"
SALT = "masthead.accounts.guest"
MAX_AGE = 60 * 60 * 24 * 365


@dataclass(frozen=True)
class GuestIdentity:
    key: str = ""
    name: str = ""
    email: str = ""
    website: str = ""
    confirmed_email: str = ""

    @property
    def is_known(self) -> bool:
        return bool(self.key)

    def with_key(self) -> GuestIdentity:
        return self if self.key else replace(self, key=new_guest_key())

    def remembering(self, name: str, email: str, website: str = "") -> GuestIdentity:
        return replace(self.with_key(), name=name, email=email, website=website)

    def confirming(self, email: str) -> GuestIdentity:
        """This browser opened the confirmation link of `email` (only the confirmation page says so)."""
        return replace(self.with_key(), confirmed_email=email.strip().lower())


def new_guest_key() -> str:
    return secrets.token_urlsafe(24)


def read_guest(request: HttpRequest) -> GuestIdentity:
    """This browser's guest identity, or an empty one when the cookie is missing or forged. A request
    carrying an embed session (embed/middleware.py) is that session's guest, whatever its cookies."""
    embedded = getattr(request, "embed_guest", None)
    if isinstance(embedded, GuestIdentity):
        return embedded
    raw = request.COOKIES.get(COOKIE_NAME, "")
    if not raw:
        return GuestIdentity()
    try:
        data = signing.loads(raw, salt=SALT, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError):
        return GuestIdentity()
    if not isinstance(data, dict) or not isinstance(data.get("k"), str):
        return GuestIdentity()
    return GuestIdentity(
        key=str(data.get("k", ""))[:64],
        name=str(data.get("n", ""))[:50],
        email=str(data.get("e", ""))[:254],
        website=str(data.get("w", ""))[:200],
        confirmed_email=str(data.get("v", ""))[:254],
    )


def write_guest(response: HttpResponse, guest: GuestIdentity) -> None:
    """Set (or refresh) the guest cookie on `response`."""
    value = signing.dumps(
        {
            "k": guest.key,
            "n": guest.name,
            "e": guest.email,
            "w": guest.website,
            **({"v": guest.confirmed_email} if guest.confirmed_email else {}),
        },
        salt=SALT,
        compress=True,
    )
    response.set_cookie(
        COOKIE_NAME,
        value,
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
        path="/",
    )
