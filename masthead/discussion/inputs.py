"""What a reader may send with a comment, and its normalisation (shared by the API, the form and actions)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from masthead.core.errors import ApiError, ErrorCode, invalid
from masthead.core.text import UndecodableText, clean_line, clean_text

NAME_MAX = 50
EMAIL_MAX = 254
WEBSITE_MAX = 200
NOTIFY_CHOICES = ("none", "replies", "all")
_url_validator = URLValidator(schemes=["http", "https"])


@dataclass
class CommentInput:
    """A new comment as the reader sent it. Fields not listed here (status, score, ...) are never read."""

    body: str
    parent_id: int | None = None
    name: str = ""
    email: str = ""
    website: str = ""
    notify: str | None = None
    honeypot: str = ""
    seconds_to_submit: float | None = None
    target: dict[str, Any] | None = None


def clean_body(value: Any, max_length: int) -> str:
    """Comment source: length checked BEFORE any cleaning (never truncated), then normalised."""
    if not isinstance(value, str):
        raise invalid(_("Please write a comment."), body=_("Required."))
    if len(value) > max_length:
        raise ApiError(
            ErrorCode.TOO_LARGE,
            _("Comments are limited to %(count)d characters.") % {"count": max_length},
            413,
            {
                "body": _("At most %(count)d characters (%(sent)d sent).")
                % {"count": max_length, "sent": len(value)}
            },
        )
    try:
        body = clean_text(value)
    except UndecodableText as exc:
        raise invalid(str(exc), body=_("Contains characters that cannot be encoded.")) from exc
    if not body:
        raise invalid(_("Please write a comment."), body=_("Required."))
    return body


def clean_name(value: Any) -> str:
    if not isinstance(value, str):
        raise invalid(_("Please give your name."), name=_("Required."))
    if len(value) > NAME_MAX * 4:
        raise invalid(_("That name is too long."), name=f"At most {NAME_MAX} characters.")
    try:
        name = clean_line(value)
    except UndecodableText as exc:
        raise invalid(str(exc), name=_("Contains characters that cannot be encoded.")) from exc
    if not name:
        raise invalid(_("Please give your name."), name=_("Required."))
    if len(name) > NAME_MAX:
        raise invalid(_("That name is too long."), name=f"At most {NAME_MAX} characters.")
    return name


def check_guest_name(name: str) -> None:
    """A guest may not post under a byline's, staff member's or reader's name, a look-alike of one,
    or with a word kept for staff in it (masthead.accounts.reserved_names)."""
    from masthead.accounts.reserved_names import reserved_name_problem

    problem = reserved_name_problem(name)
    if problem is not None:
        raise ApiError(ErrorCode.NAME_RESERVED, problem, 400, {"name": _("Reserved.")})


def clean_email(value: Any, required: bool) -> str:
    if not isinstance(value, str) or not value.strip():
        if required:
            raise invalid(
                _("Please give your email address (it is never shown)."), email=_("Required.")
            )
        return ""
    try:
        email = clean_line(value)
    except UndecodableText as exc:
        raise invalid(str(exc), email=_("Contains characters that cannot be encoded.")) from exc
    if len(email) > EMAIL_MAX:
        raise invalid(_("That email address is too long."), email=_("Too long."))
    try:
        validate_email(email)
    except ValidationError as exc:
        raise invalid(
            _("Please give a valid email address."), email=_("Not a valid address.")
        ) from exc
    local, _at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def clean_website(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        return ""
    if len(value) > WEBSITE_MAX:
        raise invalid(
            _("That website address is too long."), website=f"At most {WEBSITE_MAX} characters."
        )
    try:
        website = clean_line(value)
    except UndecodableText as exc:
        raise invalid(str(exc), website=_("Contains characters that cannot be encoded.")) from exc
    if "://" not in website:
        website = "https://" + website
    try:
        _url_validator(website)
    except ValidationError as exc:
        raise invalid(
            _("Please give a web address starting with http(s)://."),
            website=_("Not a valid web address."),
        ) from exc
    if any(char in website for char in "\"'<>` \\"):
        raise invalid(_("Please give a plain web address."), website=_("Not a valid web address."))
    return website


def clean_notify(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if value not in NOTIFY_CHOICES:
        raise invalid(_("Choose none, replies or all."), notify=_("One of none, replies, all."))
    return str(value)
