"""The one spelling of a browser origin: `scheme://host[:port]`, lowercase, default port dropped.

Browsers send the `Origin` header in exactly this form; editors type origins the way they type URLs
(`HTTPS://Other.Example/`, `https://other.example:443`), so what they type is brought to it first.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from masthead.core.canonical_url import NotAUrl, canonical_url


class NotAnOrigin(ValueError):
    """The text does not name a web origin (http or https, a host, no path beyond "/")."""


def normalise_origin(text: str) -> str:
    value = text.strip()
    if not value or len(value) > 300 or any(ord(c) < 33 for c in value):
        raise NotAnOrigin(_("Give an origin such as https://other.example."))
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError as exc:
        raise NotAnOrigin(_("The port is not a number from 1 to 65535.")) from exc
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise NotAnOrigin(_("An origin starts with http:// or https:// and names a host."))
    if parts.username or parts.password:
        raise NotAnOrigin(_("An origin holds no user name or password."))
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise NotAnOrigin(
            _("An origin is only scheme, host and port: the whole website, without a path.")
        )
    try:
        # The host spelled as thread URLs spell it (lowercase, IDNA, no default port), path "/".
        return canonical_url(value, keep_query=()).removesuffix("/")
    except NotAUrl as exc:
        raise NotAnOrigin(_("An origin starts with http:// or https:// and names a host.")) from exc


def origin_of_url(url: str) -> str | None:
    """The origin of an absolute http(s) URL, or None."""
    try:
        parts = urlsplit(url)
        return normalise_origin(f"{parts.scheme}://{parts.netloc}")
    except (NotAnOrigin, ValueError):
        return None
