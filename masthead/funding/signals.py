"""Editors change campaigns and the funding setting in the Wagtail admin; cached pages follow."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.dispatch import Signal

from masthead.core import cache_versions
from masthead.funding.models import Campaign, FundingSettings, Interval

WATCHED: list[type[models.Model]] = [Campaign, FundingSettings]


def campaign_changed(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if created and isinstance(instance, FundingSettings):
        return  # made with the defaults on a site's first page view: nothing readers see has changed
    cache_versions.bump("funding", "")
    if isinstance(instance, Campaign):
        cache_versions.bump("funding-campaign", instance.pk)


# Sent inside the transaction that changed a monthly donation: created, paid, cancelled, refunded,
# disputed, or its donor erased. Receivers re-read who supports (queries.supporting_emails).
# provides args: emails (the donor addresses concerned, lower-cased)
supporter_changed = Signal()


def donation_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.interval == Interval.MONTH and instance.donor_email:
        supporter_changed.send(sender=sender, emails=[instance.donor_email.lower()])
