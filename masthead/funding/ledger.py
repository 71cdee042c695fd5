"""Provider events, stored first and then applied to the ledger by one idempotent path.

`process_event` serves the webhook and the reconcile command alike: it stores the event (its id is
unique), then applies it in one transaction. A stored event that was applied, ignored or rejected is
a duplicate and changes nothing; one that failed is retried.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from masthead.core.actors import Actor
from masthead.core.durability import commit_durably
from masthead.funding import actions
from masthead.funding.models import (
    Donation,
    DonationStatus,
    EntryKind,
    EventStatus,
    LedgerEntry,
    PaymentEvent,
)

logger = logging.getLogger("masthead.funding")

FINAL = {EventStatus.SUCCEEDED, EventStatus.IGNORED, EventStatus.REJECTED}


class Rejected(Exception):
    """The event is well-formed but contradicts what is recorded (e.g. another currency)."""


def _get(obj: Any, *path: str) -> Any:
    for name in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(name)
    return obj


def _id(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else ""


def _amount(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Rejected(f"invalid amount {value!r}")
    return value


def _when(obj: dict[str, Any]) -> datetime:
    created = obj.get("created")
    if isinstance(created, int) and not isinstance(created, bool) and 0 < created < 10**11:
        return datetime.fromtimestamp(created, tz=UTC)
    return timezone.now()


def _check_currency(
    donation: Donation, obj: dict[str, Any], event: PaymentEvent | None = None
) -> None:
    if event is not None and event.livemode != donation.livemode:
        raise Rejected(
            f"a {'live' if event.livemode else 'test'}-mode event for donation {donation.pk}"
        )
    currency = obj.get("currency")
    if not isinstance(currency, str) or currency.upper() != donation.currency.upper():
        raise Rejected(
            f"currency {currency!r} does not match donation {donation.pk} ({donation.currency})"
        )


def _lock(queryset: Any) -> Donation | None:
    return queryset.select_for_update().first()


def _donation_for_intent(intent: dict[str, Any]) -> Donation | None:
    intent_id = _id(intent)
    if intent_id:
        found = _lock(Donation.objects.filter(stripe_payment_intent_id=intent_id))
        if found:
            return found
    donation_id = _get(intent, "metadata", "masthead_donation")
    if isinstance(donation_id, str) and donation_id.isascii() and donation_id.isdigit():
        found = _lock(Donation.objects.filter(pk=int(donation_id), interval="once"))
        if found and found.stripe_payment_intent_id in (None, intent_id):
            return found
    return None


def _subscription_of_invoice(invoice: dict[str, Any]) -> str:
    return _id(invoice.get("subscription")) or _id(
        _get(invoice, "parent", "subscription_details", "subscription")
    )


def _donation_for_charge(charge_id: str, intent_id: str) -> Donation | None:
    """The donation a charge paid: through the ledger entry that recorded it, else its PaymentIntent."""
    entry_filter = (
        LedgerEntry.objects.filter(amount__gt=0, charge_id=charge_id) if charge_id else None
    )
    if entry_filter is not None and entry_filter.exists():
        return _lock(Donation.objects.filter(pk=entry_filter.values("donation_id")[:1]))
    if intent_id:
        entry = LedgerEntry.objects.filter(amount__gt=0, object_id=intent_id).first()
        if entry:
            return _lock(Donation.objects.filter(pk=entry.donation_id))
        return _lock(Donation.objects.filter(stripe_payment_intent_id=intent_id))
    return None


def _charge_id_of_intent(intent: dict[str, Any]) -> str:
    charge = _id(intent.get("latest_charge"))
    if not charge:
        charges = _get(intent, "charges", "data")
        if isinstance(charges, list) and charges:
            charge = _id(charges[0])
    return charge


def on_payment_intent_succeeded(event: PaymentEvent, intent: dict[str, Any]) -> str:
    donation = _donation_for_intent(intent)
    if donation is None:
        return EventStatus.IGNORED  # e.g. the PaymentIntent of a subscription invoice
    _check_currency(donation, intent, event)
    amount = _amount(intent.get("amount_received") or intent.get("amount"))
    actions.add_ledger_entry(
        donation,
        EntryKind.CHARGE,
        _id(intent),
        amount,
        charge_id=_charge_id_of_intent(intent),
        event=event,
        occurred_at=_when(intent),
    )
    actions.transition(donation, DonationStatus.SUCCEEDED)
    if donation.ledger.filter(kind=EntryKind.REFUND).exists():  # the refund event came first
        actions.transition(donation, _refund_status(donation))
    return EventStatus.SUCCEEDED


def on_payment_intent_failed(event: PaymentEvent, intent: dict[str, Any]) -> str:
    donation = _donation_for_intent(intent)
    if donation is None:
        return EventStatus.IGNORED
    actions.transition(donation, DonationStatus.FAILED)
    return EventStatus.SUCCEEDED


def on_invoice_paid(event: PaymentEvent, invoice: dict[str, Any]) -> str:
    subscription_id = _subscription_of_invoice(invoice)
    donation = (
        _lock(Donation.objects.filter(stripe_subscription_id=subscription_id))
        if subscription_id
        else None
    )
    if donation is None:
        donation_id = _get(invoice, "subscription_details", "metadata", "masthead_donation")
        if isinstance(donation_id, str) and donation_id.isascii() and donation_id.isdigit():
            donation = _lock(Donation.objects.filter(pk=int(donation_id), interval="month"))
    if donation is None:
        return EventStatus.IGNORED
    _check_currency(donation, invoice, event)
    amount = _amount(invoice.get("amount_paid"))
    if amount == 0:
        return EventStatus.IGNORED
    if invoice.get("status") not in (None, "paid"):
        return EventStatus.IGNORED
    actions.add_ledger_entry(
        donation,
        EntryKind.RECURRING,
        _id(invoice),
        amount,
        charge_id=_id(invoice.get("charge")),
        event=event,
        occurred_at=_when(invoice),
    )
    if subscription_id and not donation.stripe_subscription_id:
        donation.stripe_subscription_id = subscription_id
        donation.subscription_active = True
        donation.save(update_fields=["stripe_subscription_id", "subscription_active", "updated_at"])
    actions.transition(donation, DonationStatus.SUCCEEDED)
    return EventStatus.SUCCEEDED


def _refund_status(donation: Donation) -> str:
    paid = donation.ledger.filter(amount__gt=0).aggregate(total=Sum("amount"))["total"] or 0
    refunded = -(
        donation.ledger.filter(kind=EntryKind.REFUND).aggregate(total=Sum("amount"))["total"] or 0
    )
    return DonationStatus.REFUNDED if refunded >= paid else DonationStatus.PARTIALLY_REFUNDED


def on_charge_refunded(event: PaymentEvent, charge: dict[str, Any]) -> str:
    charge_id = _id(charge)
    donation = _donation_for_charge(charge_id, _id(charge.get("payment_intent")))
    if donation is None:
        return EventStatus.IGNORED
    _check_currency(donation, charge, event)
    refunded_total = _amount(charge.get("amount_refunded") or 0)
    recorded = LedgerEntry.objects.filter(kind=EntryKind.REFUND, charge_id=charge_id)

    def already() -> int:
        return -(recorded.aggregate(total=Sum("amount"))["total"] or 0)

    # One entry per refund id; the cumulative `amount_refunded` caps them, so events in any order,
    # with or without the refund list, add up to what Stripe says was refunded.
    refunds = _get(charge, "refunds", "data")
    for refund in refunds if isinstance(refunds, list) else []:
        if not isinstance(refund, dict) or refund.get("status") not in (None, "succeeded"):
            continue
        remaining = refunded_total - already()
        amount = min(_amount(refund.get("amount")), remaining)
        if amount > 0 and _id(refund):
            actions.add_ledger_entry(
                donation, EntryKind.REFUND, _id(refund), -amount, charge_id=charge_id, event=event
            )
    remaining = refunded_total - already()
    if remaining > 0:
        actions.add_ledger_entry(
            donation,
            EntryKind.REFUND,
            f"{charge_id}:refunded:{refunded_total}",
            -remaining,
            charge_id=charge_id,
            event=event,
        )
    actions.transition(donation, _refund_status(donation))
    return EventStatus.SUCCEEDED


def _donation_for_dispute(dispute: dict[str, Any]) -> Donation | None:
    return _donation_for_charge(_id(dispute.get("charge")), _id(dispute.get("payment_intent")))


def on_dispute_created(event: PaymentEvent, dispute: dict[str, Any]) -> str:
    donation = _donation_for_dispute(dispute)
    if donation is None:
        return EventStatus.IGNORED
    _check_currency(donation, dispute, event)
    actions.transition(donation, DonationStatus.DISPUTED)
    return EventStatus.SUCCEEDED


def on_dispute_closed(event: PaymentEvent, dispute: dict[str, Any]) -> str:
    donation = _donation_for_dispute(dispute)
    if donation is None:
        return EventStatus.IGNORED
    _check_currency(donation, dispute, event)
    outcome = dispute.get("status")
    if outcome == "lost":
        actions.add_ledger_entry(
            donation,
            EntryKind.DISPUTE_LOST,
            _id(dispute),
            -_amount(dispute.get("amount")),
            charge_id=_id(dispute.get("charge")),
            event=event,
        )
        actions.transition(donation, DonationStatus.DISPUTE_LOST)
    elif outcome == "won":
        actions.transition(donation, DonationStatus.DISPUTE_WON)
    return EventStatus.SUCCEEDED


def on_subscription_deleted(event: PaymentEvent, subscription: dict[str, Any]) -> str:
    donation = actions.record_subscription_ended(Actor.system(), _id(subscription))
    return EventStatus.SUCCEEDED if donation else EventStatus.IGNORED


HANDLERS: dict[str, Callable[[PaymentEvent, dict[str, Any]], str]] = {
    "payment_intent.succeeded": on_payment_intent_succeeded,
    "payment_intent.payment_failed": on_payment_intent_failed,
    "charge.refunded": on_charge_refunded,
    "charge.dispute.created": on_dispute_created,
    "charge.dispute.closed": on_dispute_closed,
    "invoice.payment_succeeded": on_invoice_paid,
    "invoice.paid": on_invoice_paid,
    "customer.subscription.deleted": on_subscription_deleted,
}


def is_event_shaped(payload: Any) -> bool:
    return (
        isinstance(payload, dict)
        and isinstance(payload.get("id"), str)
        and 0 < len(payload["id"]) <= 255
        and isinstance(payload.get("type"), str)
        and 0 < len(payload["type"]) <= 100
        and isinstance(_get(payload, "data", "object"), dict)
    )


def store_event(payload: dict[str, Any], provider: str = "stripe") -> PaymentEvent:
    """Store the raw event once (its id is unique); return the stored row either way."""
    try:
        with transaction.atomic():
            commit_durably()  # the provider is answered 200 after this and will not send it again
            return PaymentEvent.objects.create(
                provider=provider,
                event_id=payload["id"],
                type=payload["type"],
                livemode=bool(payload.get("livemode")),
                payload=payload,
            )
    except IntegrityError:
        return PaymentEvent.objects.get(event_id=payload["id"])


@transaction.atomic
def apply_event(event_pk: int) -> str:
    """Apply one stored event in one transaction; replays of a finished event change nothing."""
    commit_durably()
    event = PaymentEvent.objects.select_for_update().get(pk=event_pk)
    if event.status in FINAL:
        return event.status
    event.attempts += 1
    handler = HANDLERS.get(event.type)
    obj = _get(event.payload, "data", "object")
    status: str
    error: str
    if handler is None or not isinstance(obj, dict):
        status, error = EventStatus.IGNORED, ""
    else:
        try:
            with transaction.atomic():
                status, error = handler(event, obj), ""
        except Rejected as exc:
            status, error = EventStatus.REJECTED, str(exc)
    event.status = status
    event.error = error
    event.processed_at = timezone.now()
    event.save(update_fields=["status", "error", "attempts", "processed_at"])
    return status


def _record_failure(event_pk: int, error: str) -> None:
    with transaction.atomic():
        event = PaymentEvent.objects.select_for_update().get(pk=event_pk)
        if event.status in FINAL:
            return
        event.status = EventStatus.FAILED
        event.attempts += 1
        event.error = error[:4000]
        event.processed_at = timezone.now()
        event.save(update_fields=["status", "error", "attempts", "processed_at"])


def process_event(payload: dict[str, Any]) -> tuple[PaymentEvent, bool]:
    """Store then apply. Returns (event, ok); ok is False after an unexpected failure (answer 500)."""
    event = store_event(payload)
    if event.status in FINAL:
        return event, True
    try:
        apply_event(event.pk)
    except Exception as exc:
        logger.exception("funding event %s failed", event.event_id)
        _record_failure(event.pk, f"{type(exc).__name__}: {exc}")
        event.refresh_from_db()
        return event, False
    event.refresh_from_db()
    return event, True
