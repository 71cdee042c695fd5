"""Funding: the article page with the support block at 10 vs 100,000 donations, and webhook throughput.

1. Page: `masthead run` (2 workers, SQLite, page cache off so every request renders) serves an article
   whose support block shows a campaign with 10 donations, then one with 100,000 (rows bulk-inserted for
   speed, with the running total they would have produced). The goal bar reads one aggregate row, so
   both should cost the same.
2. Webhooks: signed `payment_intent.succeeded` events for distinct pending donations posted one after
   another to /funding/stripe/webhook through Django's test client in one process (verify, store,
   apply in one transaction), then the same events again (duplicates). SQLite, scratch database.
Run: `.venv/bin/python -m bench funding`; results go to bench/RESULTS.md under "## Funding".
"""

from __future__ import annotations

import json

from bench.common import (
    machine_line,
    manage,
    masthead_server,
    scratch_dir,
    shell,
    write_section,
    wrk,
)

SMALL, LARGE = 10, 100_000
EVENTS = 1000
ENV = {
    "MASTHEAD_PAGE_CACHE_SECONDS": "0",
    "STRIPE_SECRET_KEY": "sk_test_bench",
    "STRIPE_PUBLISHABLE_KEY": "pk_test_bench",
    "STRIPE_WEBHOOK_SECRET": "whsec_bench",
}

SEED = """
from datetime import timedelta
from django.utils import timezone
from wagtail.models import Site
from masthead.funding.models import Campaign, CampaignTotal, Donation, FundingSettings, LedgerEntry
from masthead.publishing.actions import create_article, create_section, ensure_home_page

home = ensure_home_page()
section = create_section(home, "Bench", "bench", "")
article = create_article(section, "Bench story", body=[("paragraph", "<p>Text.</p>")])
for slug, count in (("small", {small}), ("large", {large})):
    campaign = Campaign.objects.create(title=slug, slug=slug, goal=10**9, currency="USD",
                                       ends_at=timezone.now() + timedelta(days=30))
    batch = 5000
    for start in range(0, count, batch):
        size = min(batch, count - start)
        donations = Donation.objects.bulk_create([
            Donation(campaign=campaign, amount=2500, currency="USD", livemode=False, status="succeeded",
                     donor_email=f"d{{start + n}}@example.com", donor_name="Bench")
            for n in range(size)
        ])
        LedgerEntry.objects.bulk_create([
            LedgerEntry(campaign=campaign, donation=d, kind="charge", object_id=f"pi_{{slug}}_{{d.pk}}",
                        amount=2500, currency="USD", livemode=False)
            for d in donations
        ])
    CampaignTotal.objects.create(campaign=campaign, currency="USD", livemode=False,
                                 settled=2500 * count, donor_count=count)
print(article.url)
"""

SWITCH = """
from wagtail.models import Site
from masthead.funding.models import Campaign, FundingSettings
row = FundingSettings.for_site(Site.objects.get(is_default_site=True))
row.default_campaign = Campaign.objects.get(slug="{slug}")
row.save()
"""

IN_PROCESS = """
import json, statistics, time
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site
from masthead.funding.models import Campaign, FundingSettings

client = Client(HTTP_HOST="localhost")
row = FundingSettings.for_site(Site.objects.get(is_default_site=True))
out = {{}}
for slug in ("small", "large"):
    row.default_campaign = Campaign.objects.get(slug=slug)
    row.save()
    client.get("{url}")
    timings = []
    for _ in range(40):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get("{url}")
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200
    out[slug] = {{"median_ms": statistics.median(timings) * 1000, "queries": len(captured)}}
print(json.dumps(out))
"""

