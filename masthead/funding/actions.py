"""Writes for funding: donations, the ledger, manual gifts, cancellation, donor export and erasure.

Every outermost action is one transaction; totals move only through `add_ledger_entry`, which
relies on the ledger's unique constraint so a replay adds nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from masthead.core import audit, cache_versions, ratelimit
from masthead.core.actors import Actor
from masthead.core.durability import commit_durably
from masthead.core.errors import ApiError, ErrorCode, invalid
from masthead.core.hashing import hash_email
from masthead.core.language import reader_language
from masthead.core.on_commit import enqueue_on_commit
from masthead.core.text import UndecodableText, clean_text
from masthead.funding import queries
from masthead.funding.models import (
    ALLOWED_TRANSITIONS,
    Campaign,
    CampaignTotal,
    Donation,
    DonationStatus,
    EntryKind,
    Interval,
    LedgerEntry,
    Method,
    PaymentEvent,
)
from masthead.funding.providers import stripe as provider
from masthead.funding.providers.base import PaymentCompletion, PaymentStart, ProviderError
from masthead.funding.validation import clean_email, clean_name, safe_local_path

MAX_MESSAGE = 1000


@dataclass(frozen=True)
class DonationForm:
    """What a reader sent to start a donation, before any check."""

    amount: int
    interval: str
    email: str
    name: str = ""
    anonymous: bool = False
    message: str = ""
    source_url: str = ""


@dataclass(frozen=True)
class DonationRequest(DonationForm):
    """A reader's checked donation form (`donation_request`): cleaned fields and the article given from."""

    source_page: Any = None

    def fingerprint(self, campaign: Campaign) -> str:
        raw = "|".join(
            [campaign.slug, str(self.amount), self.interval, self.email.lower(), self.name]
        )
        return hashlib.sha256(raw.encode()).hexdigest()


def bump_totals(campaign_id: int) -> None:
    """Cached goal bars and article pages showing this campaign rebuild after commit."""
    cache_versions.bump("funding", "")
    cache_versions.bump("funding-campaign", campaign_id)


def transition(donation: Donation, status: str) -> bool:
    """Move `donation` forward to `status` (caller holds the row lock); False when not allowed."""
    if status == donation.status:
        return False
    if status not in ALLOWED_TRANSITIONS.get(donation.status, set()):
        return False
    before = donation.status
    donation.status = status
    donation.save(update_fields=["status", "updated_at"])
    audit.record(
        Actor.system(), "funding.donation_status", donation, {"status": before}, {"status": status}
    )
    return True


@transaction.atomic
def create_donation(
    campaign: Campaign,
    request: DonationRequest,
    *,
    livemode: bool,
    ip_hash: str = "",
    idempotency_key: str | None = None,
) -> Donation:
    """Record a reader's intent to give (status `created`); nothing counts until the provider confirms."""
    donation = Donation.objects.create(
        campaign=campaign,
        method=Method.STRIPE,
        interval=request.interval,
        amount=request.amount,
        currency=campaign.currency,
        livemode=livemode,
        donor_name="" if request.anonymous else request.name,
        donor_email=request.email,
        anonymous=request.anonymous or not request.name,
        message=request.message,
        source_page=request.source_page,
        source_url=request.source_url,
        ip_hash=ip_hash,
        idempotency_key=idempotency_key,
        request_fingerprint=request.fingerprint(campaign),
        language=reader_language(),  # the request's language: the receipt is written in it
    )
    audit.record(
        Actor.system(), "funding.donation_created", donation, after={"amount": request.amount}
    )
    return donation


