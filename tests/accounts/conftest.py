"""Account fixtures: verified readers, their comments, votes, subscriptions and monthly donations,
all made through the apps' own actions."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.core.cache import cache

from tests.discussion.conftest import comment_input, guest_actor, user_actor

_ids = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def make_reader(
    email: str = "rea@example.com", name: str = "Rea Der", verified: bool = True
) -> Any:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        email, email, "correct horse battery", display_name=name
    )
    if verified:
        from masthead.accounts.actions import verify_email

        verify_email(user)
    return user


@pytest.fixture
def a_verified_reader(db: Any) -> Any:
    return make_reader()


@pytest.fixture
def signed_in(client: Any, a_verified_reader: Any) -> Any:
    client.force_login(a_verified_reader)
    return client


def post(actor: Any, thread: Any, body: str = "A comment.", **fields: Any) -> Any:
    from masthead.discussion.actions import post_comment

    return post_comment(actor, thread, comment_input(body, **fields))


def monthly_donation(campaign: Any, email: str, name: str = "Rea Der") -> Any:
    """A monthly gift paid once: an active supporter (as the Stripe webhooks leave it)."""
    from django.db import transaction

    from masthead.funding import actions
    from masthead.funding.actions import DonationRequest
    from masthead.funding.models import Donation, DonationStatus, EntryKind
    from masthead.funding.providers.base import PaymentCompletion

    number = next(_ids)
    donation = actions.create_donation(
        campaign,
        DonationRequest(amount=1500, interval="month", email=email, name=name),
        livemode=False,
    )
    actions.record_completion(
        donation, PaymentCompletion(status="succeeded", subscription_id=f"sub_test_{number}")
    )
    with transaction.atomic():
        locked = Donation.objects.select_for_update().get(pk=donation.pk)
        actions.add_ledger_entry(locked, EntryKind.RECURRING, f"in_test_{number}", 1500)
        actions.transition(locked, DonationStatus.SUCCEEDED)
    return Donation.objects.get(pk=donation.pk)


__all__ = ["guest_actor", "make_reader", "monthly_donation", "post", "user_actor"]
