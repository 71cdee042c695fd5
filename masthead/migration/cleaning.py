"""Making what a source read fit Masthead's rows: text, addresses, dates, fingerprints."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import fields
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from masthead.discussion.rendering import render_markdown, sanitise

from .records import SourceComment


def fingerprint(value: Any) -> str:
    """A stable hash of what was read: equal records give equal fingerprints across runs."""
    if isinstance(value, dict):
        data: Any = value
    else:  # a record's fields, in order (asdict's deep copy cost a sixth of an import's time)
        data = [getattr(value, item.name) for item in fields(value)]
    text = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def fit_id(source_id: str) -> str:
    """A composed source id that fits ImportedObject.source_id (200 characters)."""
    if len(source_id) <= 200:
        return source_id
    return "sha256:" + hashlib.sha256(source_id.encode()).hexdigest()


def as_utc(moment: dt.datetime | None) -> dt.datetime | None:
    """Dates as given; one without a zone is taken as UTC (what exports write)."""
    if moment is None:
        return None
    if timezone.is_naive(moment):
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def html_of(record: SourceComment) -> str:
    """The comment's HTML, sanitised to the comment allow-list like a comment posted here."""
    body = record.body or ""
    if not record.body_is_html:
        return render_markdown(body)
    if not re.search(r"<(p|div|br|ul|ol|blockquote|pre)\b", body, re.IGNORECASE):
        # Plain text with HTML inline (WordPress, Disqus): blank lines are paragraphs.
        parts = [part.strip() for part in re.split(r"\n\s*\n", body) if part.strip()]
        body = "".join(f"<p>{part.replace(chr(10), '<br>')}</p>" for part in parts)
    return sanitise(body)


def clean_text(value: str) -> str:
    """Text as read, without NUL characters (PostgreSQL cannot store them; nothing shows them)."""
    return (value or "").replace("\x00", "")


@lru_cache(maxsize=4096)
def clean_email(email: str) -> str:
    # Cached: readers comment many times under one address, and validating it is not cheap.
    email = (email or "").strip()
    if not email or len(email) > 254:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        return ""
    return email


def clean_website(url: str) -> str:
    url = (url or "").strip()
    if not url or len(url) > 200 or urlsplit(url).scheme not in ("http", "https"):
        return ""
    return url
