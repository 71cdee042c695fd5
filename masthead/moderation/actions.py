"""Moderation actions: decisions on comments, bans, reports and one-click email links.

The only writers of moderation rows. Comment status, pins and thread closing go through discussion's
actions (`set_comment_status`, `set_pinned`, `set_thread_closed`), which keep counters right, send
signals and audit; bans, reports and link use are audited here. Every action takes an Actor first and
checks the moderator permission itself, so views, the API and the admin cannot forget it.
"""

from __future__ import annotations

import ipaddress
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from masthead.core import audit, ratelimit
from masthead.core.actors import Actor, can_moderate
from masthead.core.errors import ApiError, ErrorCode, forbidden, invalid, not_found
from masthead.core.on_commit import enqueue_on_commit
from masthead.discussion.events import published_reports
from masthead.discussion.hooks import Verdict
from masthead.discussion.models import Comment, CommentStatus, Thread
from masthead.discussion.queries import not_visible
from masthead.moderation.conf import setting
from masthead.moderation.models import (
    Ban,
    BanKind,
    BanMode,
    OneClickAction,
    OneClickToken,
    Report,
    ReportReason,
)

if TYPE_CHECKING:
    from masthead.accounts.models import User

ONE_CLICK_SALT = "masthead.moderation.one-click"


def require_moderator(actor: Actor) -> None:
    if not can_moderate(actor):
        raise forbidden(_("You need the moderator permission for this."))


def _discussion() -> Any:
    from masthead.discussion import actions

    return actions


# --- decisions on comments -----------------------------------------------------------------------


def _close_reports(comment: Comment) -> int:
    return Report.objects.filter(comment=comment, is_open=True).update(is_open=False)


def approve_comment(actor: Actor, comment: Comment, reason: str = "") -> Comment:
    """Make a comment public and close its reports; a moderator's approval also teaches the classifier."""
    require_moderator(actor)
    with transaction.atomic():
        comment = _discussion().set_comment_status(actor, comment, CommentStatus.APPROVED, reason)
        if _close_reports(comment):
            audit.record(actor, "moderation.reports_closed", comment, note="approved")
        schedule_training()
    return comment


def remove_comment(actor: Actor, comment: Comment, reason: str = "") -> Comment:
    """Remove a comment; its author gets a statement of reasons by email after commit (if they left one)."""
    require_moderator(actor)
    reason = reason.strip()[:1000]
    with transaction.atomic():
        old_status = comment.status
        comment = _discussion().set_comment_status(actor, comment, CommentStatus.REMOVED, reason)
        _close_reports(comment)
        if old_status != CommentStatus.REMOVED and comment.author_email:
            from masthead.moderation.tasks import send_statement_of_reasons

            enqueue_on_commit(send_statement_of_reasons, comment.pk, reason)
    return comment


def mark_spam(actor: Actor, comment: Comment, reason: str = "") -> Comment:
    """File a comment as spam (no statement of reasons: spam is exempt, DSA art. 17(2))."""
    require_moderator(actor)
    with transaction.atomic():
        comment = _discussion().set_comment_status(actor, comment, CommentStatus.SPAM, reason)
        _close_reports(comment)
        schedule_training()
    return comment


def hold_comment(actor: Actor, comment: Comment, reason: str = "") -> Comment:
    require_moderator(actor)
    return _discussion().set_comment_status(actor, comment, CommentStatus.PENDING, reason)


def set_pinned(actor: Actor, comment: Comment, pinned: bool) -> Comment:
    require_moderator(actor)
    return _discussion().set_pinned(actor, comment, pinned)


def set_thread_closed(actor: Actor, thread: Thread, closed: bool) -> Thread:
    require_moderator(actor)
    return _discussion().set_thread_closed(actor, thread, closed)


DECISIONS = {
    "approve": approve_comment,
    "remove": remove_comment,
    "spam": mark_spam,
    "hold": hold_comment,
}


def decide(actor: Actor, comment: Comment, decision: str, reason: str = "") -> Comment:
    """One entry point for the API, the admin and bulk actions: approve/remove/spam/hold/pin/unpin."""
    if decision in DECISIONS:
        return DECISIONS[decision](actor, comment, reason)
    if decision in ("pin", "unpin"):
        return set_pinned(actor, comment, decision == "pin")
    raise invalid(
        _("Unknown decision."), decision=_("One of approve, remove, spam, hold, pin, unpin.")
    )


def schedule_training() -> None:
    """Retrain the classifier after moderators' decisions, at most once per debounce window."""
    if not setting("CLASSIFIER"):
        return
    if cache.add("moderation:train-scheduled", 1, int(setting("TRAIN_DEBOUNCE_SECONDS"))):
        from masthead.moderation.tasks import train_classifier

        enqueue_on_commit(train_classifier)


# --- bans ------------------------------------------------------------------------------------------


