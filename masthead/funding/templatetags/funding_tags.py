"""Template tags that place the support block on a page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.models import Site

from masthead.funding import queries
from masthead.funding.models import FundingSettings
from masthead.funding.providers import stripe as provider

register = template.Library()


@register.simple_tag(takes_context=True)
def support_block(context: dict[str, Any], page: Any, placement: str) -> str:
    """The support block (pitch, goal bar, button) at `placement` ('before' or 'after' the body), or ''.

    The output is the same for every reader (article pages are cached whole).
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    site = site or Site.objects.filter(is_default_site=True).first()
    setting = (
        FundingSettings.for_request(request)
        if request is not None and site is not None
        else queries.site_settings(site)
    )
    chosen = queries.effective_placement(page, setting)
    if chosen not in (placement, "both"):
        return ""
    campaign = queries.default_campaign(setting)
    if campaign is None:
        return ""
    url = page.get_url(request) if hasattr(page, "get_url") else ""
    donate_url = reverse("funding:donate", args=[campaign.slug])
    if url and url.startswith("/"):
        donate_url += "?" + urlencode({"from": url})
    return render_to_string(
        "funding/support_block.html",
        {
            "campaign": campaign,
            "progress": queries.campaign_progress(campaign),
            "placement": placement,
            "donate_url": donate_url,
            "payments_ready": provider.is_configured(),
        },
    )


@register.inclusion_tag("funding/goal_bar.html")
def goal_bar(campaign: Any, progress: Any) -> dict[str, Any]:
    return {"campaign": campaign, "progress": progress}
