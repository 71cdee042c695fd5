"""Campaigns, donations, the money ledger and the provider event log.

Totals come only from `LedgerEntry` rows (one per provider object, unique), summed incrementally
into `CampaignTotal` in the same transaction that writes the entry.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from masthead.funding.money import CURRENCY_CHOICES, format_amount, to_minor


class Campaign(models.Model):
    title = models.CharField(max_length=160)
    slug = models.SlugField(max_length=80, unique=True)
    pitch = models.TextField(
        blank=True, help_text=_("Why readers should give, shown above the goal bar.")
    )
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="USD")
    goal = models.PositiveBigIntegerField(
        help_text=_("In the currency's minor unit: cents for USD (500000 = $5,000), yen for JPY."),
        validators=[MinValueValidator(1)],
    )
    baseline = models.BigIntegerField(
        "opening baseline",
        default=0,
        help_text=_("Money raised before the campaign moved here, in minor units."),
    )
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)
    preset_amounts = models.CharField(
        max_length=120,
        default="10, 25, 50, 100",
        help_text=_("Whole amounts in the currency's major unit, separated by commas."),
    )
    minimum_amount = models.PositiveBigIntegerField(
        default=100, help_text=_("Smallest gift, in minor units.")
    )
    maximum_amount = models.PositiveBigIntegerField(
        default=1_000_000, help_text=_("Largest gift, in minor units.")
    )
    monthly_enabled = models.BooleanField("offer monthly giving", default=True)
    thank_you_text = models.TextField(default="Thank you for supporting independent journalism.")
    donor_wall = models.BooleanField(
        "show a public donor wall",
        default=False,
        help_text=_(
            "Names (or 'Anonymous') and messages of donors who agreed; amounts stay hidden."
        ),
    )
    other_ways_text = models.TextField(
        _("other ways to give"),
        blank=True,
        max_length=1000,
        help_text=_(
            "How readers can give without a card payment on this site: bank details, a postal "
            "address, a membership platform. Shown in the support block and on the donate page "
            "while online card payments are off."
        ),
    )
    other_ways_url = models.URLField(
        _("other ways to give: link"),
        blank=True,
        help_text=_("A page with the details (yours or a giving platform's), shown as a button."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("pitch"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("currency"), FieldPanel("goal"), FieldPanel("baseline")]),
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel("active"),
            ],
            heading=_("Goal and dates"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("preset_amounts"),
                FieldRowPanel([FieldPanel("minimum_amount"), FieldPanel("maximum_amount")]),
                FieldPanel("monthly_enabled"),
            ],
            heading=_("Amounts"),
        ),
        MultiFieldPanel(
            [FieldPanel("other_ways_text"), FieldPanel("other_ways_url")],
            heading=_("Other ways to give"),
        ),
        FieldPanel("thank_you_text"),
        FieldPanel("donor_wall"),
    ]

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(maximum_amount__gte=models.F("minimum_amount")),
                name="funding_campaign_bounds",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("funding:donate", args=[self.slug])

    def is_open(self, now: object | None = None) -> bool:
        now = now or timezone.now()
        if not self.active:
            return False
        if self.starts_at and self.starts_at > now:  # type: ignore[operator]
            return False
        return not (self.ends_at and self.ends_at <= now)  # type: ignore[operator]

    def presets_minor(self) -> list[int]:
        amounts = []
        for part in self.preset_amounts.split(","):
            part = part.strip()
            if part.isascii() and part.isdigit() and int(part) > 0:
                amounts.append(to_minor(int(part), self.currency))
        return amounts

    def format(self, minor: int) -> str:
        return format_amount(minor, self.currency)

    @property
    def has_other_ways(self) -> bool:
        return bool(self.other_ways_text.strip() or self.other_ways_url)


class Interval(models.TextChoices):
    ONCE = "once", _("One-time")
    MONTH = "month", _("Monthly")


class DonationStatus(models.TextChoices):
    CREATED = "created", _("Created: the donor has not paid yet")
    PENDING = "pending", _("Pending: card accepted, waiting for the provider to confirm")
    SUCCEEDED = "succeeded", _("Succeeded: money received")
    FAILED = "failed", _("Failed: the payment was declined or abandoned")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
    REFUNDED = "refunded", _("Refunded in full")
    DISPUTED = "disputed", _("Disputed: the card holder opened a chargeback")
    DISPUTE_WON = "dispute_won", _("Dispute won: the money stays")
    DISPUTE_LOST = "dispute_lost", _("Dispute lost: the money went back")


# Forward-only: a late or replayed event can never move a donation back.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    "created": {"pending", "succeeded", "failed"},
    "pending": {"succeeded", "failed"},
    # A donor may retry a declined card on the same payment; a confirmed charge is the truth.
    "failed": {"succeeded"},
    "succeeded": {"partially_refunded", "refunded", "disputed", "dispute_won", "dispute_lost"},
    "partially_refunded": {"refunded", "disputed", "dispute_won", "dispute_lost"},
    "refunded": set(),
    "disputed": {"dispute_won", "dispute_lost"},
    "dispute_won": {"partially_refunded", "refunded"},
    "dispute_lost": set(),
}


class Method(models.TextChoices):
    STRIPE = "stripe", _("Card (Stripe)")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CHEQUE = "cheque", _("Cheque")
    CRYPTO = "crypto", _("Crypto")
    CASH = "cash", _("Cash")
    OTHER = "other", _("Other")


class Donation(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="donations")
    method = models.CharField(max_length=16, choices=Method.choices, default=Method.STRIPE)
    interval = models.CharField(max_length=8, choices=Interval.choices, default=Interval.ONCE)
    amount = models.PositiveBigIntegerField(help_text=_("Per payment, in minor units."))
    currency = models.CharField(max_length=3)
    livemode = models.BooleanField(default=False)
    status = models.CharField(
        max_length=20, choices=DonationStatus.choices, default=DonationStatus.CREATED
    )
    donor_name = models.CharField(max_length=120, blank=True)
    donor_email = models.EmailField(max_length=254, blank=True)
    anonymous = models.BooleanField(default=False)
    message = models.TextField(blank=True)
    source_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_url = models.CharField(max_length=500, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    idempotency_key = models.CharField(max_length=255, null=True, blank=True, unique=True)
    request_fingerprint = models.CharField(max_length=64, blank=True)
    stripe_customer_id = models.CharField(max_length=255, blank=True)
    stripe_setup_intent_id = models.CharField(max_length=255, blank=True)
    stripe_payment_intent_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    stripe_subscription_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    client_secret = models.CharField(max_length=255, blank=True)
    subscription_active = models.BooleanField(default=False)
    canceled_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, help_text=_("Staff note (manual donations)."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    erased_at = models.DateTimeField(null=True, blank=True)
    # Receipts and notices about this gift are written in the language the reader gave in.
    language = models.CharField(
        max_length=10,
        blank=True,
        default="",
        help_text=_("The language the reader used when giving ('' is the site's default)."),
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["campaign", "status"]),
            models.Index(fields=["donor_email"]),
        ]

    def __str__(self) -> str:
        return f"Donation {self.pk} ({format_amount(self.amount, self.currency)})"

    @property
    def public_name(self) -> str:
        return "Anonymous" if self.anonymous or not self.donor_name else self.donor_name


class EntryKind(models.TextChoices):
    CHARGE = "charge", _("One-time charge (by PaymentIntent)")
    RECURRING = "recurring", _("Monthly payment (by invoice)")
    MANUAL = "manual", _("Manual/offline donation recorded by staff")
    REFUND = "refund", _("Refund (by refund id)")
    DISPUTE_LOST = "dispute_lost", _("Lost dispute (by dispute id)")


class LedgerEntry(models.Model):
    """One money movement. `(provider, object_id)` is unique, so a replayed event cannot count twice."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="ledger")
    donation = models.ForeignKey(Donation, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(max_length=16, choices=EntryKind.choices)
    provider = models.CharField(max_length=16, default="stripe")
    object_id = models.CharField(max_length=255)
    charge_id = models.CharField(max_length=255, blank=True, db_index=True)
    amount = models.BigIntegerField(help_text=_("Signed, in minor units: refunds are negative."))
    currency = models.CharField(max_length=3)
    livemode = models.BooleanField(default=False)
    event = models.ForeignKey(
        "funding.PaymentEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "object_id"], name="funding_ledger_once")
        ]
        verbose_name_plural = "ledger entries"

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} {self.amount} {self.currency}"


