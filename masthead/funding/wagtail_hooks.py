"""Campaign snippets and the funding section of the Wagtail admin."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from masthead.funding import admin_views
from masthead.funding.admin_notice import PaymentsOffPanel, payments_off_notice
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


@hooks.register("construct_homepage_panels")
def payments_off_on_the_dashboard(request: HttpRequest, panels: list[Any]) -> None:
    notice = payments_off_notice(request)
    if notice:
        panels.append(PaymentsOffPanel(notice))


def _warn_in_the_campaign_editor(request: HttpRequest, campaign: Campaign | None) -> None:
    # Only when the form is shown: after a save the message would land on the listing instead.
    if request.method == "GET":
        notice = payments_off_notice(request, campaign)
        if notice:
            messages.warning(request, notice)


@hooks.register("before_edit_snippet")
def payments_off_when_editing_a_campaign(request: HttpRequest, instance: Any) -> None:
    if isinstance(instance, Campaign):
        _warn_in_the_campaign_editor(request, instance)


@hooks.register("before_create_snippet")
def payments_off_when_creating_a_campaign(request: HttpRequest, model: Any) -> None:
    if model is Campaign:
        _warn_in_the_campaign_editor(request, None)
