"""Avatars made on this server: initials on a colour from a keyed hash (no third-party request).

The URL carries only the keyed hash and the initials, never the email. Gravatar is an opt-in setting.
"""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.utils.html import escape

PALETTE = (
    "#8b1a17", "#1f6f43", "#2c5d8f", "#7a4e9c", "#a15c07", "#3d6b6b", "#6b4f3d", "#9c2f6a",
    "#4a5a8c", "#5e7d22",
)  # fmt: skip
_SEED = re.compile(r"^[0-9a-f]{16}$")


def seed_for(email: str = "", user_id: int | None = None, name: str = "") -> str:
    """A stable, non-reversible seed per commenter (keyed with the site's secret)."""
    basis = (
        f"user:{user_id}" if user_id else (f"email:{email.lower()}" if email else f"name:{name}")
    )
    key = settings.SECRET_KEY.encode()[:64]
    return hashlib.blake2b(basis.encode(), key=key, digest_size=8).hexdigest()


def initials(name: str) -> str:
    letters = [part[0] for part in name.split() if part and part[0].isalnum()]
    text = "".join(letters[:2]) or (name[:1] if name[:1].isalnum() else "?")
    return text.upper()


def avatar_url(
    name: str,
    email: str = "",
    user_id: int | None = None,
    gravatar: bool = False,
    colour: str = "",
) -> str:
    """The avatar of a commenter: their Gravatar when the site or the reader chose it, else initials
    on a colour (the reader's choice of the palette, or one picked by the seed)."""
    if gravatar and email:
        digest = hashlib.md5(email.strip().lower().encode(), usedforsecurity=False).hexdigest()
        return f"https://www.gravatar.com/avatar/{digest}?s=80&d=identicon"
    from urllib.parse import quote

    url = f"/discussion/avatars/{seed_for(email, user_id, name)}.svg?i={quote(initials(name))}"
    if colour in PALETTE:
        url += f"&c={PALETTE.index(colour)}"
    return url


def user_avatar_url(user: object, name: str, email: str = "", gravatar: bool = False) -> str:
    """`avatar_url` of a signed-in reader, with their own avatar choice."""
    return avatar_url(
        name,
        email,
        getattr(user, "pk", None),
        gravatar or bool(getattr(user, "use_gravatar", False)),
        str(getattr(user, "avatar_colour", "") or ""),
    )


def avatar_svg(seed: str, letters: str, colour_index: str = "") -> str:
    """An initials avatar; `letters` and `colour_index` come from the URL, so they are limited and escaped."""
    if not _SEED.match(seed):
        seed = "0" * 16
    letters = "".join(char for char in letters if char.isalnum())[:2].upper() or "?"
    if colour_index.isascii() and colour_index.isdigit() and int(colour_index) < len(PALETTE):
        colour = PALETTE[int(colour_index)]
    else:
        colour = PALETTE[int(seed[:8], 16) % len(PALETTE)]
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">'
        f'<rect width="64" height="64" rx="32" fill="{colour}"/>'
        '<text x="32" y="33" dy=".35em" text-anchor="middle" font-family="system-ui, sans-serif" '
        f'font-size="26" font-weight="600" fill="#fff">{escape(letters)}</text></svg>'
    )
