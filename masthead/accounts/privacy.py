"""A reader's data: export and erasure, for an account (by its owner) or for an email address (by
staff on request, or by a guest through a signed link), and claiming earlier guest comments.

One mechanism for every route: an `Author` (discussion.privacy) names whose data it is, each app
exports and erases its own part, and each request is one transaction with a `PrivacyRequest` row and
an audit row pointing at it. Cache bumps of the threads concerned happen on commit.

What erasure does, app by app:
- discussion: comments with replies become "[deleted]" placeholders with nothing of the author left
  in them; others are removed; votes are withdrawn (counters with F()); audit rows lose the bodies.
- notifications: the addresses are forgotten with their subscriptions and unsent mail.
- funding: donations stay in the ledger (accounting law) without the donor's name, email or message.
- accounts: the user row is deleted.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from masthead.accounts.models import PrivacyRequest, PrivacyRequestKind, PrivacyRequestSource
from masthead.accounts.queries import verified_emails
from masthead.core import audit
from masthead.core.actors import Actor
from masthead.core.errors import invalid
from masthead.discussion import privacy as discussion_privacy
from masthead.discussion.privacy import Author, Erased
from masthead.notifications import privacy as notifications_privacy

EXPORT_FORMAT = 1


def subject_of_email(email: str) -> str:
    """A keyed hash of an address: the same address gives the same subject, and nobody can read it back."""
    key = settings.SECRET_KEY.encode()[:64]
    digest = hashlib.blake2b(
        email.strip().lower().encode(), key=key, digest_size=16, person=b"privacy"
    )
    return f"email:{digest.hexdigest()}"


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    if not email or "@" not in email or len(email) > 254:
        raise invalid("Enter the email address.", email="Enter a valid email address.")
    return email


def _donations(emails: list[str]) -> list[dict[str, Any]]:
    from masthead.funding.queries import donor_export

    found: list[dict[str, Any]] = []
    for email in emails:
        found.extend(donor_export(email))
    return found


def _profile(user: Any) -> dict[str, Any]:
    return {
        "username": user.get_username(),
        "display_name": user.display_name,
        "email": user.email,
        "verified_emails": verified_emails(user),
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "avatar_colour": user.avatar_colour,
        "use_gravatar": user.use_gravatar,
        "show_supporter_badge": user.show_supporter_badge,
        "is_supporter": user.is_supporter,
    }


def _export(author: Author, profile: dict[str, Any]) -> dict[str, Any]:
    emails = list(author.emails)
    return {
        "format": EXPORT_FORMAT,
        "site": settings.SITE_NAME,
        "exported_at": timezone.now().isoformat(),
        "profile": profile,
        "comments": discussion_privacy.export_comments(author),
        "votes": discussion_privacy.export_votes(author),
        "subscriptions": notifications_privacy.export_subscriptions(author.user, emails),
        "donations": _donations(emails),
    }


def _counts(data: dict[str, Any]) -> dict[str, int]:
    return {key: len(data[key]) for key in ("comments", "votes", "subscriptions", "donations")}


def _record(
    actor: Actor, kind: str, source: str, subject: str, counts: dict[str, int], note: str = ""
) -> PrivacyRequest:
    request = PrivacyRequest.objects.create(
        kind=kind, source=source, subject=subject, counts=counts
    )
    audit.record(actor, f"privacy.{kind}", request, after=counts, note=note)
    return request


def _erase(actor: Actor, author: Author) -> dict[str, int]:
    """Every app's erasure for `author`, inside the caller's transaction."""
    from masthead.funding.actions import erase_donor

    result = Erased()
    discussion_privacy.withdraw_votes(actor, author, result)
    discussion_privacy.erase_comments(actor, author, result)
    subscriptions = notifications_privacy.erase_addresses(author.user, author.emails)
    donations = sum(erase_donor(actor, email) for email in author.emails)
    discussion_privacy.bump_threads(result.thread_ids)
    return {
        "placeholders": result.placeholders,
        "removed": result.removed,
        "votes": result.votes,
        "subscriptions": subscriptions,
        "donations_anonymised": donations,
    }


# --- accounts ------------------------------------------------------------------------------------


def account_author(user: Any) -> Author:
    return Author(user=user, emails=tuple(verified_emails(user)))


def export_account(user: Any) -> dict[str, Any]:
    """Everything Masthead keeps about a signed-in reader, as one JSON-ready dict (audited): profile,
    comments, votes, subscriptions, and donations made with any of their verified addresses."""
    with transaction.atomic():
        data = _export(account_author(user), _profile(user))
        _record(
            Actor.for_user(user),
            PrivacyRequestKind.EXPORT,
            PrivacyRequestSource.ACCOUNT,
            f"user:{user.pk}",
            _counts(data),
        )
    return data


def delete_account(user: Any, *, source: str = PrivacyRequestSource.ACCOUNT) -> dict[str, int]:
    """Delete a reader's account and erase their data (see the module docstring); the caller has
    re-authenticated them. Staff accounts are refused here (an administrator removes those)."""
    if user.is_staff or user.is_superuser:
        raise invalid("Staff accounts are removed by an administrator, not from this page.")
    with transaction.atomic():
        author = account_author(user)
        counts = _erase(Actor.system(), author)
        _record(
            Actor.system(),
            PrivacyRequestKind.ERASE,
            source,
            f"user:{user.pk}",
            counts,
            note="account deleted by its owner",
        )
        get_user_model().objects.filter(pk=user.pk).delete()
    return counts


# --- addresses (staff, or a guest through a signed link) -------------------------------------------


def export_address(actor: Actor, email: str, source: str) -> dict[str, Any]:
    """Everything stored with one email address: comments written with it, its subscriptions and
    donations (audited). `actor` is the staff member, or the system for a guest's signed link."""
    email = _clean_email(email)
    with transaction.atomic():
        data = _export(Author(emails=(email,)), {"email": email})
        _record(actor, PrivacyRequestKind.EXPORT, source, subject_of_email(email), _counts(data))
    return data


def erase_address(actor: Actor, email: str, source: str) -> dict[str, int]:
    """Erase what is stored with one email address (comments, subscriptions, the donor's name on
    donations). Accounts are not deleted here; their owners do that from /account/."""
    email = _clean_email(email)
    with transaction.atomic():
        counts = _erase(actor, Author(emails=(email,)))
        _record(actor, PrivacyRequestKind.ERASE, source, subject_of_email(email), counts)
    return counts


# --- claiming guest comments ---------------------------------------------------------------------


def unclaimed_count(user: Any) -> int:
    emails = verified_emails(user)
    return discussion_privacy.unclaimed_comments(emails).count() if emails else 0


def claim_guest_comments(user: Any) -> int:
    """Attach the guest comments written with any of `user`'s verified addresses to their account
    (shown under their display name). Unverified addresses claim nothing. Returns how many."""
    emails = verified_emails(user)
    if not emails:
        return 0
    with transaction.atomic():
        ids = discussion_privacy.attach_comments(user, emails)
        if ids:
            _record(
                Actor.for_user(user),
                PrivacyRequestKind.CLAIM,
                PrivacyRequestSource.ACCOUNT,
                f"user:{user.pk}",
                {"comments": len(ids)},
            )
    return len(ids)


def erasures_of(email: str) -> int:
    """How many erasures were made for this address (a link sent before one of them is spent)."""
    return PrivacyRequest.objects.filter(
        kind=PrivacyRequestKind.ERASE, subject=subject_of_email(email)
    ).count()
