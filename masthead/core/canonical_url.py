"""The one spelling of a URL that names a discussion thread.

Two spellings of the same address must find the same thread: `HTTPS://News.Example.org:443/a/b#c`
and `https://news.example.org/a/b` are one page. The host is lowercased (and IDNA-encoded), the
default port and the fragment dropped, the path kept as written (paths are case-sensitive; an empty
path is "/"). The query is dropped, because comment systems saw the same article under tracking
parameters (`?utm_source=...`), unless the site names query parameters that select a different page
(`MASTHEAD_THREAD_URL_QUERY`, e.g. `p,page_id` for WordPress's `/?p=42`): those are kept, sorted.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings

MAX_URL_LENGTH = 500
DEFAULT_PORTS = {"http": 80, "https": 443}


class NotAUrl(ValueError):
    """The value is not an absolute http(s) URL that could name a page."""


def kept_query_parameters() -> frozenset[str]:
    configured: Iterable[str] | str = getattr(settings, "MASTHEAD_THREAD_URL_QUERY", ())
    if isinstance(configured, str):
        configured = configured.split(",")
    return frozenset(name.strip() for name in configured if name.strip())


def canonical_url(url: str, keep_query: Iterable[str] | None = None) -> str:
    """`url` in its canonical spelling; raises `NotAUrl` for anything that is not an http(s) URL.

    `keep_query` names the query parameters that are part of a page's identity (default: the
    `MASTHEAD_THREAD_URL_QUERY` setting; none unless configured).
    """
    text = url.strip()
    if not text or len(text) > MAX_URL_LENGTH or any(ord(c) < 33 for c in text):
        raise NotAUrl("not a URL")
    if text.startswith("//"):
        text = "https:" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise NotAUrl("not a URL") from exc
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        raise NotAUrl("not an http(s) URL")
    try:
        host = parts.hostname.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise NotAUrl("not a host name") from exc
    if port is not None and port != DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    if ":" in parts.hostname and not parts.hostname.startswith("["):  # IPv6 literal
        host = f"[{parts.hostname}]" + (
            f":{port}" if port and port != DEFAULT_PORTS[scheme] else ""
        )
    path = parts.path or "/"
    keep = kept_query_parameters() if keep_query is None else frozenset(keep_query)
    query = ""
    if keep and parts.query:
        kept = sorted(
            (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k in keep
        )
        query = urlencode(kept)
    return urlunsplit((scheme, host, path, query, ""))


def canonical_url_or_none(url: str, keep_query: Iterable[str] | None = None) -> str | None:
    try:
        return canonical_url(url, keep_query)
    except NotAUrl:
        return None
