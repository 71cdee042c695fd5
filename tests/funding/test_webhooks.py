"""The webhook endpoint with Stripe-shaped events signed in the test: the ledger must stay right."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from masthead.funding import queries
from masthead.funding.models import Donation, LedgerEntry, PaymentEvent
from tests.funding.conftest import intent, pending_donation, raised
from tests.funding.stripe_support import event, sign

pytestmark = pytest.mark.django_db


def charge(donation: Any, refunded: int, refunds: list[dict] | None = None) -> dict:
    body: dict[str, Any] = {
        "id": f"ch_for_{donation.pk}",
        "object": "charge",
        "amount": donation.amount,
        "amount_refunded": refunded,
        "currency": "usd",
        "payment_intent": donation.stripe_payment_intent_id,
        "refunded": refunded >= donation.amount,
    }
    if refunds is not None:
        body["refunds"] = {"object": "list", "data": refunds}
    return body


def dispute(donation: Any, status: str, amount: int | None = None) -> dict:
    return {
        "id": f"dp_for_{donation.pk}",
        "object": "dispute",
        "amount": donation.amount if amount is None else amount,
        "currency": "usd",
        "charge": f"ch_for_{donation.pk}",
        "payment_intent": donation.stripe_payment_intent_id,
        "status": status,
    }


def test_payment_intent_succeeded_counts_once_and_sends_one_receipt(
    a_pending_donation: Any, deliver: Any, mailoutbox: list
) -> None:
    campaign = a_pending_donation.campaign
    before = raised(campaign)
    payload = event("payment_intent.succeeded", intent(a_pending_donation))
    first = deliver(payload)
    again = deliver(payload)
    other_event_same_intent = deliver(event("payment_intent.succeeded", intent(a_pending_donation)))
    assert (first.status_code, again.status_code, other_event_same_intent.status_code) == (
        200,
        200,
        200,
    )
    assert raised(campaign) == before + 2500
    assert LedgerEntry.objects.filter(donation=a_pending_donation).count() == 1
    assert PaymentEvent.objects.count() == 2
    a_pending_donation.refresh_from_db()
    assert a_pending_donation.status == "succeeded"
    assert queries.campaign_progress(campaign, livemode=False).donor_count == 1
    assert len(mailoutbox) == 1
    assert "$25.00" in mailoutbox[0].body
    assert mailoutbox[0].to == ["reader@example.com"]


def test_late_failure_event_does_not_undo_a_success(a_pending_donation: Any, deliver: Any) -> None:
    deliver(event("payment_intent.succeeded", intent(a_pending_donation)))
    deliver(
        event(
            "payment_intent.payment_failed",
            intent(a_pending_donation, status="requires_payment_method"),
        )
    )
    a_pending_donation.refresh_from_db()
    assert a_pending_donation.status == "succeeded"
    assert raised(a_pending_donation.campaign) == 10_000 + 2500


def test_declined_payment_counts_nothing(a_pending_donation: Any, deliver: Any) -> None:
    deliver(
        event(
            "payment_intent.payment_failed",
            intent(a_pending_donation, status="requires_payment_method"),
        )
    )
    a_pending_donation.refresh_from_db()
    assert a_pending_donation.status == "failed"
    assert raised(a_pending_donation.campaign) == 10_000


def test_partial_then_full_refund_in_any_order_adds_up(
    a_pending_donation: Any, deliver: Any
) -> None:
    donation = a_pending_donation
    partial = event(
        "charge.refunded",
        charge(donation, 1000, [{"id": "re_1", "amount": 1000, "status": "succeeded"}]),
    )
    full = event(
        "charge.refunded",
        charge(
            donation,
            2500,
            [
                {"id": "re_2", "amount": 1500, "status": "succeeded"},
                {"id": "re_1", "amount": 1000, "status": "succeeded"},
            ],
        ),
    )
    # Out of order: the full refund arrives first, before even the payment itself.
    deliver(full)
    deliver(event("payment_intent.succeeded", intent(donation)))
    deliver(partial)
    deliver(full)
    assert raised(donation.campaign) == 10_000
    donation.refresh_from_db()
    assert donation.status == "refunded"
    assert sum(donation.ledger.filter(kind="refund").values_list("amount", flat=True)) == -2500


def test_partial_refund_without_refund_list_uses_the_cumulative_amount(
    a_pending_donation: Any, deliver: Any
) -> None:
    donation = a_pending_donation
    deliver(event("payment_intent.succeeded", intent(donation)))
    deliver(event("charge.refunded", charge(donation, 700)))
    deliver(event("charge.refunded", charge(donation, 700)))
    assert raised(donation.campaign) == 10_000 + 1800
    donation.refresh_from_db()
    assert donation.status == "partially_refunded"
    deliver(
        event(
            "charge.refunded",
            charge(donation, 1000, [{"id": "re_a", "amount": 700}, {"id": "re_b", "amount": 300}]),
        )
    )
    assert raised(donation.campaign) == 10_000 + 1500


def test_lost_dispute_subtracts_once_and_won_dispute_keeps_the_money(
    a_campaign: Any, deliver: Any
) -> None:
    lost = pending_donation(a_campaign, 4000)
    won = pending_donation(a_campaign, 6000)
    for donation in (lost, won):
        deliver(event("payment_intent.succeeded", intent(donation)))
    assert raised(a_campaign) == 10_000 + 10_000
    deliver(event("charge.dispute.created", dispute(lost, "needs_response")))
    lost.refresh_from_db()
    assert lost.status == "disputed"
    closed = event("charge.dispute.closed", dispute(lost, "lost"))
    deliver(closed)
    deliver(closed)
    deliver(event("charge.dispute.closed", dispute(lost, "lost")))
    # The 'created' event arriving late cannot reopen a closed dispute.
    deliver(event("charge.dispute.created", dispute(lost, "needs_response")))
    deliver(event("charge.dispute.closed", dispute(won, "won")))
    lost.refresh_from_db()
    won.refresh_from_db()
    assert (lost.status, won.status) == ("dispute_lost", "dispute_won")
    assert raised(a_campaign) == 10_000 + 6000


def test_currency_mismatch_is_rejected_and_counts_nothing(
    a_pending_donation: Any, deliver: Any
) -> None:
    response = deliver(
        event("payment_intent.succeeded", intent(a_pending_donation, currency="eur"))
    )
    assert response.status_code == 200
    stored = PaymentEvent.objects.get()
    assert stored.status == "rejected"
    assert "currency" in stored.error
    assert raised(a_pending_donation.campaign) == 10_000
    assert not LedgerEntry.objects.exists()


def test_monthly_invoices_count_each_month_once(a_campaign: Any, deliver: Any) -> None:
    donation = pending_donation(a_campaign, 1500, interval="month")

    def invoice(number: int) -> dict:
        return {
            "id": f"in_{donation.pk}_{number}",
            "object": "invoice",
            "amount_paid": 1500,
            "currency": "usd",
            "status": "paid",
            "subscription": donation.stripe_subscription_id,
            "charge": f"ch_inv_{number}",
        }

    deliver(event("invoice.payment_succeeded", invoice(1)))
    deliver(event("invoice.paid", invoice(1)))
    deliver(event("invoice.paid", invoice(2)))
    assert raised(a_campaign) == 10_000 + 3000
    assert queries.campaign_progress(a_campaign, livemode=False).donor_count == 1
    deliver(
        event(
            "customer.subscription.deleted",
            {"id": donation.stripe_subscription_id, "object": "subscription", "status": "canceled"},
        )
    )
    donation.refresh_from_db()
    assert donation.status == "succeeded"
    assert donation.subscription_active is False


def test_unknown_event_type_is_stored_and_ignored(a_campaign: Any, deliver: Any) -> None:
    response = deliver(event("customer.tax_id.created", {"id": "txi_1", "object": "tax_id"}))
    assert response.status_code == 200
    assert PaymentEvent.objects.get().status == "ignored"


@pytest.mark.parametrize(
    "header",
    [
        "",
        "garbage",
        "t=notanumber,v1=abc",
        "v1=" + "0" * 64,
    ],
)
def test_missing_or_malformed_signature_is_refused(
    a_pending_donation: Any, deliver: Any, header: str
) -> None:
    response = deliver(event("payment_intent.succeeded", intent(a_pending_donation)), header=header)
    assert response.status_code == 400
    assert response.json()["error"] == "bad_signature"
    assert not PaymentEvent.objects.exists()
    assert not LedgerEntry.objects.exists()


def test_signature_with_another_secret_or_stale_timestamp_is_refused(
    a_pending_donation: Any, deliver: Any
) -> None:
    payload = event("payment_intent.succeeded", intent(a_pending_donation))
    body = json.dumps(payload).encode()
    forged = deliver(payload, header=sign(body, secret="whsec_attacker"))
    stale = deliver(payload, header=sign(body, timestamp=int(time.time()) - 3600))
    tampered = deliver(payload, raw=body.replace(b"2500", b"9999"), header=sign(body))
    assert [r.status_code for r in (forged, stale, tampered)] == [400, 400, 400]
    assert not PaymentEvent.objects.exists()
    assert raised(a_pending_donation.campaign) == 10_000


def test_a_signature_from_the_future_beyond_the_tolerance_is_refused(
    a_pending_donation: Any, deliver: Any
) -> None:
    """Stripe's SDK checks only that a timestamp is not too old; one an hour ahead (a replayable
    event signed with a skewed or forged clock) is refused too, while a little clock skew passes."""
    payload = event("payment_intent.succeeded", intent(a_pending_donation))
    body = json.dumps(payload).encode()
    ahead = deliver(payload, header=sign(body, timestamp=int(time.time()) + 3600))
    assert ahead.status_code == 400
    assert ahead.json()["error"] == "bad_signature"
    assert not PaymentEvent.objects.exists()
    skewed = deliver(payload, header=sign(body, timestamp=int(time.time()) + 30))
    assert skewed.status_code == 200, skewed.content


def test_no_secret_configured_refuses_every_event(
    a_pending_donation: Any, deliver: Any, settings: Any
) -> None:
    settings.STRIPE_WEBHOOK_SECRET = ""
    response = deliver(event("payment_intent.succeeded", intent(a_pending_donation)))
    assert response.status_code == 400
    assert not PaymentEvent.objects.exists()
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize(
    "raw",
    [
        b"{not json",
        b"[]",
        b'{"id": "evt_1"}',
        b'{"id": 5, "type": "x", "data": {"object": {}}}',
        b"\xff\xfe",
        b"[" * 5000 + b"]" * 5000,
    ],
)
def test_malformed_events_are_refused_without_a_record(
    deliver: Any, stripe_keys: Any, raw: bytes
) -> None:
    response = deliver(None, raw=raw)
    assert response.status_code == 400
    assert set(response.json()) == {"error", "message", "fields"}
    assert not PaymentEvent.objects.exists()


def test_unexpected_failure_is_stored_with_its_error_and_answered_500(
    a_pending_donation: Any, deliver: Any
) -> None:
    payload = event("payment_intent.succeeded", intent(a_pending_donation, amount=10**30))
    first = deliver(payload)
    assert first.status_code == 500
    stored = PaymentEvent.objects.get()
    assert stored.status == "failed"
    assert stored.error
    # Stripe retries the same event: it is tried again, not treated as a duplicate.
    retry = deliver(payload)
    assert retry.status_code == 500
    assert PaymentEvent.objects.get().attempts == 2
    assert raised(a_pending_donation.campaign) == 10_000
    assert Donation.objects.get().status == "pending"


def test_get_is_not_allowed(client: Any, stripe_keys: Any) -> None:
    assert client.get("/funding/stripe/webhook").status_code == 405


def test_live_mode_event_for_a_test_mode_donation_is_rejected(
    a_pending_donation: Any, deliver: Any
) -> None:
    payload = event("payment_intent.succeeded", intent(a_pending_donation))
    payload["livemode"] = True
    assert deliver(payload).status_code == 200
    assert PaymentEvent.objects.get().status == "rejected"
    assert raised(a_pending_donation.campaign) == 10_000


@pytest.mark.django_db(transaction=True)
def test_money_commits_wait_for_the_disk_even_when_comments_do_not(
    a_pending_donation: Any, deliver: Any
) -> None:
    """PostgreSQL may commit comments without waiting for the disk (MASTHEAD_PG_SYNCHRONOUS_COMMIT);
    the webhook's stored event and the ledger entry it makes wait, whatever that default."""
    from django.db import connection
    from django.db.models.signals import pre_save

    from tests.helpers import connected

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's commits have one durability for all")
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")  # the site default, say
    seen: dict[str, str] = {}

    def note(sender: Any, **_: Any) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            seen[sender.__name__] = cursor.fetchone()[0]

    with connected(pre_save, note):
        response = deliver(event("payment_intent.succeeded", intent(a_pending_donation)))
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        after = cursor.fetchone()[0]
    assert response.status_code == 200
    assert seen["PaymentEvent"] == "on" and seen["LedgerEntry"] == "on"
    assert after == "off", "only those transactions wait; the session's default stays"
