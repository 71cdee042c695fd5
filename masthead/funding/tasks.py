"""Work after commit: the donor's receipt, once per confirmed payment (one per ledger entry)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from masthead.core.language import email_language
from masthead.funding.models import Donation, LedgerEntry
from masthead.funding.money import format_amount

MANAGE_SALT = "masthead.funding.manage"


def manage_token(donation_id: int) -> str:
    return signing.dumps({"donation": donation_id}, salt=MANAGE_SALT, compress=True)


def manage_url(donation_id: int) -> str:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("funding:manage", args=[manage_token(donation_id)])


@task()
def send_receipt(entry_id: int) -> None:
    """Email the receipt for one ledger entry (a confirmed one-time or monthly payment)."""
    entry = LedgerEntry.objects.select_related("donation", "campaign").filter(pk=entry_id).first()
    if entry is None or not entry.donation.donor_email:
        return
    donation = entry.donation
    with translation.override(email_language(donation.language)):
        _send_receipt(entry, donation)


def _send_receipt(entry: LedgerEntry, donation: Donation) -> None:
    context = {
        "site_name": settings.SITE_NAME,
        "campaign": entry.campaign,
        "donation": donation,
        "amount": format_amount(entry.amount, entry.currency),
        "monthly": donation.interval == "month",
        "manage_url": manage_url(donation.pk) if donation.interval == "month" else "",
        "reference": entry.object_id,
        "date": entry.occurred_at,
    }
    subject = _("Thank you for supporting %(site)s: receipt for %(amount)s") % {
        "site": settings.SITE_NAME,
        "amount": context["amount"],
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("funding/email/receipt.txt", context),
        to=[donation.donor_email],
    )
    message.attach_alternative(render_to_string("funding/email/receipt.html", context), "text/html")
    message.send()
