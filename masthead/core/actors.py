"""Who is acting: a signed-in user, a guest browser, or the system (tasks, commands, webhooks).

`Actor` is what every action receives as its first argument, with the client address as the site
sees it. Build one with `actor_from_request` (views and the API), `Actor.for_user` (a user acting
outside a request: one-click links, the admin's commands) or `Actor.system()` (no person at all).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from masthead.core.clientip import client_ip, hash_ip

if TYPE_CHECKING:
    from masthead.accounts.models import User


@dataclass(frozen=True)
class Actor:
    user: User | None = None  # a signed-in user; None for a guest or the system
    guest_key: str = ""  # the guest cookie's random identity ('' when none yet)
    confirmed_email: str = ""  # a guest: the address this browser confirmed (accounts.guest)
    ip: str = ""
    ip_hash: str = ""
    user_agent: str = ""
    is_system: bool = False  # a task, command or webhook acting on its own: no person, no limits
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None and bool(self.user.is_authenticated)

    @property
    def is_staff(self) -> bool:
        return self.user is not None and self.is_authenticated and bool(self.user.is_staff)

    @property
    def voter_key(self) -> str:
        """One identity per reader: the user id when signed in, else the guest cookie key."""
        if self.user is not None and self.is_authenticated:
            return f"user:{self.user.pk}"
        return f"guest:{self.guest_key}" if self.guest_key else f"ip:{self.ip_hash}"

    def owns_email(self, email: str) -> bool:
        """Whether this reader proved they own `email`: a guest browser that opened its confirmation
        link. (Signed-in readers: their account's history is their trust; notifications asks the
        account's verified addresses.) A typed address proves nothing."""
        wanted = (email or "").strip().lower()
        return bool(wanted) and not self.is_authenticated and self.confirmed_email == wanted

    def get_username(self) -> str:
        if self.user is not None and self.is_authenticated:
            return self.user.get_username()
        return "system" if self.is_system else "reader"

    def has_perm(self, permission: str) -> bool:
        """The system holds every permission; a person needs to be signed in, active and granted it."""
        if self.is_system:
            return True
        user = self.user
        return (
            user is not None
            and self.is_authenticated
            and user.is_active
            and user.has_perm(permission)
        )

    @classmethod
    def system(cls) -> Actor:
        return cls(is_system=True)

    @classmethod
    def for_user(cls, user: User | None) -> Actor:
        """A user acting without a request (an emailed link, a command); None gives the system."""
        if user is None:
            return cls.system()
        return cls(user=user if user.is_authenticated else None)


# The one permission that makes a moderator: the Moderators group holds it (moderation/groups.py), and
# superusers hold every permission. Being staff is not enough: Wagtail editors are staff.
MODERATE_PERMISSION = "moderation.moderate_comments"


def can_moderate(actor: Actor) -> bool:
    """Whether `actor` may make moderators' decisions: an active user with MODERATE_PERMISSION, or
    the system (tasks, commands). Discussion and moderation both ask this, never a permission."""
    return actor.has_perm(MODERATE_PERMISSION)


def actor_from_request(
    request: HttpRequest, guest_key: str = "", confirmed_email: str = ""
) -> Actor:
    ip = client_ip(request)
    request_user = getattr(request, "user", None)
    user: User | None = (
        request_user if request_user is not None and request_user.is_authenticated else None  # type: ignore[assignment]
    )
    return Actor(
        user=user,
        guest_key=guest_key,
        confirmed_email=confirmed_email if user is None else "",
        ip=ip,
        ip_hash=hash_ip(ip),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
    )
