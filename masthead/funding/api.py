"""JSON API of funding, mounted under /api/v1/ by masthead/api.py."""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Literal

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from masthead.core.actors import actor_from_request
from masthead.core.errors import ApiError, ErrorCode, ErrorOut, invalid, not_found
from masthead.core.inputs import PathId
from masthead.funding import actions, queries
from masthead.funding.models import Campaign, Donation, DonationStatus
from masthead.funding.providers import stripe as provider
from masthead.funding.providers.base import ProviderError
from masthead.funding.validation import captcha_passes

router = Router(tags=["funding"])


class CampaignOut(Schema):
    slug: str
    title: str
    currency: str
    goal: int
    raised: int
    donor_count: int
    percent: int
    ends_at: datetime | None


class DonationIn(Schema):
    amount: int
    interval: Literal["once", "month"] = "once"
    email: str = Field(max_length=320)
    name: str | None = Field(None, max_length=400)
    anonymous: bool = False
    message: str | None = Field(None, max_length=4000)
    source_url: str | None = Field(None, max_length=2000)
    captcha_token: str | None = Field(None, max_length=4000)


class DonationCreated(Schema):
    donation_id: int
    client_secret: str
    payment_intent_id: str | None = None
    subscription_id: str | None = None
    publishable_key: str


class ConfirmIn(Schema):
    client_secret: str = Field(max_length=255)


class ConfirmOut(Schema):
    donation_id: int
    status: str
    requires_action: bool
    action_client_secret: str | None = None
    payment_intent_id: str | None = None
    subscription_id: str | None = None


def _campaign_out(campaign: Campaign) -> CampaignOut:
    progress = queries.campaign_progress(campaign)
    return CampaignOut(
        slug=campaign.slug,
        title=campaign.title,
        currency=campaign.currency,
        goal=campaign.goal,
        raised=progress.raised,
        donor_count=progress.donor_count,
        percent=progress.percent,
        ends_at=campaign.ends_at,
    )


@router.get("/campaigns", response=list[CampaignOut], summary="Active campaigns")
def list_campaigns(request: HttpRequest) -> list[CampaignOut]:
    return [_campaign_out(campaign) for campaign in queries.active_campaigns()[:50]]


def _get_campaign(slug: str) -> Campaign:
    campaign = Campaign.objects.filter(slug=slug[:80]).first()
    if campaign is None:
        raise not_found(_("No such campaign."))
    return campaign


@router.get("/campaigns/{slug}", response={200: CampaignOut, 404: ErrorOut}, summary="One campaign")
def get_campaign(request: HttpRequest, slug: str) -> CampaignOut:
    return _campaign_out(_get_campaign(slug))


def _created(donation: Donation) -> DonationCreated:
    return DonationCreated(
        donation_id=donation.pk,
        client_secret=donation.client_secret,
        payment_intent_id=donation.stripe_payment_intent_id,
        subscription_id=donation.stripe_subscription_id,
        publishable_key=settings.STRIPE_PUBLISHABLE_KEY,
    )


@router.post(
    "/campaigns/{slug}/donations",
    response={
        201: DonationCreated,
        400: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        429: ErrorOut,
        502: ErrorOut,
        503: ErrorOut,
    },
    summary="Start a donation",
)
def create_donation(
    request: HttpRequest, slug: str, data: DonationIn
) -> tuple[int, DonationCreated]:
    campaign = _get_campaign(slug)
    donation = actions.start_donation(
        actor_from_request(request),
        campaign,
        actions.DonationForm(
            amount=data.amount,
            interval=data.interval,
            email=data.email,
            name=data.name or "",
            anonymous=data.anonymous,
            message=data.message or "",
            source_url=data.source_url or "",
        ),
        idempotency_key=request.headers.get("Idempotency-Key", "").strip()[:255] or None,
        captcha_passes=lambda: captcha_passes(request, data.captcha_token or ""),
    )
    return 201, _created(donation)


@router.post(
    "/donations/{donation_id}/confirm",
    response={200: ConfirmOut, 400: ErrorOut, 402: ErrorOut, 404: ErrorOut, 502: ErrorOut},
    summary="Charge the card the donor confirmed with Stripe.js",
)
def confirm_donation(request: HttpRequest, donation_id: PathId, data: ConfirmIn) -> ConfirmOut:
    donation = Donation.objects.filter(pk=donation_id).first()
    if (
        donation is None
        or not donation.client_secret
        or not hmac.compare_digest(donation.client_secret, data.client_secret)
    ):
        raise not_found(_("No such donation."))
    if donation.status != DonationStatus.CREATED:
        return ConfirmOut(
            donation_id=donation.pk,
            status=donation.status,
            requires_action=False,
            payment_intent_id=donation.stripe_payment_intent_id,
            subscription_id=donation.stripe_subscription_id,
        )
    try:
        completion = provider.complete_payment(donation)
    except ProviderError as exc:
        if exc.declined:
            actions.mark_failed(donation, str(exc))
            raise ApiError(ErrorCode.CARD_DECLINED, str(exc), 402) from exc
        if exc.code == "not_confirmed":
            raise invalid(str(exc)) from exc
        raise ApiError(ErrorCode.PROVIDER_ERROR, str(exc), 502) from exc
    donation = actions.record_completion(donation, completion)
    return ConfirmOut(
        donation_id=donation.pk,
        status=donation.status,
        requires_action=bool(completion.action_secret),
        action_client_secret=completion.action_secret,
        payment_intent_id=completion.payment_intent_id,
        subscription_id=completion.subscription_id,
    )
