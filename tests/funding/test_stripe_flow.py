"""End to end against localstripe (a real local server): the API starts a donation, the card is
confirmed as Stripe.js does, localstripe pushes signed webhooks to the live server."""

from __future__ import annotations

import json
from typing import Any

import pytest
import stripe
from django.core.management import call_command

from masthead.funding import queries
from masthead.funding.models import Donation, LedgerEntry, PaymentEvent
from tests.funding import stripe_support
from tests.funding.conftest import raised
from tests.funding.stripe_support import confirm_card_setup, event, sign, wait_until
from tests.helpers import ensure_wagtail_root, make_campaign

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def wagtail_root(transactional_db: Any) -> None:
    ensure_wagtail_root()


@pytest.fixture
def campaign(a_home: Any, stripe_live: str) -> Any:
    return make_campaign()


def start(client: Any, campaign: Any, **body: Any) -> Any:
    payload = {"amount": 2500, "interval": "once", "email": "reader@example.com", "name": "Reader"}
    payload.update(body)
    return client.post(
        f"/api/v1/campaigns/{campaign.slug}/donations",
        data=payload,
        content_type="application/json",
    )


def pay(
    client: Any, localstripe_url: str, campaign: Any, card: str = "4242424242424242", **body: Any
) -> tuple[int, Any]:
    created = start(client, campaign, **body)
    assert created.status_code == 201, created.content
    data = created.json()
    status, _ = confirm_card_setup(localstripe_url, data["client_secret"], card)
    assert status == 200
    confirmed = client.post(
        f"/api/v1/donations/{data['donation_id']}/confirm",
        data={"client_secret": data["client_secret"]},
        content_type="application/json",
    )
    return data["donation_id"], confirmed


def settled(donation_id: int) -> Any:
    return LedgerEntry.objects.filter(donation_id=donation_id).first()


def test_one_time_card_payment_is_counted_after_the_webhook(
    client: Any, campaign: Any, stripe_live: str, mailoutbox: list
) -> None:
    before = raised(campaign)
    donation_id, confirmed = pay(client, stripe_live, campaign)
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "pending"
    entry = wait_until(lambda: settled(donation_id))
    assert entry.kind == "charge"
    assert entry.amount == 2500
    assert entry.object_id == confirmed.json()["payment_intent_id"]
    wait_until(lambda: Donation.objects.get(pk=donation_id).status == "succeeded")
    wait_until(lambda: raised(campaign) == before + 2500)  # the version is bumped after commit
    wait_until(lambda: len(mailoutbox) == 1)
    assert "$25.00" in mailoutbox[0].body
    assert (
        PaymentEvent.objects.filter(type="payment_intent.succeeded", status="succeeded").count()
        == 1
    )


def test_declined_card_counts_nothing(client: Any, campaign: Any, stripe_live: str) -> None:
    before = raised(campaign)
    # Accepted when saved, declined when charged.
    donation_id, confirmed = pay(client, stripe_live, campaign, card="4000000000000341")
    assert confirmed.status_code == 402
    assert confirmed.json()["error"] == "card_declined"
    wait_until(lambda: PaymentEvent.objects.filter(type="payment_intent.payment_failed").exists())
    assert Donation.objects.get(pk=donation_id).status == "failed"
    assert raised(campaign) == before
    assert not LedgerEntry.objects.filter(donation_id=donation_id).exists()


def test_card_refused_at_setup_never_reaches_a_charge(
    client: Any, campaign: Any, stripe_live: str
) -> None:
    created = start(client, campaign).json()
    status, _ = confirm_card_setup(stripe_live, created["client_secret"], "4000000000000002")
    assert status == 402
    confirmed = client.post(
        f"/api/v1/donations/{created['donation_id']}/confirm",
        data={"client_secret": created["client_secret"]},
        content_type="application/json",
    )
    assert confirmed.status_code == 400
    assert Donation.objects.get(pk=created["donation_id"]).status == "created"


