"""JSON API of funding, mounted under /api/v1/ by masthead/api.py."""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Literal

from django.conf import settings
from django.db import IntegrityError
from django.http import HttpRequest
from ninja import Field, Router, Schema

from masthead.core import ratelimit
from masthead.core.clientip import client_ip, hash_ip
from masthead.core.errors import ApiError, ErrorCode, ErrorOut, invalid, not_found
from masthead.core.text import UndecodableText, clean_text
from masthead.funding import actions, queries
from masthead.funding.models import Campaign, Donation, DonationStatus
from masthead.funding.providers import stripe as provider
from masthead.funding.providers.base import ProviderError
from masthead.funding.validation import captcha_passes, clean_email, clean_name, safe_local_path

router = Router(tags=["funding"])

MAX_MESSAGE = 1000


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
        raise not_found("No such campaign.")
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


def _validate(campaign: Campaign, data: DonationIn) -> actions.DonationRequest:
    fields: dict[str, str] = {}
    if not campaign.is_open():
        raise ApiError(
            ErrorCode.CAMPAIGN_CLOSED,
            "This campaign is not taking donations.",
            400,
            {"campaign": "This campaign is closed."},
        )
    if not campaign.minimum_amount <= data.amount <= campaign.maximum_amount:
        fields["amount"] = (
            f"Give between {campaign.format(campaign.minimum_amount)} and "
            f"{campaign.format(campaign.maximum_amount)}."
        )
    if data.interval == "month" and not campaign.monthly_enabled:
        fields["interval"] = "This campaign does not offer monthly giving."
    email = name = message = ""
    try:
        email = clean_email(data.email)
    except ValueError as exc:
        fields["email"] = str(exc)
    try:
        name = clean_name(data.name or "")
    except ValueError as exc:
        fields["name"] = str(exc)
    try:
        message = clean_text(data.message or "")
    except (UndecodableText, ValueError):
        fields["message"] = "The message contains characters that cannot be used."
    if len(message) > MAX_MESSAGE:
        fields["message"] = f"Use at most {MAX_MESSAGE} characters."
    source_url = ""
    if data.source_url:
        checked = safe_local_path(data.source_url)
        if checked is None:
            fields["source_url"] = "Use a path on this site, such as /news/story/."
        else:
            source_url = checked
    if fields:
        raise ApiError(ErrorCode.INVALID, "Please correct the donation.", 400, fields)
    return actions.DonationRequest(
        amount=data.amount,
        interval=data.interval,
        email=email,
        name=name,
        anonymous=data.anonymous,
        message=message,
        source_url=source_url,
        source_page=queries.article_for_path(source_url) if source_url else None,
    )


def _replay(key: str, fingerprint: str) -> Donation | None:
    existing = Donation.objects.filter(idempotency_key=key).first()
    if existing is None:
        return None
    if not hmac.compare_digest(existing.request_fingerprint, fingerprint):
        raise ApiError(
            ErrorCode.CONFLICT, "This Idempotency-Key was used for a different donation.", 409
        )
    if not existing.client_secret:
        raise ApiError(
            ErrorCode.CONFLICT,
            "A request with this Idempotency-Key is still in progress.",
            409,
            headers={"Retry-After": "1"},
        )
    return existing


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
    if not provider.is_configured():
        raise ApiError(
            ErrorCode.UNAVAILABLE, "Online donations are not set up on this site yet.", 503
        )
    donation_request = _validate(campaign, data)
    key = request.headers.get("Idempotency-Key", "").strip()[:255] or None
    fingerprint = donation_request.fingerprint(campaign)
    if key:
        replayed = _replay(key, fingerprint)
        if replayed is not None:
            return 201, _created(replayed)
    if not captcha_passes(request, data.captcha_token or ""):
        raise invalid("Please complete the challenge.", captcha_token="The challenge failed.")  # noqa: S106
    ip = hash_ip(client_ip(request))
    ratelimit.enforce(
        "funding-ip",
        ip,
        getattr(settings, "FUNDING_RATE_PER_IP", "10/h"),
        "Too many donation attempts from your network; please wait a while.",
    )
    ratelimit.enforce(
        "funding-email",
        hash_ip(donation_request.email.lower()),
        getattr(settings, "FUNDING_RATE_PER_EMAIL", "5/h"),
        "Too many donation attempts for this email address; please wait a while.",
    )
    try:
        donation = actions.create_donation(
            campaign,
            donation_request,
            livemode=provider.livemode(),
            ip_hash=ip,
            idempotency_key=key,
        )
    except IntegrityError:
        replayed = _replay(key, fingerprint) if key else None
        if replayed is None:
            raise ApiError(ErrorCode.CONFLICT, "Please try again.", 409) from None
        return 201, _created(replayed)
    try:
        start = provider.start_payment(donation)
    except ProviderError as exc:
        actions.mark_failed(donation, str(exc))
        raise ApiError(ErrorCode.PROVIDER_ERROR, str(exc), 502) from exc
    donation = actions.attach_payment_start(donation, start)
    return 201, _created(donation)


@router.post(
    "/donations/{donation_id}/confirm",
    response={200: ConfirmOut, 400: ErrorOut, 402: ErrorOut, 404: ErrorOut, 502: ErrorOut},
    summary="Charge the card the donor confirmed with Stripe.js",
)
def confirm_donation(request: HttpRequest, donation_id: int, data: ConfirmIn) -> ConfirmOut:
    donation = Donation.objects.filter(pk=donation_id).first()
    if (
        donation is None
        or not donation.client_secret
        or not hmac.compare_digest(donation.client_secret, data.client_secret)
    ):
        raise not_found("No such donation.")
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
