"""Demo content for funding: an active default campaign (called by the demo loader)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from masthead.funding.models import Campaign, FundingSettings


@transaction.atomic
def load_demo_campaign() -> Campaign:
    """Create the demo campaign once and make it the site's default; return it."""
    campaign, _ = Campaign.objects.get_or_create(
        slug="support-us",
        defaults={
            "title": "Keep independent reporting free to read",
            "pitch": (
                "No paywall, no billionaire owner. Our reporting is paid for by readers like you: "
                "give once or every month."
            ),
            "currency": "USD",
            "goal": 500_000,
            "baseline": 10_000,
            "ends_at": timezone.now() + timedelta(days=30),
            "preset_amounts": "10, 25, 50, 100",
            "minimum_amount": 300,
            "maximum_amount": 1_000_000,
            # What readers see instead of the donate button until Stripe keys are set.
            "other_ways_text": (
                "Prefer a bank transfer? Send it to Masthead Demo News, IBAN XX00 DEMO 0000 0000 00, "
                "reference SUPPORT. (Demo details: editors set their own on the campaign.)"
            ),
        },
    )
    for site in Site.objects.all():
        settings_row = FundingSettings.for_site(site)
        if settings_row.default_campaign_id is None:
            settings_row.default_campaign = campaign
            settings_row.save()
    return campaign
