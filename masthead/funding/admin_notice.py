"""Telling editors in the Wagtail admin that online card payments are off, and what readers see then.

Without Stripe keys the support block shows the goal bar and no donate button; readers can give only
through the campaign's "other ways to give", if the editor wrote any. The notice says so on the
dashboard and in the campaign editor.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from laces.components import Component
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import Site

from masthead.funding import queries
from masthead.funding.models import Campaign
from masthead.funding.providers import stripe as provider

EDIT_PERMISSION = "funding.change_campaign"


def _default_campaign(request: HttpRequest) -> Campaign | None:
    site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    return queries.default_campaign(queries.site_settings(site))


def payments_off_notice(request: HttpRequest, campaign: Campaign | None = None) -> SafeString:
    """The notice for a user who edits campaigns while card payments are off, else ''.

    `campaign` is the one being edited; by default, the site's default campaign.
    """
    if provider.is_configured() or not request.user.has_perm(EDIT_PERMISSION):
        return SafeString("")
    campaign = campaign or _default_campaign(request)
    missing = format_html_join(
        ", ", "<code>{}</code>", ((name,) for name in provider.missing_settings())
    )
    parts = [
        format_html(
            "<strong>{}</strong> {}",
            _("Online card payments are off."),
            format_html(
                _(
                    "Set {} in the environment to accept payments through Stripe. Until then the "
                    "support block on articles shows the goal bar without a donate button."
                ),
                missing,
            ),
        )
    ]
    if campaign is None:
        parts.append(
            format_html(
                "{}", _("No campaign is shown on articles yet (Settings → Reader funding).")
            )
        )
    elif campaign.has_other_ways:
        parts.append(
            format_html(
                _("Readers see the other ways to give set on “{}” instead."), campaign.title
            )
        )
    else:
        edit_url = AdminURLFinder(request.user).get_edit_url(campaign) or ""
        parts.append(
            format_html(
                _(
                    "“{}” has no other ways to give, so readers have no way to give at all: "
                    '<a href="{}">add a link or text to the campaign</a>.'
                ),
                campaign.title,
                edit_url,
            )
        )
    return format_html_join(" ", "{}", ((part,) for part in parts))


class PaymentsOffPanel(Component):
    """The notice on the admin dashboard, above Wagtail's own panels."""

    name = "funding_payments_off"
    order = 10
    template_name = "funding/admin/payments_off_panel.html"

    def __init__(self, notice: SafeString) -> None:
        self.notice = notice

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        return {"notice": self.notice}