WEBHOOKS = """
import json, time, hashlib, hmac
from django.test import Client
from django.test.utils import override_settings
from masthead.funding import actions
from masthead.funding.models import Campaign, LedgerEntry
from masthead.funding.providers.base import PaymentStart

campaign = Campaign.objects.get(slug="small")
events = []
for n in range({events}):
    donation = actions.create_donation(campaign, actions.DonationRequest(amount=1000, interval="once", email=f"w{{n}}@example.com"), livemode=False)
    actions.attach_payment_start(donation, PaymentStart("cus_x", f"seti_{{n}}", f"seti_{{n}}_secret", f"pi_bench_{{n}}"))
    events.append({{"id": f"evt_bench_{{n}}", "type": "payment_intent.succeeded", "livemode": False, "created": int(time.time()),
                   "data": {{"object": {{"id": f"pi_bench_{{n}}", "object": "payment_intent", "amount": 1000, "amount_received": 1000,
                                        "currency": "usd", "metadata": {{"masthead_donation": str(donation.pk)}}}}}}}})
client = Client(HTTP_HOST="localhost")

def post_all():
    started = time.perf_counter()
    for payload in events:
        body = json.dumps(payload).encode()
        stamp = int(time.time())
        signature = hmac.new(b"whsec_bench", f"{{stamp}}.".encode() + body, hashlib.sha256).hexdigest()
        response = client.post("/funding/stripe/webhook", data=body, content_type="application/json",
                               HTTP_STRIPE_SIGNATURE=f"t={{stamp}},v1={{signature}}")
        assert response.status_code == 200, response.content
    return time.perf_counter() - started

first = post_all()
again = post_all()
print(json.dumps({{"first": first, "again": again, "entries": LedgerEntry.objects.filter(object_id__startswith="pi_bench_").count()}}))
"""


def main() -> None:
    with scratch_dir("funding") as data_dir:
        manage(data_dir, "migrate", "--verbosity", "0", env=ENV)
        article_url = (
            shell(data_dir, SEED.format(small=SMALL, large=LARGE), env=ENV).strip().splitlines()[-1]
        )
        page_results = {}
        for slug, count in (("small", SMALL), ("large", LARGE)):
            shell(data_dir, SWITCH.format(slug=slug), env=ENV)
            with masthead_server(data_dir, env=ENV) as server:
                url = server.url + article_url
                wrk(url, concurrency=2, seconds=3)  # warm-up
                result = wrk(
                    url,
                    concurrency=4,
                    seconds=10,
                    label=f"article + support block ({count:,} donations)",
                )
                page_results[count] = result
                print(result.line())
        in_process = json.loads(
            shell(data_dir, IN_PROCESS.format(url=article_url), env=ENV).strip().splitlines()[-1]
        )
        print(f"in-process render: {in_process}")
        hooks = json.loads(
            shell(data_dir, WEBHOOKS.format(events=EVENTS), env=ENV).strip().splitlines()[-1]
        )
    first_rate = EVENTS / hooks["first"]
    again_rate = EVENTS / hooks["again"]
    print(
        f"webhooks: {first_rate:.0f} events/s applied, {again_rate:.0f} events/s as duplicates; ledger entries {hooks['entries']} for {EVENTS} events x2"
    )
    small, large = page_results[SMALL], page_results[LARGE]
    ratio = (
        large.requests_per_second / small.requests_per_second
        if small.requests_per_second
        else float("nan")
    )
    section = "\n".join(
        [
            "## Funding",
            "",
            f"Machine: {machine_line()}",
            "",
            "Article page with the support block, `masthead run` with 2 workers on SQLite, page cache off",
            "(every request renders), wrk c=4 for 10 s. The goal bar reads one aggregate row.",
            "",
            "| donations in the campaign | req/s | p50 | p99 | non-2xx |",
            "|---:|---:|---:|---:|---:|",
            f"| {SMALL:,} | {small.requests_per_second:.1f} | {small.p50_ms:.1f} ms | {small.p99_ms:.1f} ms | {small.non_2xx} |",
            f"| {LARGE:,} | {large.requests_per_second:.1f} | {large.p50_ms:.1f} ms | {large.p99_ms:.1f} ms | {large.non_2xx} |",
            "",
            f"Throughput at 100,000 donations is {ratio:.2f}x that at 10 (target: the same cost; wrk on a",
            "shared 2-core machine is noisy). In one process, 40 renders each through the test client:",
            f"10 donations: median {in_process['small']['median_ms']:.1f} ms, {in_process['small']['queries']} queries;",
            f"100,000 donations: median {in_process['large']['median_ms']:.1f} ms, {in_process['large']['queries']} queries.",
            "",
            f"Webhooks (SQLite, one process, signed `payment_intent.succeeded`, {EVENTS:,} distinct events):",
            f"{first_rate:.0f} events/s applied; the same events again as duplicates: {again_rate:.0f} events/s;",
            f"ledger entries afterwards: {hooks['entries']:,} (one per PaymentIntent).",
            "",
            "Run: `.venv/bin/python -m bench funding`.",
            "",
        ]
    )
    print(section)
    write_section(section)