def test_monthly_donation_counts_every_paid_invoice(
    client: Any, campaign: Any, stripe_live: str, mailoutbox: list
) -> None:
    before = raised(campaign)
    donation_id, confirmed = pay(client, stripe_live, campaign, amount=1500, interval="month")
    assert confirmed.status_code == 200, confirmed.content
    subscription_id = confirmed.json()["subscription_id"]
    assert subscription_id.startswith("sub_")
    wait_until(lambda: settled(donation_id))
    # The total is cached per funding version, which the webhook bumps just after its commit.
    wait_until(lambda: raised(campaign) == before + 1500)
    # The next month: Stripe invoices the subscription again.
    stripe.api_key, stripe.api_base = stripe_support.SECRET_KEY, stripe_live
    donation = Donation.objects.get(pk=donation_id)
    invoice = stripe.Invoice.create(
        customer=donation.stripe_customer_id, subscription=subscription_id
    )
    stripe.Invoice.pay(invoice.id)
    wait_until(lambda: LedgerEntry.objects.filter(donation_id=donation_id).count() == 2)
    wait_until(lambda: raised(campaign) == before + 3000)
    assert queries.campaign_progress(campaign, livemode=False).donor_count >= 1
    assert Donation.objects.get(pk=donation_id).status == "succeeded"
    wait_until(lambda: len(mailoutbox) == 2)
    assert "/funding/manage/" in mailoutbox[0].body

    # The receipt's manage link cancels the subscription at Stripe.
    link = next(line for line in mailoutbox[0].body.splitlines() if "/funding/manage/" in line)
    path = link[link.index("/funding/manage/") :].strip()
    page = client.get(path)
    assert page.status_code == 200
    assert "Cancel my monthly donation" in page.content.decode()
    client.post(path, {"action": "cancel"})
    donation.refresh_from_db()
    assert donation.subscription_active is False
    assert stripe.Subscription.retrieve(subscription_id).status == "canceled"


def _refund_event(localstripe_url: str, charge_id: str) -> dict:
    """localstripe records refunds but sends no charge.refunded: build it from its real charge object."""
    stripe.api_key, stripe.api_base = stripe_support.SECRET_KEY, localstripe_url
    return event("charge.refunded", stripe.Charge.retrieve(charge_id).to_dict())


def _post_signed(client: Any, payload: dict) -> Any:
    body = json.dumps(payload).encode()
    return client.post(
        "/funding/stripe/webhook",
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(body),
    )


def test_partial_then_full_refund(client: Any, campaign: Any, stripe_live: str) -> None:
    before = raised(campaign)
    donation_id, _ = pay(client, stripe_live, campaign, amount=4000)
    entry = wait_until(lambda: settled(donation_id))
    assert entry.charge_id.startswith("ch_")
    stripe.api_key, stripe.api_base = stripe_support.SECRET_KEY, stripe_live
    stripe.Refund.create(charge=entry.charge_id, amount=1500)
    partial = _refund_event(stripe_live, entry.charge_id)
    assert _post_signed(client, partial).status_code == 200
    assert raised(campaign) == before + 2500
    assert Donation.objects.get(pk=donation_id).status == "partially_refunded"
    stripe.Refund.create(charge=entry.charge_id, amount=2500)  # the rest
    full = _refund_event(stripe_live, entry.charge_id)
    assert _post_signed(client, full).status_code == 200
    assert _post_signed(client, partial).status_code == 200  # a late redelivery
    assert raised(campaign) == before
    assert Donation.objects.get(pk=donation_id).status == "refunded"


def test_reconcile_applies_events_the_webhook_missed(
    client: Any, campaign: Any, stripe_live: str, live_server: Any
) -> None:
    before = raised(campaign)
    stripe_support.register_webhook(stripe_live, f"{live_server.url}/funding/not-the-webhook")
    try:
        donation_id, confirmed = pay(client, stripe_live, campaign, amount=3300)
        assert confirmed.status_code == 200
    finally:
        stripe_support.register_webhook(stripe_live, f"{live_server.url}/funding/stripe/webhook")
    assert raised(campaign) == before
    call_command("funding_reconcile", "--days", "1")
    call_command("funding_reconcile", "--days", "1")
    assert raised(campaign) == before + 3300
    assert LedgerEntry.objects.filter(donation_id=donation_id).count() == 1
