"""Unicode hygiene for everything a reader types: names, bodies, quotes."""

from __future__ import annotations

import re
import unicodedata

# Zero-width characters, bidi overrides/isolates and other invisible format characters
# that let a name look like someone else's or reverse the text around it.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e0fff]"
)
_CONTROL = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]")
_SPACES = re.compile(r"\s+")


class UndecodableText(ValueError):
    """Raised for text that cannot be encoded as UTF-8 (lone surrogates)."""


def ensure_encodable(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise UndecodableText("The text contains characters that cannot be encoded.") from exc
    return value


def clean_line(value: str) -> str:
    """A single-line value (a name, a title): NFKC, no control or invisible characters, one space."""
    ensure_encodable(value)
    value = unicodedata.normalize("NFKC", value)
    value = _INVISIBLE.sub("", value)
    value = _CONTROL.sub(" ", value)
    return _SPACES.sub(" ", value).strip()


def clean_text(value: str) -> str:
    """Multi-line text (a comment body): NFC, newlines normalised, no control or bidi-override characters."""
    ensure_encodable(value)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = unicodedata.normalize("NFC", value)
    value = _INVISIBLE.sub("", value)
    value = re.sub("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]", "", value)
    return value.strip()
