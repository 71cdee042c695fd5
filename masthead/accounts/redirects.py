"""Where a `next` parameter may send a reader after signing in or out: a plain path on this site."""

from __future__ import annotations

from urllib.parse import unquote

from django.utils.http import url_has_allowed_host_and_scheme


def is_safe_next(target: str | None) -> bool:
    """True for a plain same-site path: checked as sent and URL-decoded once and twice, one leading
    slash (not `//` or `/\\`), no scheme or colon in the path, no backslashes or control characters."""
    if not target or len(target) > 1000:
        return False
    for candidate in (target, unquote(target), unquote(unquote(target))):
        path = candidate.split("?", 1)[0]
        if (
            not candidate.startswith("/")
            or candidate.startswith(("//", "/\\"))
            or ":" in path
            or any(char in candidate for char in "\\\r\n\t\x00")
        ):
            return False
    return url_has_allowed_host_and_scheme(target, allowed_hosts=None, require_https=False)
