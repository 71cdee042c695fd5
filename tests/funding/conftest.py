"""Funding fixtures: a campaign set up as the site default, Stripe settings, localstripe, signed events."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest

from tests.funding import stripe_support


@pytest.fixture(scope="session")
def localstripe_url() -> Iterator[str]:
    with stripe_support.run_localstripe() as url:
        yield url


@pytest.fixture
def stripe_keys(settings: Any) -> Any:
    """Card payments configured, pointing at a base that is never contacted (webhook-only tests)."""
    settings.STRIPE_SECRET_KEY = stripe_support.SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = stripe_support.PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = stripe_support.WEBHOOK_SECRET
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    settings.FUNDING_RATE_PER_IP = "100000/h"
    settings.FUNDING_RATE_PER_EMAIL = "100000/h"
    return settings


@pytest.fixture
def stripe_live(stripe_keys: Any, localstripe_url: str, live_server: Any) -> str:
    """The SDK pointed at localstripe, whose webhooks reach the live server's endpoint."""
    stripe_keys.STRIPE_API_BASE = localstripe_url
    stripe_keys.STRIPE_JS_URL = f"{localstripe_url}/js.stripe.com/v3/"
    stripe_support.register_webhook(localstripe_url, f"{live_server.url}/funding/stripe/webhook")
    return localstripe_url


def make_campaign(**overrides: Any) -> Any:
    from django.utils import timezone
    from wagtail.models import Site

    from masthead.funding.models import Campaign, FundingSettings

    values: dict[str, Any] = {
        "title": "Keep the river desk open",
        "slug": "river-desk",
        "pitch": "Our water reporting is paid for by readers.",
        "currency": "USD",
        "goal": 500_000,
        "baseline": 10_000,
        "ends_at": timezone.now() + timedelta(days=10, hours=1),
        "minimum_amount": 300,
        "maximum_amount": 1_000_000,
    }
    values.update(overrides)
    campaign = Campaign.objects.create(**values)
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        row = FundingSettings.for_site(site)
        if row.default_campaign_id is None:
            row.default_campaign = campaign
            row.save()
    return campaign


@pytest.fixture
def a_campaign(a_home: Any) -> Any:
    return make_campaign()


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


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """Tests reuse primary keys after rollback; cached totals from an earlier test must not leak in."""
    from django.core.cache import cache

    cache.clear()
    yield


def ensure_wagtail_root() -> None:
    """A transactional test's flush removes Wagtail's root page (made by a migration); put it back."""
    from wagtail.models import Locale, Page

    if Page.get_first_root_node() is None:
        Locale.objects.get_or_create(language_code="en")
        Page.add_root(instance=Page(title="Root", slug="root"))