def _normalise_ban_value(kind: str, value: str) -> str:
    value = value.strip()
    if kind == BanKind.EMAIL:
        try:
            validate_email(value)
        except ValidationError as exc:
            raise invalid(
                _("Not an email address."), value=_("Enter a valid email address.")
            ) from exc
        return value.lower()
    if kind == BanKind.IP:
        try:
            return str(ipaddress.ip_network(value, strict=False))
        except ValueError as exc:
            raise invalid(
                _("Not an IP address or network."), value="e.g. 203.0.113.7 or 203.0.113.0/24"
            ) from exc
    if kind == BanKind.USER:
        if not value.isdigit():
            raise invalid(_("A user ban needs a user id."), value=_("A number."))
        return value
    if kind in (BanKind.IP_HASH, BanKind.GUEST):
        if not value or len(value) > 128 or not value.replace("-", "").replace("_", "").isalnum():
            raise invalid(_("Not a valid identity."), value=_("Invalid value."))
        return value
    raise invalid(_("Unknown ban kind."), kind="One of " + ", ".join(BanKind.values))


def create_ban(
    actor: Actor,
    kind: str,
    value: str,
    *,
    mode: str = BanMode.BLOCK,
    reason: str = "",
    expires_at: datetime | None = None,
) -> Ban:
    """Block (or shadow-ban) an email, address, network, guest or user, until `expires_at` if given. Audited."""
    require_moderator(actor)
    if mode not in BanMode.values:
        raise invalid(_("Unknown ban mode."), mode=_("One of block, shadow."))
    value = _normalise_ban_value(kind, value)
    if expires_at is not None and expires_at <= timezone.now():
        raise invalid(_("The expiry is in the past."), expires_at=_("A future date."))
    with transaction.atomic():
        ban = Ban.objects.create(
            kind=kind,
            value=value,
            mode=mode,
            reason=reason.strip()[:300],
            expires_at=expires_at,
            created_by=actor.user,
        )
        audit.record(
            actor,
            "moderation.ban",
            ban,
            after={
                "kind": kind,
                "mode": mode,
                "expires_at": expires_at.isoformat() if expires_at else None,
            },
            note=ban.reason,
        )
    return ban


def ban_author(
    actor: Actor,
    comment: Comment,
    *,
    mode: str = BanMode.BLOCK,
    reason: str = "",
    days: int | None = None,
) -> list[Ban]:
    """Ban a comment's author on every identity the comment carries: account, email, address hash."""
    require_moderator(actor)
    expires_at = timezone.now() + timedelta(days=days) if days else None
    targets: list[tuple[str, str]] = []
    if comment.user_id is not None:
        targets.append((BanKind.USER, str(comment.user_id)))
    if comment.author_email:
        targets.append((BanKind.EMAIL, comment.author_email))
    if comment.guest_key:
        targets.append((BanKind.GUEST, comment.guest_key))
    if comment.ip_hash:
        targets.append((BanKind.IP_HASH, comment.ip_hash))
    if not targets:
        raise invalid(_("This comment carries nothing to ban."))
    with transaction.atomic():
        return [
            create_ban(actor, kind, value, mode=mode, reason=reason, expires_at=expires_at)
            for kind, value in targets
        ]


def lift_ban(actor: Actor, ban: Ban) -> None:
    require_moderator(actor)
    with transaction.atomic():
        audit.record(
            actor,
            "moderation.unban",
            ban,
            before={"kind": ban.kind, "mode": ban.mode},
        )
        ban.delete()


# --- reports ---------------------------------------------------------------------------------------


def report_comment(actor: Actor, comment: Comment, reason: str, note: str = "") -> Report:
    """A reader flags a public comment. Reports from THRESHOLD distinct readers hide it pending review.

    One report per reader per comment (409 on a second one); not on one's own comment (403).
    """
    if reason not in ReportReason.values:
        raise invalid(_("Choose a reason."), reason="One of " + ", ".join(ReportReason.values))
    if comment.status != CommentStatus.APPROVED:
        raise not_visible()
    user = actor.user
    if (user is not None and comment.user_id == user.pk) or (
        user is None and actor.guest_key and comment.guest_key == actor.guest_key
    ):
        raise forbidden(_("You cannot report your own comment."))
    ip_hash = actor.ip_hash
    ratelimit.enforce(
        "report-ip", ip_hash or "none", "20/h", "You are reporting too often; please wait."
    )
    with transaction.atomic():
        if (
            user is None
            and ip_hash
            and Report.objects.filter(comment=comment, reporter_ip_hash=ip_hash)
            .exclude(reporter_key__startswith="user:")
            .exists()
        ):
            # A new guest cookie from the same address is the same reader.
            raise ApiError(ErrorCode.CONFLICT, _("You have already reported this comment."), 409)
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    comment=comment,
                    reporter_key=actor.voter_key,
                    reporter_ip_hash=actor.ip_hash,
                    reason=reason,
                    note=note.strip()[:500],
                )
        except IntegrityError as exc:
            raise ApiError(
                ErrorCode.CONFLICT, _("You have already reported this comment."), 409
            ) from exc
        published_reports(comment)  # the moderators' queue pages hear of it on commit
        reporters = len(
            {
                key if key.startswith("user:") else f"ip:{address}"
                for key, address in Report.objects.filter(
                    comment=comment, is_open=True
                ).values_list("reporter_key", "reporter_ip_hash")
            }
        )
        threshold = int(setting("REPORT_THRESHOLD"))
        if reporters >= threshold:
            reasons = sorted(
                set(
                    Report.objects.filter(comment=comment, is_open=True).values_list(
                        "reason", flat=True
                    )
                )
            )
            verdict = Verdict(
                status=CommentStatus.PENDING,
                rule="reports",
                reason=f"{reporters} readers reported it ({', '.join(reasons)})",
            )
            # The system hides it; a moderator decides.
            _discussion().set_comment_status(
                Actor.system(), comment, CommentStatus.PENDING, verdict.reason, verdict
            )
    return report


