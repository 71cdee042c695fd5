"""Demo reader account: a monthly supporter who claimed her guest comment and shows the badge.

Made through the real actions (donation and ledger, claim, badge opt-in), so the demo exercises the
whole chain: funding's supporter_changed signal, verified-address claims, the badge in the thread.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from masthead.accounts.actions import verify_email
from masthead.accounts.privacy import claim_guest_comments
from masthead.accounts.profile import set_supporter_badge

DEMO_EMAIL = "reader0@example.org"  # the address discussion/demo.py gives its first reader
DEMO_NAME = "Layla H."


def load_demo_supporter(campaign: Any) -> Any:
    """Create the demo supporter once (a monthly $15 donor) and return the account."""
    from masthead.funding import actions
    from masthead.funding.models import Donation, DonationStatus, EntryKind
    from masthead.funding.providers.base import PaymentCompletion

    user_model = get_user_model()
    user = user_model.objects.filter(email=DEMO_EMAIL).first()
    if user is not None:
        return user
    with transaction.atomic():
        user = user_model.objects.create_user(
            "layla", DEMO_EMAIL, None, display_name=DEMO_NAME, avatar_colour="#1f6f43"
        )
        verify_email(user)
        donation = actions.create_donation(
            campaign,
            actions.DonationRequest(
                amount=1500, interval="month", email=DEMO_EMAIL, name=DEMO_NAME
            ),
            livemode=False,
        )
        actions.record_completion(
            donation, PaymentCompletion(status="succeeded", subscription_id="sub_demo_layla")
        )
        locked = Donation.objects.select_for_update().get(pk=donation.pk)
        actions.add_ledger_entry(
            locked, EntryKind.RECURRING, "demo-layla-month-1", 1500, provider="manual"
        )
        actions.transition(locked, DonationStatus.SUCCEEDED)
    claim_guest_comments(user)
    return set_supporter_badge(user, True)
