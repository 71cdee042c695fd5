"""Who is acting: a registered user or a guest browser, with the client address as the site sees it.

`Actor` is what every discussion, notification and moderation action receives as its first argument.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from masthead.core.clientip import client_ip, hash_ip


@dataclass(frozen=True)
class Actor:
    user: Any = None  # an authenticated User, or None for a guest
    guest_key: str = ""  # the guest cookie's random identity ('' when none yet)
    ip: str = ""
    ip_hash: str = ""
    user_agent: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None and getattr(self.user, "is_authenticated", False)

    @property
    def is_staff(self) -> bool:
        return self.is_authenticated and bool(self.user.is_staff)

    @property
    def voter_key(self) -> str:
        """One identity per reader: the user id when signed in, else the guest cookie key."""
        if self.is_authenticated:
            return f"user:{self.user.pk}"
        return f"guest:{self.guest_key}" if self.guest_key else f"ip:{self.ip_hash}"

    def get_username(self) -> str:
        return self.user.get_username() if self.is_authenticated else "reader"

    @classmethod
    def system(cls) -> Actor:
        return cls()


def actor_from_request(request: HttpRequest, guest_key: str = "") -> Actor:
    ip = client_ip(request)
    user = (
        request.user
        if getattr(request, "user", None) is not None and request.user.is_authenticated
        else None
    )
    return Actor(
        user=user,
        guest_key=guest_key,
        ip=ip,
        ip_hash=hash_ip(ip),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
    )