# --- one-click links from moderator emails ---------------------------------------------------------


def one_click_links(comment: Comment, moderator: User | None = None) -> dict[str, Any]:
    """Signed approve / reject URLs (absolute) for a moderator alert email: expiring, single use.

    Returns {"approve": url, "remove": url, "expires_at": datetime}. Each URL opens a confirmation page
    (GET never acts, so mail scanners that prefetch links change nothing); its button POSTs.
    """
    hours = int(setting("ONE_CLICK_HOURS"))
    expires_at = timezone.now() + timedelta(hours=hours)
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    links: dict[str, Any] = {"expires_at": expires_at}
    for action in (OneClickAction.APPROVE, OneClickAction.REMOVE):
        nonce = secrets.token_urlsafe(18)
        OneClickToken.objects.create(
            comment=comment,
            action=action,
            nonce=nonce,
            moderator=moderator if moderator is not None and moderator.is_authenticated else None,
            expires_at=expires_at,
        )
        token = signing.dumps({"n": nonce, "c": comment.pk, "a": str(action)}, salt=ONE_CLICK_SALT)
        links[str(action)] = base + reverse("moderation:one_click", args=[token])
    return links


def alert_links(comment: Comment, moderator: User | None = None) -> dict[str, Any]:
    """Links for the moderator alert email: one-click decisions and the admin queue."""
    links = one_click_links(comment, moderator)
    links["queue"] = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("moderation_admin:queue")
    return links


def read_one_click(token: str) -> OneClickToken:
    """The token row behind a link, or ApiError: 404 for a bad signature, 410 for used or expired."""
    try:
        payload = signing.loads(
            token, salt=ONE_CLICK_SALT, max_age=int(setting("ONE_CLICK_HOURS")) * 3600
        )
    except signing.SignatureExpired as exc:
        raise ApiError(ErrorCode.EXPIRED, _("This link has expired."), 410) from exc
    except signing.BadSignature as exc:
        raise not_found(_("This link is not valid.")) from exc
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("n"), str)
        or not isinstance(payload.get("c"), int)
    ):
        raise not_found(_("This link is not valid."))
    row = (
        OneClickToken.objects.select_related("comment", "comment__thread", "moderator")
        .filter(nonce=payload["n"], comment_id=payload["c"], action=str(payload.get("a")))
        .first()
    )
    if row is None:
        raise not_found(_("This link is not valid."))
    if row.used_at is not None:
        raise ApiError(ErrorCode.USED, _("This link has already been used."), 410)
    if row.expires_at <= timezone.now():
        raise ApiError(ErrorCode.EXPIRED, _("This link has expired."), 410)
    return row


def use_one_click(token: str) -> Comment:
    """Carry out a one-click link once: approve or remove its comment as the moderator it was sent to."""
    with transaction.atomic():
        row = read_one_click(token)
        row = OneClickToken.objects.select_for_update().get(pk=row.pk)
        if row.used_at is not None:
            raise ApiError(ErrorCode.USED, _("This link has already been used."), 410)
        row.used_at = timezone.now()
        row.save(update_fields=["used_at"])
        # Both links of one email die together: the decision is made.
        OneClickToken.objects.filter(comment=row.comment, used_at__isnull=True).update(
            used_at=row.used_at
        )
        moderator = row.moderator
        comment = row.comment
        actor = Actor.for_user(moderator) if moderator is not None else None
        if actor is not None and not can_moderate(actor):
            actor = None
        note = "one-click link from a moderator email"
        if actor is None:
            # A link whose moderator lost the permission, or sent to the desk inbox: the system acts.
            status = (
                CommentStatus.APPROVED
                if row.action == OneClickAction.APPROVE
                else CommentStatus.REMOVED
            )
            comment = _discussion().set_comment_status(Actor.system(), comment, status, note)
            if status == CommentStatus.REMOVED and comment.author_email:
                from masthead.moderation.tasks import send_statement_of_reasons

                enqueue_on_commit(send_statement_of_reasons, comment.pk, "")
        elif row.action == OneClickAction.APPROVE:
            comment = approve_comment(actor, comment, note)
        else:
            comment = remove_comment(actor, comment, "")
        audit.record(
            Actor.for_user(moderator), "moderation.one_click", comment, after={"action": row.action}
        )
    return comment
