"""Editors change campaigns and the funding setting in the Wagtail admin; cached pages follow."""

from __future__ import annotations

from typing import Any

from django.db import models

from masthead.core import pagecache
from masthead.funding.models import Campaign, FundingSettings

WATCHED: list[type[models.Model]] = [Campaign, FundingSettings]


def campaign_changed(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if created and isinstance(instance, FundingSettings):
        return  # made with the defaults on a site's first page view: nothing readers see has changed
    pagecache.bump("funding", "")
    if isinstance(instance, Campaign):
        pagecache.bump("funding-campaign", instance.pk)