def start_donation(
    actor: Actor,
    campaign: Campaign,
    form: DonationForm,
    *,
    idempotency_key: str | None = None,
    captcha_passes: Callable[[], bool] = lambda: True,
) -> Donation:
    """Start a reader's donation: checked, recorded (`created`), and set up with the provider.

    Outside a transaction on purpose: the provider call is an HTTP request. In order: the provider
    must be configured (503 `unavailable`), the form valid (400 `campaign_closed`, `invalid` with
    fields); a request repeating an `idempotency_key` gets the same donation back (409 `conflict` for
    a different form, or while the first is still in progress); then the challenge (`captcha_passes`,
    asked only for a new donation), rate limits per address and per email (429), the row, and the
    provider's payment objects (502 `provider_error`, the donation marked failed).
    """
    if not provider.is_configured():
        raise ApiError(
            ErrorCode.UNAVAILABLE, _("Online donations are not set up on this site yet."), 503
        )
    request = donation_request(campaign, form)
    fingerprint = request.fingerprint(campaign)
    if idempotency_key:
        replayed = _replay(idempotency_key, fingerprint)
        if replayed is not None:
            return replayed
    if not captcha_passes():
        raise invalid(_("Please complete the challenge."), captcha_token=_("The challenge failed."))
    ratelimit.enforce(
        "funding-ip",
        actor.ip_hash,
        getattr(settings, "FUNDING_RATE_PER_IP", "10/h"),
        "Too many donation attempts from your network; please wait a while.",
    )
    ratelimit.enforce(
        "funding-email",
        hash_email(request.email),
        getattr(settings, "FUNDING_RATE_PER_EMAIL", "5/h"),
        "Too many donation attempts for this email address; please wait a while.",
    )
    try:
        donation = create_donation(
            campaign,
            request,
            livemode=provider.livemode(),
            ip_hash=actor.ip_hash,
            idempotency_key=idempotency_key,
        )
    except IntegrityError:
        replayed = _replay(idempotency_key, fingerprint) if idempotency_key else None
        if replayed is None:
            raise ApiError(ErrorCode.CONFLICT, _("Please try again."), 409) from None
        return replayed
    try:
        start = provider.start_payment(donation)
    except ProviderError as exc:
        mark_failed(donation, str(exc))
        raise ApiError(ErrorCode.PROVIDER_ERROR, str(exc), 502) from exc
    return attach_payment_start(donation, start)


def donation_request(campaign: Campaign, form: DonationForm) -> DonationRequest:
    """The checked form, or ApiError: 400 `campaign_closed`, or 400 `invalid` naming each field."""
    fields: dict[str, str] = {}
    if not campaign.is_open():
        raise ApiError(
            ErrorCode.CAMPAIGN_CLOSED,
            _("This campaign is not taking donations."),
            400,
            {"campaign": _("This campaign is closed.")},
        )
    if not campaign.minimum_amount <= form.amount <= campaign.maximum_amount:
        fields["amount"] = _("Give between %(minimum)s and %(maximum)s.") % {
            "minimum": campaign.format(campaign.minimum_amount),
            "maximum": campaign.format(campaign.maximum_amount),
        }
    if form.interval == "month" and not campaign.monthly_enabled:
        fields["interval"] = _("This campaign does not offer monthly giving.")
    email = name = message = ""
    try:
        email = clean_email(form.email)
    except ValueError as exc:
        fields["email"] = str(exc)
    try:
        name = clean_name(form.name)
    except ValueError as exc:
        fields["name"] = str(exc)
    try:
        message = clean_text(form.message)
    except (UndecodableText, ValueError):
        fields["message"] = _("The message contains characters that cannot be used.")
    if len(message) > MAX_MESSAGE:
        fields["message"] = _("Use at most %(count)d characters.") % {"count": MAX_MESSAGE}
    source_url = ""
    if form.source_url:
        checked = safe_local_path(form.source_url)
        if checked is None:
            fields["source_url"] = _("Use a path on this site, such as /news/story/.")
        else:
            source_url = checked
    if fields:
        raise ApiError(ErrorCode.INVALID, _("Please correct the donation."), 400, fields)
    return DonationRequest(
        amount=form.amount,
        interval=form.interval,
        email=email,
        name=name,
        anonymous=form.anonymous,
        message=message,
        source_url=source_url,
        source_page=queries.article_for_path(source_url) if source_url else None,
    )