class CampaignTotal(models.Model):
    """The running aggregate behind the goal bar, per campaign, currency and live/test mode."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="totals")
    currency = models.CharField(max_length=3)
    livemode = models.BooleanField(default=False)
    settled = models.BigIntegerField(default=0)
    donor_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "currency", "livemode"], name="funding_total_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.currency} {self.settled}"


class EventStatus(models.TextChoices):
    RECEIVED = "received", _("Received, not yet applied")
    PROCESSING = "processing", _("Being applied")
    SUCCEEDED = "succeeded", _("Applied")
    FAILED = "failed", _("Failed unexpectedly; the provider will retry")
    IGNORED = "ignored", _("Stored but not relevant (unknown type or object)")
    REJECTED = "rejected", _("Refused as inconsistent (e.g. currency mismatch); not retried")


class PaymentEvent(models.Model):
    provider = models.CharField(max_length=16, default="stripe")
    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    livemode = models.BooleanField(default=False)
    payload = models.JSONField()
    status = models.CharField(
        max_length=12, choices=EventStatus.choices, default=EventStatus.RECEIVED
    )
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event_id} {self.type} ({self.status})"


class Placement(models.TextChoices):
    """Where the support block goes on articles, site-wide (sections and articles may override it)."""

    NONE = "none", _("No support block")
    BEFORE = "before", _("At the top: under the headline, before the article")
    AFTER = "after", _("At the end: after the article")
    BOTH = "both", _("At the top and at the end")


@register_setting(icon="pick")
class FundingSettings(BaseSiteSetting):
    default_campaign = models.ForeignKey(
        Campaign,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The campaign shown in the support block on articles."),
    )
    support_placement = models.CharField(
        max_length=8,
        choices=Placement.choices,
        default=Placement.AFTER,
        help_text=_("Sections and articles may override this."),
    )

    panels = [FieldPanel("default_campaign"), FieldPanel("support_placement")]

    class Meta:
        verbose_name = "reader funding"
