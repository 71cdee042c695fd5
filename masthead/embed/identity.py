"""Who a reader is on another website, without cookies: a signed token the embed keeps in the host
page's storage and sends as `Authorization: Bearer <token>`.

Browsers block third-party cookies (Safari and Firefox by default, Chromium on request), so the
embed cannot rely on the news site's cookies: a guest's key (their edit window, their votes) and a
signed-in reader's account travel in this token instead. It is bound to the origin that obtained it
(a token copied to another site is refused) and expires: a guest's after a year, like the guest
cookie; a signed-in reader's after a fortnight; an SSO reader's after a day at most, and at least an
hour even when the host's token expires sooner (hosts often mint a short-lived one per page view,
and the reader would otherwise be signed out in the middle of writing). Because the browser never attaches it by itself, a cross-origin write carrying it
cannot be forged by a third page: it takes the place of the CSRF token (docs/embed.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core import signing
from django.utils import timezone

SALT = "masthead.embed.session"
# Marks an embed session among the bearer tokens /api/v1 takes (moderators' API tokens are others).
PREFIX = "embed."
GUEST_LIFETIME = timedelta(days=365)
READER_LIFETIME = timedelta(days=14)
SSO_LIFETIME = timedelta(days=1)


@dataclass(frozen=True)
class EmbedSession:
    site_id: int
    origin: str
    guest_key: str
    user_id: int | None
    expires_at: datetime


def issue(
    site_id: int,
    origin: str,
    *,
    guest_key: str = "",
    user_id: int | None = None,
    lifetime: timedelta = GUEST_LIFETIME,
) -> tuple[str, datetime]:
    expires_at = (timezone.now() + lifetime).replace(microsecond=0)
    payload = {
        "s": site_id,
        "o": origin,
        "k": guest_key,
        "u": user_id,
        "x": int(expires_at.timestamp()),
    }
    return PREFIX + signing.dumps(payload, salt=SALT, compress=True), expires_at


def is_embed_token(token: str) -> bool:
    return token.startswith(PREFIX)


def read(token: str, origin: str) -> EmbedSession | None:
    """The session in `token` when it is genuine, unexpired and was issued to `origin`; else None."""
    if not token.startswith(PREFIX) or len(token) > 1000:
        return None
    try:
        data = signing.loads(token.removeprefix(PREFIX), salt=SALT)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    try:
        session = EmbedSession(
            site_id=int(data["s"]),
            origin=str(data["o"]),
            guest_key=str(data.get("k") or "")[:64],
            user_id=int(data["u"]) if data.get("u") is not None else None,
            expires_at=datetime.fromtimestamp(int(data["x"]), tz=UTC),
        )
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        return None
    if session.origin != origin or session.expires_at <= timezone.now():
        return None
    return session
