"""Campaign snippets and the funding section of the Wagtail admin."""

from __future__ import annotations

from typing import Any

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from masthead.funding import admin_views
from masthead.funding.models import Campaign


class CampaignViewSet(SnippetViewSet):
    model = Campaign
    icon = "pick"
    menu_label = "Campaigns"
    list_display = ["title", "slug", "currency", "active", "ends_at"]


register_snippet(CampaignViewSet)

admin_patterns = (
    [
        path("", admin_views.campaign_list, name="index"),
        path("campaign/<id:campaign_id>/", admin_views.campaign_report, name="report"),
        path("campaign/<id:campaign_id>/donations.csv", admin_views.campaign_csv, name="csv"),
        path("donors/", admin_views.donors, name="donors"),
        path("donors/erase/", admin_views.erase, name="erase"),
    ],
    "funding_admin",
)


@hooks.register("register_admin_urls")
def funding_admin_urls() -> list[Any]:
    return [path("funding/", include(admin_patterns))]


class FundingMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return request.user.has_perm(admin_views.PERMISSION)


@hooks.register("register_admin_menu_item")
def funding_menu_item() -> MenuItem:
    return FundingMenuItem("Funding", reverse("funding_admin:index"), icon_name="pick", order=250)
