from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import AppConfig


def funding_dependency(page: Any) -> Iterable[tuple[str, str]]:
    """Article pages show the default campaign's goal bar, so they depend on funding totals."""
    if hasattr(page, "support_placement"):
        yield ("funding", "")


class FundingConfig(AppConfig):
    name = "masthead.funding"
    label = "funding"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Reader funding"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from wagtail import hooks

        from masthead.core.hooks import PAGE_DEPENDENCIES
        from masthead.funding import signals

        hooks.register(PAGE_DEPENDENCIES, funding_dependency)
        from masthead.funding.models import Donation

        post_save.connect(signals.donation_saved, sender=Donation, dispatch_uid="funding-supporter")
        for model in signals.WATCHED:
            post_save.connect(
                signals.campaign_changed,
                sender=model,
                dispatch_uid=f"funding-{model.__name__}-save",
            )
            post_delete.connect(
                signals.campaign_changed,
                sender=model,
                dispatch_uid=f"funding-{model.__name__}-delete",
            )
