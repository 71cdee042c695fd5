"""Checks on what readers send: safe same-site paths, emails, names, captcha hook."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.module_loading import import_string

from masthead.core.text import UndecodableText, clean_line

_UNSAFE_PATH = re.compile(r"[\x00-\x20\x7f\\]")


def safe_local_path(value: str) -> str | None:
    """`value` when it is a path on this site ('/a/b/?q'), else None (other hosts, schemes, tricks)."""
    if not value or len(value) > 500 or not value.startswith("/"):
        return None
    for candidate in (value, unquote(value), unquote(unquote(value))):
        if not candidate.startswith("/") or candidate.startswith(("//", "/\\")):
            return None
        if _UNSAFE_PATH.search(candidate):
            return None
    return value


def clean_email(value: str) -> str:
    value = value.strip()
    try:
        validate_email(value)
    except ValidationError as exc:
        raise ValueError("Enter a valid email address.") from exc
    if len(value) > 254:
        raise ValueError("Enter a valid email address.")
    return value


def clean_name(value: str, limit: int = 120) -> str:
    try:
        value = clean_line(value)
    except UndecodableText as exc:
        raise ValueError("The name contains characters that cannot be used.") from exc
    if len(value) > limit:
        raise ValueError(f"Use at most {limit} characters.")
    return value


def captcha_passes(request: Any, token: str) -> bool:
    """The CAPTCHA/turnstile hook: FUNDING_CAPTCHA_VERIFIER names `f(request, token) -> bool`; off when unset."""
    path = getattr(settings, "FUNDING_CAPTCHA_VERIFIER", "")
    if not path:
        return True
    return bool(import_string(path)(request, token))
