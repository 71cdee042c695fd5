"""Replay Stripe's event list through the same idempotent path as the webhook."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from masthead.funding import ledger
from masthead.funding.providers import stripe as provider
from masthead.funding.providers.base import ProviderError


class Command(BaseCommand):
    help = "Fetch recent Stripe events and apply any the webhook missed (safe to run repeatedly)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=3, help="How far back to look (default 3).")

    def handle(self, *args: Any, **options: Any) -> None:
        if not provider.is_configured():
            raise CommandError("STRIPE_SECRET_KEY and STRIPE_PUBLISHABLE_KEY are not set.")
        since = int(time.time()) - max(0, options["days"]) * 86400
        seen = applied = failed = 0
        try:
            for payload in provider.iter_events(since):
                if not ledger.is_event_shaped(payload):
                    continue
                seen += 1
                event, ok = ledger.process_event(payload)
                if not ok:
                    failed += 1
                elif event.status == "succeeded":
                    applied += 1
        except ProviderError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"events seen {seen}, applied {applied}, failed {failed}")
        if failed:
            raise CommandError(f"{failed} event(s) failed; see PaymentEvent errors.")
