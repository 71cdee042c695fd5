# ruff: noqa: RUF001, RUF002
"""Links in a comment, found the way a reader would follow them, obfuscated or not.

Finds `http(s)://`, `hxxp://`, `h**p://`, `www.`, bare `name.tld`, `name[.]tld`, `name(dot)tld` and
`name dot tld`. Hosts are compared in two forms: IDNA/punycode ASCII (`xn--...`) and the folded
Unicode skeleton, so `pаypal.com` with a Cyrillic а matches a rule for `paypal.com`.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from dataclasses import dataclass

import idna

from masthead.core.text import _INVISIBLE
from masthead.moderation.normalise import fold, is_mixed_script

_SCHEME = r"(?:h(?:tt|xx|\*\*|tx|xt)ps?|ftp)\s*(?::|\[:\])\s*//"
_DOT = r"(?:\.|\[\.\]|\(\.\)|\{\.\}|\s*\[dot\]\s*|\s*\(dot\)\s*|\s*\{dot\}\s*|\s+dot\s+|。|．|｡)"
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_TLD = r"(?:[^\W\d_]{2,24}|xn--[a-z0-9-]{2,59})"
_HOST = rf"{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}{_TLD}"
_URL = re.compile(
    rf"(?<![\w@.-])(?P<scheme>{_SCHEME})?(?P<host>(?:www{_DOT})?{_HOST})(?P<port>:\d{{1,5}})?(?P<path>[/?#][^\s<>()\[\]\"']*)?",
    re.IGNORECASE,
)
_DOT_FORMS = re.compile(_DOT, re.IGNORECASE)
# Bare "word.word" is a link only when the last label is a real-looking TLD; spelled-out "dot"
# forms need a scheme or a common TLD, or "end. Then" would count.
_COMMON_TLDS = frozenset(
    [
        "com",
        "net",
        "org",
        "info",
        "biz",
        "io",
        "co",
        "me",
        "ru",
        "cn",
        "su",
        "xyz",
        "top",
        "online",
        "site",
        "shop",
        "store",
        "club",
        "live",
        "pro",
        "app",
        "dev",
        "uk",
        "de",
        "fr",
        "nl",
        "eu",
        "us",
        "ca",
        "au",
        "in",
        "br",
        "it",
        "es",
        "pl",
        "se",
        "no",
        "ch",
        "at",
        "be",
        "tk",
        "ml",
        "ga",
        "cf",
        "gq",
        "ly",
        "to",
        "gg",
        "cc",
        "tv",
        "ws",
        "link",
        "click",
        "loan",
        "win",
        "bid",
        "vip",
        "fun",
        "icu",
        "buzz",
        "cam",
        "rest",
        "bet",
        "casino",
        "money",
    ]
)


@dataclass(frozen=True)
class Link:
    text: str  # as written
    host: str  # IDNA ASCII form, lower case (punycode for Unicode hosts)
    skeleton: str  # folded Unicode form used for look-alike comparison
    obfuscated: bool  # hxxp, [.], (dot)...
    mixed_script: bool  # a label mixes Latin with Cyrillic/Greek: a homograph


def _ascii_host(unicode_host: str) -> str:
    try:
        return idna.encode(unicode_host, uts46=True).decode("ascii").lower()
    except (idna.IDNAError, UnicodeError, ValueError):
        return unicode_host.encode("ascii", "replace").decode("ascii").lower()


def _unicode_host(host: str) -> str:
    labels = []
    for label in host.split("."):
        if label.lower().startswith("xn--"):
            with contextlib.suppress(idna.IDNAError, UnicodeError, ValueError):
                label = idna.decode(label)
        labels.append(label)
    return ".".join(labels)


def extract_links(text: str) -> list[Link]:
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    found: list[Link] = []
    seen: set[str] = set()
    for match in _URL.finditer(text):
        raw_host = match.group("host")
        scheme = match.group("scheme") or ""
        host = _DOT_FORMS.sub(".", raw_host).strip(".").lower()
        obfuscated = (host != raw_host.lower()) or (
            bool(scheme) and not scheme.lower().startswith(("http", "ftp"))
        )
        tld = host.rsplit(".", 1)[-1]
        bare = not scheme and not host.startswith("www.") and not match.group("path")
        if bare and tld not in _COMMON_TLDS and not tld.startswith("xn--"):
            continue
        if (
            not scheme
            and " " in raw_host.strip()
            and tld not in _COMMON_TLDS
            and not match.group("path")
        ):
            continue
        unicode_host = _unicode_host(host)
        ascii_host = _ascii_host(unicode_host)
        key = match.group(0)
        if key in seen:
            continue
        seen.add(key)
        found.append(
            Link(
                text=match.group(0),
                host=ascii_host,
                skeleton=fold(unicode_host).replace(" ", ""),
                obfuscated=obfuscated,
                mixed_script=any(is_mixed_script(label) for label in unicode_host.split(".")),
            )
        )
    return found


def domain_matches(link: Link, domain: str) -> bool:
    """`domain` (a rule) covers the link's host or any subdomain of it, in ASCII or skeleton form."""
    domain = domain.strip().lower().strip(".")
    if not domain:
        return False
    ascii_rule = _ascii_host(_unicode_host(domain))
    skeleton_rule = fold(_unicode_host(domain)).replace(" ", "")
    for host, rule in ((link.host, ascii_rule), (link.skeleton, skeleton_rule)):
        if host == rule or host.endswith("." + rule):
            return True
    return False
