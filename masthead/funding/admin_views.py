"""Staff views in the Wagtail admin: campaign list, per-campaign report with chart and CSV,
manual donations, donor export and erasure. Donor personal data appears only here."""

from __future__ import annotations

import csv
import json
from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from masthead.core.actors import actor_from_request
from masthead.funding import actions, queries
from masthead.funding.models import Campaign, Donation, Method
from masthead.funding.money import format_amount, parse_major
from masthead.funding.providers import stripe as provider

PERMISSION = "funding.view_donation"


def _require_staff(request: HttpRequest) -> None:
    if not request.user.is_authenticated or not request.user.has_perm(PERMISSION):
        raise PermissionDenied


class ManualDonationForm(forms.Form):
    amount = forms.CharField(
        max_length=30, help_text="In the campaign's currency, e.g. 250 or 250.50."
    )
    method = forms.ChoiceField(choices=[c for c in Method.choices if c[0] != Method.STRIPE])
    donor_name = forms.CharField(max_length=120, required=False)
    donor_email = forms.EmailField(required=False)
    received_on = forms.DateField(required=False, help_text="Empty: today.")
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign

    def clean_amount(self) -> int:
        try:
            minor = parse_major(self.cleaned_data["amount"], self.campaign.currency)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        if minor <= 0 or minor > 10**12:
            raise forms.ValidationError("Enter a positive amount.")
        return minor


def campaign_list(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    rows = [
        {"campaign": campaign, "progress": queries.campaign_progress(campaign)}
        for campaign in Campaign.objects.all()[:200]
    ]
    return render(
        request,
        "funding/admin/index.html",
        {"rows": rows, "missing": provider.missing_settings(), "livemode": provider.livemode()},
    )


CHART_DAYS = 30


def _chart(per_day: list[tuple[Any, int]], currency: str) -> dict[str, Any]:
    """One bar per day of the last 30 days for a server-rendered SVG in a 600 by 160 box."""
    width, height = 600, 160
    totals = {str(day): int(total) for day, total in per_day}
    today = timezone.localdate()
    days = [today - timedelta(days=CHART_DAYS - 1 - index) for index in range(CHART_DAYS)]
    peak = max([totals.get(str(day), 0) for day in days] + [0])
    slot = width // CHART_DAYS
    bars = []
    for index, day in enumerate(days):
        total = totals.get(str(day), 0)
        if not total:
            continue
        bar_height = max(2, total * (height - 20) // max(peak, 1))
        bars.append(
            {
                "x": index * slot + 2,
                "y": height - bar_height,
                "w": slot - 4,
                "h": bar_height,
                "label": f"{day}: {format_amount(total, currency)}",
            }
        )
    return {
        "bars": bars,
        "width": width,
        "height": height,
        "max_text": format_amount(peak, currency) if peak else "",
        "first": str(days[0]),
        "last": str(days[-1]),
    }


def campaign_report(request: HttpRequest, campaign_id: int) -> HttpResponse:
    _require_staff(request)
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    form = ManualDonationForm(campaign=campaign)
    if request.method == "POST":
        form = ManualDonationForm(request.POST, campaign=campaign)
        if form.is_valid():
            data = form.cleaned_data
            received = (
                timezone.make_aware(datetime.combine(data["received_on"], time(12)))
                if data["received_on"]
                else None
            )
            actions.record_manual_donation(
                actor_from_request(request),
                campaign,
                amount=data["amount"],
                method=data["method"],
                donor_name=data["donor_name"],
                donor_email=data["donor_email"],
                note=data["note"],
                received_at=received,
                livemode=provider.livemode(),
            )
            messages.success(request, _("Manual donation recorded."))
            return redirect("funding_admin:report", campaign.pk)
    report = queries.campaign_report(campaign)
    recent = Donation.objects.filter(campaign=campaign).select_related("source_page")[:25]
    return render(
        request,
        "funding/admin/report.html",
        {
            "campaign": campaign,
            "report": report,
            "fmt": lambda minor: format_amount(minor, campaign.currency),
            "money": {
                "raised": format_amount(report.progress.raised, campaign.currency),
                "once": format_amount(report.once_total, campaign.currency),
                "monthly": format_amount(report.monthly_total, campaign.currency),
                "manual": format_amount(report.manual_total, campaign.currency),
                "refunds": format_amount(report.refunds_total, campaign.currency),
                "lost": format_amount(report.disputes_lost_total, campaign.currency),
                "baseline": format_amount(campaign.baseline, campaign.currency),
            },
            "top": [
                {**row, "total_text": format_amount(row["total"], campaign.currency)}
                for row in report.top_articles
            ],
            "chart": _chart(report.per_day, campaign.currency),
            "recent": [
                {"donation": donation, "amount": format_amount(donation.amount, donation.currency)}
                for donation in recent
            ],
            "form": form,
            "missing": provider.missing_settings(),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # Spreadsheet formula injection: a donor name such as '=HYPERLINK(...)' must stay text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def campaign_csv(request: HttpRequest, campaign_id: int) -> HttpResponse:
    _require_staff(request)
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "donation_id",
            "created_at",
            "method",
            "interval",
            "status",
            "amount_minor",
            "currency",
            "livemode",
            "name",
            "email",
            "anonymous",
            "message",
            "source_page",
            "source_url",
        ]
    )
    rows = Donation.objects.filter(campaign=campaign).select_related("source_page").order_by("id")
    for donation in rows.iterator(chunk_size=1000):
        writer.writerow(
            [
                _csv_cell(value)
                for value in [
                    donation.pk,
                    donation.created_at.isoformat(),
                    donation.method,
                    donation.interval,
                    donation.status,
                    donation.amount,
                    donation.currency,
                    donation.livemode,
                    donation.donor_name,
                    donation.donor_email,
                    donation.anonymous,
                    donation.message,
                    donation.source_page.title if donation.source_page else "",
                    donation.source_url,
                ]
            ]
        )
    return response


def donors(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    email = request.GET.get("email", "").strip()[:254]
    found = queries.donor_export(email) if email else []
    if email and request.GET.get("format") == "json":
        response = JsonResponse({"email": email, "donations": found})
        response["Content-Disposition"] = 'attachment; filename="donor-export.json"'
        return response
    return render(
        request,
        "funding/admin/donors.html",
        {"email": email, "found": found, "found_json": json.dumps(found, indent=2)},
    )


@require_POST
def erase(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    email = request.POST.get("email", "").strip()[:254]
    count = actions.erase_donor(actor_from_request(request), email)
    messages.success(
        request, _("Erased the personal data of %(count)d donation(s).") % {"count": count}
    )
    return redirect("funding_admin:donors")
