"""What funding needs from a payment provider; Stripe is the one implementation (providers/stripe.py)."""

from __future__ import annotations

from dataclasses import dataclass


class ProviderError(Exception):
    """The provider refused or could not be reached. `code` is safe to show ('card_declined', ...)."""

    def __init__(self, message: str, code: str = "provider_error", declined: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.declined = declined


class SignatureError(Exception):
    """A webhook whose signature is missing, malformed, wrong or outside the tolerance window."""


@dataclass(frozen=True)
class PaymentStart:
    """Objects created before the donor enters a card: the donor's browser confirms `client_secret`."""

    customer_id: str
    setup_intent_id: str
    client_secret: str
    payment_intent_id: str | None = None


@dataclass(frozen=True)
class PaymentCompletion:
    """The outcome of charging the saved card: `action_secret` is set when the bank asks for 3-D Secure."""

    status: str
    payment_intent_id: str | None = None
    subscription_id: str | None = None
    action_secret: str | None = None
