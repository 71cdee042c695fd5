"""Funding fixtures: a campaign set up as the site default, donations, signed events delivered.
(localstripe and the Stripe settings: tests/funding/stripe_support.py.)"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest

from tests.funding import stripe_support


@pytest.fixture
def deliver(
    client: Any, django_capture_on_commit_callbacks: Any, stripe_keys: Any
) -> Callable[..., Any]:
    """Post a Stripe-shaped event to the webhook, signed like Stripe signs it; run on-commit work."""

    def post(payload: Any, *, header: str | None = None, raw: bytes | None = None) -> Any:
        body = raw if raw is not None else json.dumps(payload).encode()
        signature = stripe_support.sign(body) if header is None else header
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                "/funding/stripe/webhook",
                data=body,
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=signature,
            )

    return post


@pytest.fixture
def a_pending_donation(a_campaign: Any) -> Any:
    """A one-time donation whose card was confirmed; Stripe's webhook has not arrived yet."""
    return pending_donation(a_campaign)


def pending_donation(campaign: Any, amount: int = 2500, interval: str = "once", **ids: Any) -> Any:
    from masthead.funding import actions
    from masthead.funding.providers.base import PaymentCompletion, PaymentStart

    donation = actions.create_donation(
        campaign,
        actions.DonationRequest(
            amount=amount, interval=interval, email="reader@example.com", name="Reader"
        ),
        livemode=False,
    )
    number = donation.pk
    donation = actions.attach_payment_start(
        donation,
        PaymentStart(
            customer_id=f"cus_{number}",
            setup_intent_id=f"seti_{number}",
            client_secret=f"seti_{number}_secret_x",
            payment_intent_id=ids.get("payment_intent", f"pi_test_{number}")
            if interval == "once"
            else None,
        ),
    )
    return actions.record_completion(
        donation,
        PaymentCompletion(
            status="succeeded",
            subscription_id=ids.get("subscription", f"sub_test_{number}")
            if interval == "month"
            else None,
        ),
    )


def raised(campaign: Any) -> int:
    """What the campaign's goal bar shows as raised (test mode)."""
    from masthead.funding import queries

    return queries.campaign_progress(campaign, livemode=False).raised


def intent(donation: Any, amount: int | None = None, currency: str = "usd", **extra: Any) -> dict:
    return {
        "id": donation.stripe_payment_intent_id,
        "object": "payment_intent",
        "amount": donation.amount if amount is None else amount,
        "amount_received": donation.amount if amount is None else amount,
        "currency": currency,
        "status": "succeeded",
        "latest_charge": f"ch_for_{donation.pk}",
        "metadata": {"masthead_donation": str(donation.pk)},
        "created": int(time.time()),
        **extra,
    }