def _replay(key: str, fingerprint: str) -> Donation | None:
    """The donation an earlier request with this Idempotency-Key started, if it asked the same."""
    existing = Donation.objects.filter(idempotency_key=key).first()
    if existing is None:
        return None
    if not hmac.compare_digest(existing.request_fingerprint, fingerprint):
        raise ApiError(
            ErrorCode.CONFLICT, _("This Idempotency-Key was used for a different donation."), 409
        )
    if not existing.client_secret:
        raise ApiError(
            ErrorCode.CONFLICT,
            _("A request with this Idempotency-Key is still in progress."),
            409,
            headers={"Retry-After": "1"},
        )
    return existing


@transaction.atomic
def attach_payment_start(donation: Donation, start: PaymentStart) -> Donation:
    """Store the provider objects created for `donation` so webhooks can find it."""
    locked = Donation.objects.select_for_update().get(pk=donation.pk)
    locked.stripe_customer_id = start.customer_id
    locked.stripe_setup_intent_id = start.setup_intent_id
    locked.client_secret = start.client_secret
    locked.stripe_payment_intent_id = start.payment_intent_id
    locked.save(
        update_fields=[
            "stripe_customer_id",
            "stripe_setup_intent_id",
            "client_secret",
            "stripe_payment_intent_id",
            "updated_at",
        ]
    )
    return locked


@transaction.atomic
def record_completion(donation: Donation, completion: PaymentCompletion) -> Donation:
    """The card was charged or the subscription created: the donation waits for the webhook."""
    commit_durably()
    locked = Donation.objects.select_for_update().get(pk=donation.pk)
    if completion.subscription_id and not locked.stripe_subscription_id:
        locked.stripe_subscription_id = completion.subscription_id
        locked.subscription_active = True
        locked.save(update_fields=["stripe_subscription_id", "subscription_active", "updated_at"])
    transition(locked, DonationStatus.PENDING)
    return locked


@transaction.atomic
def mark_failed(donation: Donation, reason: str) -> Donation:
    locked = Donation.objects.select_for_update().get(pk=donation.pk)
    if transition(locked, DonationStatus.FAILED):
        audit.record(Actor.system(), "funding.donation_failed", locked, note=reason[:500])
    return locked


def _update_total(entry: LedgerEntry, new_donor: bool) -> None:
    total, _ = CampaignTotal.objects.get_or_create(
        campaign_id=entry.campaign_id, currency=entry.currency, livemode=entry.livemode
    )
    CampaignTotal.objects.filter(pk=total.pk).update(
        settled=F("settled") + entry.amount,
        donor_count=F("donor_count") + (1 if new_donor else 0),
    )


def add_ledger_entry(
    donation: Donation,
    kind: str,
    object_id: str,
    amount: int,
    *,
    charge_id: str = "",
    event: PaymentEvent | None = None,
    occurred_at: Any = None,
    provider: str = "stripe",
) -> LedgerEntry | None:
    """Add one money movement unless `(provider, object_id)` is already in the ledger (then None).

    Must run inside the caller's transaction. Updates the campaign's running total, counts a new donor
    on the donation's first positive entry, and on commit invalidates cached pages and sends the
    receipt for a card payment.
    """
    if LedgerEntry.objects.filter(provider=provider, object_id=object_id).exists():
        return None
    first_positive = amount > 0 and not donation.ledger.filter(amount__gt=0).exists()
    try:
        with transaction.atomic():
            commit_durably()
            entry = LedgerEntry.objects.create(
                campaign_id=donation.campaign_id,
                donation=donation,
                kind=kind,
                provider=provider,
                object_id=object_id,
                charge_id=charge_id,
                amount=amount,
                currency=donation.currency,
                livemode=donation.livemode,
                event=event,
                occurred_at=occurred_at or timezone.now(),
            )
    except IntegrityError:
        return None  # a concurrent delivery of the same object won the race
    _update_total(entry, new_donor=first_positive)
    audit.record(
        Actor.system(),
        "funding.ledger_entry",
        entry,
        after={"kind": kind, "object_id": object_id, "amount": amount, "currency": entry.currency},
    )
    bump_totals(donation.campaign_id)
    if amount > 0 and kind in (EntryKind.CHARGE, EntryKind.RECURRING) and donation.donor_email:
        from masthead.funding.tasks import send_receipt

        enqueue_on_commit(send_receipt, entry.pk)
    return entry


