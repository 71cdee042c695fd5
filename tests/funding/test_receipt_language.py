"""A receipt is written in the language the reader gave in, with money as that locale writes it."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from tests.funding.conftest import intent, pending_donation
from tests.funding.stripe_support import event


def test_the_receipt_speaks_the_language_of_the_gift(
    a_campaign: Any, deliver: Any, mailoutbox: list
) -> None:
    with translation.override("ar"):
        donation = pending_donation(a_campaign)
    assert donation.language == "ar"
    assert deliver(event("payment_intent.succeeded", intent(donation))).status_code == 200
    [receipt] = mailoutbox
    assert receipt.subject.startswith("شكرًا لدعمك")
    assert "٢٥٫٠٠\xa0US$" in receipt.subject  # 2500 cents, in Arabic digits
    assert "تلقّينا تبرعك بمبلغ" in receipt.body
    html = receipt.alternatives[0][0]
    assert '<html lang="ar" dir="rtl">' in html and "<strong>\u200f٢٥٫٠٠\xa0US$</strong>" in html


def test_a_gift_in_the_default_language_keeps_the_english_receipt(
    a_campaign: Any, deliver: Any, mailoutbox: list
) -> None:
    donation = pending_donation(a_campaign)
    assert donation.language == "en"
    deliver(event("payment_intent.succeeded", intent(donation)))
    assert mailoutbox[0].subject.endswith("receipt for $25.00")
