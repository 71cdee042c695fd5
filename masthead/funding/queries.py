"""Reads for funding: campaign progress (one row, cached per version), placement, reports."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from masthead.core import cache_versions
from masthead.funding.models import (
    Campaign,
    CampaignTotal,
    Donation,
    DonationStatus,
    EntryKind,
    FundingSettings,
    Interval,
    LedgerEntry,
    Method,
)
from masthead.funding.money import format_amount, format_percent
from masthead.funding.providers import stripe as provider

PROGRESS_TTL = 60 * 60


@dataclass(frozen=True)
class Progress:
    raised: int
    goal: int
    currency: str
    percent: int
    bar_percent: int
    donor_count: int
    days_left: int | None
    ended: bool

    @property
    def raised_text(self) -> str:
        return format_amount(self.raised, self.currency)

    @property
    def goal_text(self) -> str:
        return format_amount(self.goal, self.currency, trim=True)

    @property
    def half_text(self) -> str:
        return format_amount(self.goal // 2, self.currency, trim=True)

    @property
    def zero_text(self) -> str:
        return format_amount(0, self.currency, trim=True)

    @property
    def percent_text(self) -> str:
        return format_percent(self.percent)

    @property
    def value_now(self) -> int:
        return max(0, min(self.raised, self.goal))


def _progress_now(campaign: Campaign, livemode: bool) -> Progress:
    total = CampaignTotal.objects.filter(
        campaign=campaign, currency=campaign.currency, livemode=livemode
    ).first()
    settled = total.settled if total else 0
    donors = total.donor_count if total else 0
    raised = campaign.baseline + settled
    goal = max(1, campaign.goal)
    percent = max(0, raised) * 100 // goal
    now = timezone.now()
    days_left = None
    ended = bool(campaign.ends_at and campaign.ends_at <= now)
    if campaign.ends_at and not ended:
        remaining = campaign.ends_at - now
        days_left = remaining.days + (1 if remaining % timedelta(days=1) else 0)
    return Progress(
        raised=raised,
        goal=campaign.goal,
        currency=campaign.currency,
        percent=percent,
        bar_percent=min(100, percent),
        donor_count=donors,
        days_left=days_left,
        ended=ended,
    )


def campaign_progress(campaign: Campaign, livemode: bool | None = None) -> Progress:
    """Raised = baseline + settled - refunds - lost disputes, from the running total (not a scan).

    Cached per funding version, which bumps on commit whenever a ledger entry is added.
    """
    mode = provider.livemode() if livemode is None else livemode
    version = cache_versions.versions([("funding-campaign", str(campaign.pk))])[0]
    key = (
        f"funding:progress:{campaign.pk}:{int(mode)}:{campaign.goal}:{campaign.baseline}:{version}"
    )
    cached = cache.get(key)
    if cached is not None:
        return Progress(**cached)
    progress = _progress_now(campaign, mode)
    cache.set(key, asdict(progress), PROGRESS_TTL)
    return progress


def active_campaigns() -> Any:
    now = timezone.now()
    return (
        Campaign.objects.filter(active=True)
        .filter(Q(starts_at__isnull=True) | Q(starts_at__lte=now))
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .order_by("-created_at")
    )


def site_settings(site: Any) -> FundingSettings | None:
    if site is None:
        return None
    return FundingSettings.for_site(site)


def default_campaign(settings_row: FundingSettings | None) -> Campaign | None:
    campaign = settings_row.default_campaign if settings_row else None
    return campaign if campaign is not None and campaign.is_open() else None


def supporter_url() -> str:
    """Where a reader becomes a supporter: the donate page of the default site's campaign (or the
    newest open campaign) offering monthly giving, '' when there is none."""
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    campaign = default_campaign(site_settings(site))
    if campaign is None or not campaign.monthly_enabled:
        campaign = active_campaigns().filter(monthly_enabled=True).first()
    return campaign.get_absolute_url() if campaign is not None else ""


def effective_placement(page: Any, settings_row: FundingSettings | None) -> str:
    """Article overrides section, section overrides the site setting."""
    own: str = getattr(page, "support_placement", None) or ""
    if own:
        return own
    section = getattr(page, "section", None)
    inherited: str = getattr(section, "support_placement", None) or ""
    if inherited:
        return inherited
    return settings_row.support_placement if settings_row else "after"


def donor_wall(campaign: Campaign, limit: int = 50) -> list[Donation]:
    return list(
        Donation.objects.filter(
            campaign=campaign,
            method=Method.STRIPE,  # offline donors never saw the wall notice on the form
            status__in=[
                DonationStatus.SUCCEEDED,
                DonationStatus.PARTIALLY_REFUNDED,
                DonationStatus.DISPUTE_WON,
            ],
            erased_at__isnull=True,
        )
        .exclude(message="", anonymous=True)
        .only("donor_name", "anonymous", "message", "created_at")
        .order_by("-created_at")[:limit]
    )


@dataclass
class Report:
    campaign: Campaign
    progress: Progress
    once_total: int
    once_count: int
    monthly_total: int
    monthly_count: int
    manual_total: int
    refunds_total: int
    refunds_count: int
    disputes_lost_total: int
    disputed_count: int
    per_day: list[tuple[Any, int]]
    top_articles: list[dict[str, Any]]


def campaign_report(campaign: Campaign, livemode: bool | None = None) -> Report:
    mode = provider.livemode() if livemode is None else livemode
    ledger = LedgerEntry.objects.filter(campaign=campaign, livemode=mode)

    def total(**filters: Any) -> tuple[int, int]:
        row = ledger.filter(**filters).aggregate(total=Sum("amount"), count=Count("id"))
        return int(row["total"] or 0), int(row["count"] or 0)

    once_total, once_count = total(kind=EntryKind.CHARGE)
    monthly_total, monthly_count = total(kind=EntryKind.RECURRING)
    manual_total, _ = total(kind=EntryKind.MANUAL)
    refunds_total, refunds_count = total(kind=EntryKind.REFUND)
    lost_total, _ = total(kind=EntryKind.DISPUTE_LOST)
    disputed = Donation.objects.filter(
        campaign=campaign,
        livemode=mode,
        status__in=[
            DonationStatus.DISPUTED,
            DonationStatus.DISPUTE_WON,
            DonationStatus.DISPUTE_LOST,
        ],
    ).count()
    since = timezone.now() - timedelta(days=31)
    per_day = list(
        ledger.filter(amount__gt=0, occurred_at__gte=since)
        .annotate(day=TruncDate("occurred_at"))
        .values("day")
        .annotate(total=Sum("amount"))
        .order_by("day")
        .values_list("day", "total")
    )
    top = list(
        ledger.filter(donation__source_page__isnull=False)
        .values("donation__source_page_id", "donation__source_page__title")
        .annotate(total=Sum("amount"), donations=Count("donation", distinct=True))
        .order_by("-total")[:10]
    )
    return Report(
        campaign=campaign,
        progress=campaign_progress(campaign, mode),
        once_total=once_total,
        once_count=once_count,
        monthly_total=monthly_total,
        monthly_count=monthly_count,
        manual_total=manual_total,
        refunds_total=-refunds_total,
        refunds_count=refunds_count,
        disputes_lost_total=-lost_total,
        disputed_count=disputed,
        per_day=per_day,
        top_articles=[
            {
                "page_id": row["donation__source_page_id"],
                "title": row["donation__source_page__title"],
                "total": row["total"],
                "donations": row["donations"],
            }
            for row in top
        ],
    )


SUPPORTING = (
    DonationStatus.SUCCEEDED,
    DonationStatus.PARTIALLY_REFUNDED,
    DonationStatus.DISPUTE_WON,
)


def supporting_emails(emails: list[str]) -> set[str]:
    """Those of `emails` (lower-cased) with an active monthly donation that has been paid."""
    wanted = sorted({email.lower() for email in emails if email})
    if not wanted:
        return set()
    query = Q(pk__in=[])
    for email in wanted:
        query |= Q(donor_email__iexact=email)
    found = Donation.objects.filter(
        query, interval=Interval.MONTH, subscription_active=True, status__in=SUPPORTING
    ).values_list("donor_email", flat=True)
    return {email.lower() for email in found}


def donor_export(email: str) -> list[dict[str, Any]]:
    """Everything stored about one donor (staff only)."""
    rows = Donation.objects.filter(donor_email__iexact=email.strip()).select_related("campaign")
    return (
        [
            {
                "donation_id": donation.pk,
                "campaign": donation.campaign.slug,
                "amount": donation.amount,
                "currency": donation.currency,
                "interval": donation.interval,
                "status": donation.status,
                "name": donation.donor_name,
                "email": donation.donor_email,
                "anonymous": donation.anonymous,
                "message": donation.message,
                "source_url": donation.source_url,
                "created_at": donation.created_at.isoformat(),
            }
            for donation in rows
        ]
        if email.strip()
        else []
    )


def article_for_path(path: str) -> Any:
    """The live article at a site path ('/news/story/'), or None."""
    from wagtail.models import Site

    from masthead.publishing.models import ArticlePage

    clean = path.split("?", 1)[0].split("#", 1)[0]
    if not clean.endswith("/"):
        clean += "/"
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return None
    url_path = site.root_page.url_path.rstrip("/") + clean
    return ArticlePage.objects.live().filter(url_path=url_path).first()


def campaign_goal_bar(slug: str) -> dict[str, Any] | None:
    """A campaign's goal bar as data (texts in the active language, the donate page's path), for a
    support block drawn elsewhere (the embed); None for an unknown or inactive campaign."""
    campaign = Campaign.objects.filter(slug=slug, active=True).first()
    if campaign is None:
        return None
    progress = campaign_progress(campaign)
    return {
        "slug": campaign.slug,
        "title": campaign.title,
        "raised_text": progress.raised_text,
        "goal_text": progress.goal_text,
        "zero_text": progress.zero_text,
        "half_text": progress.half_text,
        "percent": progress.percent,
        "percent_text": progress.percent_text,
        "bar_percent": progress.bar_percent,
        "donor_count": progress.donor_count,
        "ended": progress.ended or not campaign.is_open(),
        "donate_path": campaign.get_absolute_url(),
    }