@transaction.atomic
def record_manual_donation(
    actor: Actor,
    campaign: Campaign,
    *,
    amount: int,
    method: str,
    donor_name: str = "",
    donor_email: str = "",
    note: str = "",
    received_at: Any = None,
    livemode: bool = True,
) -> Donation:
    """A bank transfer, cheque or other offline gift recorded by staff; it counts like a card payment."""
    if amount <= 0:
        raise ValueError("amount must be positive")
    if method not in Method.values or method == Method.STRIPE:
        raise ValueError("choose an offline method")
    donation = Donation.objects.create(
        campaign=campaign,
        method=method,
        interval=Interval.ONCE,
        amount=amount,
        currency=campaign.currency,
        livemode=livemode,
        status=DonationStatus.SUCCEEDED,
        donor_name=donor_name,
        donor_email=donor_email,
        anonymous=not donor_name,
        note=note,
        recorded_by=actor.user,
        created_at=received_at or timezone.now(),
    )
    add_ledger_entry(
        donation,
        EntryKind.MANUAL,
        f"manual:{uuid.uuid4()}",
        amount,
        provider="manual",
        occurred_at=received_at,
    )
    audit.record(
        actor, "funding.manual_donation", donation, after={"amount": amount, "method": method}
    )
    return donation


def cancel_monthly_donation(actor: Actor, donation: Donation) -> Donation:
    """Stop a monthly gift at the provider (outside a transaction: an HTTP call), then record it."""
    if donation.stripe_subscription_id and donation.subscription_active:
        provider.cancel_subscription(donation.stripe_subscription_id)
    return record_subscription_ended(actor, donation.stripe_subscription_id or "") or donation


@transaction.atomic
def record_subscription_ended(actor: Actor, subscription_id: str) -> Donation | None:
    donation = (
        Donation.objects.select_for_update().filter(stripe_subscription_id=subscription_id).first()
        if subscription_id
        else None
    )
    if donation is None or not donation.subscription_active:
        return donation
    donation.subscription_active = False
    donation.canceled_at = timezone.now()
    donation.save(update_fields=["subscription_active", "canceled_at", "updated_at"])
    audit.record(actor, "funding.subscription_ended", donation)
    return donation


@transaction.atomic
def erase_donor(actor: Actor, email: str) -> int:
    """Remove a donor's personal data from every donation; the money rows stay, anonymised."""
    email = email.strip()
    if not email:
        return 0
    donations = list(Donation.objects.select_for_update().filter(donor_email__iexact=email))
    now = timezone.now()
    for donation in donations:
        donation.donor_name = ""
        donation.donor_email = ""
        donation.anonymous = True
        donation.message = ""
        donation.ip_hash = ""
        donation.source_url = ""
        donation.erased_at = now
        donation.save(
            update_fields=[
                "donor_name",
                "donor_email",
                "anonymous",
                "message",
                "ip_hash",
                "source_url",
                "erased_at",
                "updated_at",
            ]
        )
        audit.record(actor, "funding.donor_erased", donation)
    if donations:
        from masthead.funding.signals import supporter_changed

        supporter_changed.send(sender=Donation, emails=[email.lower()])
        for campaign_id in {donation.campaign_id for donation in donations}:
            bump_totals(campaign_id)
    return len(donations)
