"""Reader pages of funding: the donate page of a campaign and the monthly donor's manage page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from masthead.core.actors import actor_from_request
from masthead.core.csp import allow_stripe
from masthead.funding import actions, queries
from masthead.funding.models import Campaign, Donation
from masthead.funding.money import currency_of, format_amount
from masthead.funding.providers import stripe as provider
from masthead.funding.providers.base import ProviderError
from masthead.funding.tasks import MANAGE_SALT
from masthead.funding.validation import safe_local_path

MANAGE_MAX_AGE = 60 * 60 * 24 * 400


def _presets(campaign: Campaign) -> list[dict[str, Any]]:
    return [
        {"minor": minor, "label": format_amount(minor, campaign.currency, trim=True)}
        for minor in campaign.presets_minor()
        if campaign.minimum_amount <= minor <= campaign.maximum_amount
    ]


def donate(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_object_or_404(Campaign, slug=slug[:80])
    back = safe_local_path(request.GET.get("from", ""))
    context = {
        "campaign": campaign,
        "progress": queries.campaign_progress(campaign),
        "presets": _presets(campaign),
        "open": campaign.is_open(),
        "payments_ready": provider.is_configured(),
        "stripe_js_url": settings.STRIPE_JS_URL,
        "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        "back_url": back,
        "source_url": back or "",
        "wall": queries.donor_wall(campaign) if campaign.donor_wall else [],
        "minimum": campaign.format(campaign.minimum_amount),
        "maximum": campaign.format(campaign.maximum_amount),
        "exponent": currency_of(campaign.currency).exponent,
    }
    response = render(request, "funding/donate.html", context)
    if context["open"] and context["payments_ready"]:
        allow_stripe(response)  # Stripe.js and its frames here, on no other page
    return response


def _donation_from_token(token: str) -> Donation:
    try:
        data = signing.loads(token, salt=MANAGE_SALT, max_age=MANAGE_MAX_AGE)
    except signing.BadSignature as exc:
        raise Http404("Unknown link") from exc
    donation_id = data.get("donation") if isinstance(data, dict) else None
    if not isinstance(donation_id, int):
        raise Http404("Unknown link")
    donation = Donation.objects.filter(pk=donation_id).first()
    if donation is None or donation.interval != "month":
        raise Http404("Unknown link")
    return donation


@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    donation = _donation_from_token(token[:1000])
    error = ""
    if request.method == "POST" and request.POST.get("action") == "cancel":
        try:
            donation = actions.cancel_monthly_donation(actor_from_request(request), donation)
        except ProviderError as exc:
            error = str(exc)
    return render(
        request,
        "funding/manage.html",
        {
            "donation": donation,
            "amount": format_amount(donation.amount, donation.currency),
            "error": error,
        },
    )
