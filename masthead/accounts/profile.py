"""Writes of a reader's profile on /account/: display name, avatar, the Supporter badge.

Each is one transaction with an audit row; the threads where the reader's comments show the change
are bumped on commit (their cached pages and JSON rebuild).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from masthead.accounts.queries import verified_emails
from masthead.accounts.reserved_names import reserved_name_problem
from masthead.core import audit
from masthead.core.actors import Actor
from masthead.core.errors import invalid
from masthead.core.text import UndecodableText, clean_line
from masthead.discussion import privacy as discussion_privacy
from masthead.discussion.avatars import PALETTE


def name_problem(name: str, user: Any = None) -> str | None:
    """Why `name` cannot be a display name (reserved for someone else, or unusable), or None."""
    if not 1 <= len(name) <= 50:
        return _("Use 1 to 50 visible characters.")
    return reserved_name_problem(name, user=user)


def clean_display_name(raw: str, user: Any = None) -> str:
    try:
        name = clean_line(raw or "")
    except UndecodableText as exc:
        raise invalid(
            _("That name contains characters that cannot be used."), display_name="Invalid."
        ) from exc
    problem = name_problem(name, user)
    if problem:
        raise invalid(problem, display_name=problem)
    return name


def update_profile(user: Any, *, display_name: str, avatar_colour: str, use_gravatar: bool) -> Any:
    """Change the name and avatar shown on `user`'s comments (all of them, old ones too)."""
    name = clean_display_name(display_name, user)
    if avatar_colour and avatar_colour not in PALETTE:
        raise invalid(_("Choose one of the colours."), avatar_colour="Unknown colour.")
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        before = {
            "display_name": user.display_name,
            "avatar_colour": user.avatar_colour,
            "use_gravatar": user.use_gravatar,
        }
        after = {"display_name": name, "avatar_colour": avatar_colour, "use_gravatar": use_gravatar}
        if before == after:
            return user
        user.display_name, user.avatar_colour, user.use_gravatar = (
            name,
            avatar_colour,
            use_gravatar,
        )
        user.save(update_fields=["display_name", "avatar_colour", "use_gravatar"])
        audit.record(Actor.for_user(user), "account.profile", user, before, after)
        discussion_privacy.rename_author(user)
        if before["avatar_colour"] != avatar_colour or before["use_gravatar"] != use_gravatar:
            discussion_privacy.bump_threads(discussion_privacy.threads_of(user))
    return user


def _supporter_now(user: Any) -> bool:
    from masthead.funding.queries import supporting_emails

    emails = verified_emails(user)
    return bool(emails) and bool(supporting_emails(emails))


def set_supporter_badge(user: Any, shown: bool) -> Any:
    """Opt in to (or out of) the Supporter badge; it shows while a verified address of the reader
    has an active monthly donation. Supporter status is read afresh here."""
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        supporter = _supporter_now(user)
        before = {
            "show_supporter_badge": user.show_supporter_badge,
            "is_supporter": user.is_supporter,
        }
        after = {"show_supporter_badge": shown, "is_supporter": supporter}
        if before == after:
            return user
        was_shown = user.shows_supporter_badge
        user.show_supporter_badge, user.is_supporter = shown, supporter
        user.save(update_fields=["show_supporter_badge", "is_supporter"])
        audit.record(Actor.for_user(user), "account.supporter_badge", user, before, after)
        if was_shown != user.shows_supporter_badge:
            discussion_privacy.bump_threads(discussion_privacy.threads_of(user))
    return user


def refresh_supporter(user: Any) -> Any:
    """Re-read whether `user` supports (a monthly donation started, lapsed, or an address was
    verified); the badge follows on their comments. Joins the caller's transaction."""
    with transaction.atomic():
        supporter = _supporter_now(user)
        if supporter == user.is_supporter:
            return user
        was_shown = user.shows_supporter_badge
        get_user_model().objects.filter(pk=user.pk).update(is_supporter=supporter)
        user.is_supporter = supporter
        audit.record(
            Actor.system(),
            "account.supporter",
            user,
            {"is_supporter": not supporter},
            {"is_supporter": supporter},
        )
        if was_shown != user.shows_supporter_badge:
            discussion_privacy.bump_threads(discussion_privacy.threads_of(user))
    return user


def supporters_changed(sender: Any, emails: list[str], **kwargs: Any) -> None:
    """funding.signals.supporter_changed: refresh the accounts that verified these addresses."""
    from masthead.accounts.queries import users_with_verified_email

    for user in users_with_verified_email(emails):
        refresh_supporter(user)


def address_verified(sender: Any, email_address: Any = None, **kwargs: Any) -> None:
    """allauth's email_confirmed: a newly verified address may carry a monthly donation."""
    user = getattr(email_address, "user", None)
    if user is not None:
        refresh_supporter(user)
