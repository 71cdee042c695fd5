"""Stripe through its Python SDK (`stripe.api_base` from STRIPE_API_BASE, so tests use localstripe).

Flow, the same for one-time and monthly gifts: the server creates a Customer and a SetupIntent (plus the
PaymentIntent of a one-time gift); the donor's browser confirms the card with Stripe.js
(`confirmCardSetup`); the server then confirms the PaymentIntent with that card, or creates the monthly
Subscription with it as the default. Money is only counted when Stripe's webhook says so.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import stripe
from django.conf import settings

from masthead.core.outbound import waiting_on_network
from masthead.funding.providers.base import (
    PaymentCompletion,
    PaymentStart,
    ProviderError,
    SignatureError,
)

DEFAULT_TOLERANCE_SECONDS = 300


def is_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY)


def missing_settings() -> list[str]:
    names = ["STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET"]
    return [name for name in names if not getattr(settings, name, "")]


def livemode() -> bool:
    """Money recorded now belongs to live mode unless a test key is configured."""
    return not settings.STRIPE_SECRET_KEY.startswith(("sk_test_", "rk_test_"))


def _sdk() -> Any:
    stripe.api_key = settings.STRIPE_SECRET_KEY
    stripe.api_base = settings.STRIPE_API_BASE
    stripe.max_network_retries = 1
    if not isinstance(stripe.default_http_client, _WaitingClient):
        stripe.default_http_client = _WaitingClient()
    return stripe


class _WaitingClient(stripe.RequestsClient):  # type: ignore[misc]
    """The SDK's HTTP client, telling the server while each call waits on Stripe's answer."""

    def request_with_retries(self, *args: Any, **kwargs: Any) -> Any:
        with waiting_on_network():
            return super().request_with_retries(*args, **kwargs)


def _field(obj: Any, name: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


def _id(value: Any) -> str | None:
    """An object id whether the SDK returned the id or the expanded object."""
    if value is None or isinstance(value, str):
        return value
    return _field(value, "id")


def _wrap(exc: stripe.StripeError) -> ProviderError:
    if isinstance(exc, stripe.CardError):
        return ProviderError(
            exc.user_message or "Your card was declined.", code="card_declined", declined=True
        )
    return ProviderError("The payment provider could not be reached; please try again.")


def start_payment(donation: Any) -> PaymentStart:
    """Create the Customer, the SetupIntent and (one-time gifts) the PaymentIntent for `donation`."""
    sdk = _sdk()
    metadata = {"masthead_donation": str(donation.pk), "masthead_campaign": donation.campaign.slug}
    try:
        customer = sdk.Customer.create(
            email=donation.donor_email,
            name=donation.donor_name or None,
            metadata=metadata,
            idempotency_key=f"masthead-customer-{donation.pk}",
        )
        setup = sdk.SetupIntent.create(
            customer=customer.id,
            usage="off_session" if donation.interval == "month" else "on_session",
            payment_method_types=["card"],
            metadata=metadata,
            idempotency_key=f"masthead-setup-{donation.pk}",
        )
        payment_intent_id = None
        if donation.interval == "once":
            intent = sdk.PaymentIntent.create(
                amount=donation.amount,
                currency=donation.currency.lower(),
                customer=customer.id,
                payment_method_types=["card"],
                metadata=metadata,
                idempotency_key=f"masthead-intent-{donation.pk}",
            )
            payment_intent_id = intent.id
    except stripe.StripeError as exc:
        raise _wrap(exc) from exc
    return PaymentStart(
        customer_id=customer.id,
        setup_intent_id=setup.id,
        client_secret=setup.client_secret,
        payment_intent_id=payment_intent_id,
    )


def _monthly_plan(sdk: Any, amount: int, currency: str) -> str:
    plan_id = f"masthead-{currency.lower()}-{amount}-month"
    try:
        return sdk.Plan.retrieve(plan_id).id
    except stripe.InvalidRequestError:
        pass
    try:
        return sdk.Plan.create(
            id=plan_id,
            amount=amount,
            currency=currency.lower(),
            interval="month",
            product={"name": "Monthly donation"},
        ).id
    except stripe.InvalidRequestError:
        return sdk.Plan.retrieve(plan_id).id


def complete_payment(donation: Any) -> PaymentCompletion:
    """Charge the card the donor just confirmed (SetupIntent succeeded)."""
    sdk = _sdk()
    try:
        setup = sdk.SetupIntent.retrieve(donation.stripe_setup_intent_id)
        if setup.status != "succeeded" or not setup.payment_method:
            raise ProviderError("The card has not been confirmed yet.", code="not_confirmed")
        payment_method = _id(setup.payment_method)
        if donation.interval == "once":
            sdk.PaymentIntent.modify(
                donation.stripe_payment_intent_id, payment_method=payment_method
            )
            intent = sdk.PaymentIntent.confirm(donation.stripe_payment_intent_id)
            return PaymentCompletion(
                status=intent.status,
                payment_intent_id=intent.id,
                action_secret=intent.client_secret if intent.status == "requires_action" else None,
            )
        sdk.Customer.modify(
            donation.stripe_customer_id,
            invoice_settings={"default_payment_method": payment_method},
        )
        plan = _monthly_plan(sdk, donation.amount, donation.currency)
        subscription = sdk.Subscription.create(
            customer=donation.stripe_customer_id,
            items=[{"plan": plan}],
            metadata={"masthead_donation": str(donation.pk)},
            expand=["latest_invoice.payment_intent"],
            idempotency_key=f"masthead-subscription-{donation.pk}",
        )
        intent = _field(_field(subscription, "latest_invoice"), "payment_intent")
        action_secret = None
        if _field(intent, "status") == "requires_action":
            action_secret = _field(intent, "client_secret")
        return PaymentCompletion(
            status=subscription.status,
            subscription_id=subscription.id,
            payment_intent_id=_id(intent),
            action_secret=action_secret,
        )
    except stripe.StripeError as exc:
        raise _wrap(exc) from exc


def cancel_subscription(subscription_id: str) -> None:
    try:
        _sdk().Subscription.cancel(subscription_id)
    except stripe.InvalidRequestError:
        return  # already gone at Stripe: the webhook (or reconcile) records the end
    except stripe.StripeError as exc:
        raise _wrap(exc) from exc


def verify_webhook(payload: bytes, header: str, secret: str, tolerance: int | None = None) -> None:
    """Check `Stripe-Signature` (HMAC-SHA256 over 't.payload') and its timestamp window."""
    if not header:
        raise SignatureError("missing Stripe-Signature header")
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SignatureError("payload is not UTF-8") from exc
    window = tolerance if tolerance is not None else DEFAULT_TOLERANCE_SECONDS
    try:
        stripe.WebhookSignature.verify_header(text, header, secret, window)
    except stripe.SignatureVerificationError as exc:
        raise SignatureError(str(exc).split("\n")[0]) from exc
    except Exception as exc:  # malformed header parts the SDK does not anticipate
        raise SignatureError("malformed Stripe-Signature header") from exc
    # The SDK refuses only timestamps older than the window; one as far ahead could be replayed
    # until long after it was signed.
    if window > 0 and _signed_at(header) > time.time() + window:
        raise SignatureError("timestamp is in the future, outside the tolerance zone")


def _signed_at(header: str) -> int:
    """The `t=` timestamp of a Stripe-Signature header the SDK has already accepted."""
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t":
            try:
                return int(value)
            except ValueError:
                break
    raise SignatureError("malformed Stripe-Signature header")


def iter_events(since: int) -> Iterator[dict[str, Any]]:
    """Events created at or after `since` (epoch seconds), oldest first, as plain dicts."""
    sdk = _sdk()
    try:
        page = sdk.Event.list(limit=100, created={"gte": since})
        events = [event.to_dict() for event in page.auto_paging_iter()]
    except stripe.StripeError as exc:
        raise _wrap(exc) from exc
    events.sort(key=lambda event: event.get("created") or 0)
    yield from events
