"""Staff views: campaign report with chart and CSV, manual donations, donor export and erasure."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from masthead.core.actors import Actor
from masthead.funding import actions, queries
from masthead.funding.models import Donation, LedgerEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client: Any, a_staff_user: Any) -> Any:
    client.force_login(a_staff_user)
    return client


def test_funding_admin_needs_staff(client: Any, a_campaign: Any) -> None:
    response = client.get(f"/admin/funding/campaign/{a_campaign.pk}/")
    assert response.status_code in (302, 403)
    assert client.get(f"/admin/funding/campaign/{a_campaign.pk}/donations.csv").status_code in (
        302,
        403,
    )


def test_admin_explains_why_card_payments_are_off(staff_client: Any, a_campaign: Any) -> None:
    html = staff_client.get("/admin/funding/").content.decode()
    assert "Online card payments are off" in html
    assert "STRIPE_SECRET_KEY" in html
    assert a_campaign.title in html


def test_staff_records_a_manual_donation_that_counts(
    staff_client: Any, a_campaign: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/admin/funding/campaign/{a_campaign.pk}/",
            {
                "amount": "250.50",
                "method": "bank_transfer",
                "donor_name": "Local Bakery",
                "donor_email": "",
                "note": "June transfer",
            },
        )
    assert response.status_code == 302
    donation = Donation.objects.get()
    assert (donation.method, donation.amount, donation.status) == (
        "bank_transfer",
        25050,
        "succeeded",
    )
    assert queries.campaign_progress(a_campaign).raised == 10_000 + 25050
    bad = staff_client.post(
        f"/admin/funding/campaign/{a_campaign.pk}/", {"amount": "-3", "method": "cash"}
    )
    assert bad.status_code == 200
    assert Donation.objects.count() == 1


def test_report_shows_totals_chart_top_articles_and_exports_csv(
    staff_client: Any, a_campaign: Any, an_article: Any, a_staff_user: Any
) -> None:
    actions.record_manual_donation(
        Actor.for_user(a_staff_user),
        a_campaign,
        amount=5000,
        method="cheque",
        donor_name='=HYPERLINK("http://evil.example")',
    )
    donation = actions.create_donation(
        a_campaign,
        actions.DonationRequest(
            amount=2500,
            interval="once",
            email="reader@example.com",
            name="Reader",
            source_page=an_article,
        ),
        livemode=True,
    )
    actions.add_ledger_entry(donation, "charge", "pi_report_1", 2500)
    actions.transition(donation, "succeeded")
    html = staff_client.get(f"/admin/funding/campaign/{a_campaign.pk}/").content.decode()
    assert "$175.00" in html  # baseline 100 + 50 + 25
    assert "<svg" in html and "<rect" in html
    assert an_article.title in html
    assert "reader@example.com" in html
    response = staff_client.get(f"/admin/funding/campaign/{a_campaign.pk}/donations.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "donation_id"
    assert len(rows) == 3
    names = {row[8] for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil.example")' in names  # stays text in a spreadsheet


def test_donor_export_and_erasure_keep_the_money(
    staff_client: Any, a_campaign: Any, a_staff_user: Any
) -> None:
    donation = actions.record_manual_donation(
        Actor.for_user(a_staff_user),
        a_campaign,
        amount=4000,
        method="cash",
        donor_name="Hana",
        donor_email="hana@example.com",
    )
    exported = staff_client.get(
        "/admin/funding/donors/", {"email": "HANA@example.com", "format": "json"}
    ).json()
    assert exported["donations"][0]["name"] == "Hana"
    raised_before = queries.campaign_progress(a_campaign).raised
    response = staff_client.post("/admin/funding/donors/erase/", {"email": "hana@example.com"})
    assert response.status_code == 302
    donation.refresh_from_db()
    assert (donation.donor_name, donation.donor_email, donation.anonymous) == ("", "", True)
    assert donation.erased_at is not None
    assert LedgerEntry.objects.filter(donation=donation, amount=4000).exists()
    from django.core.cache import cache

    cache.clear()
    assert queries.campaign_progress(a_campaign).raised == raised_before
    assert (
        staff_client.get(
            "/admin/funding/donors/", {"email": "hana@example.com", "format": "json"}
        ).json()["donations"]
        == []
    )


def test_campaign_snippet_admin_lists_campaigns(staff_client: Any, a_campaign: Any) -> None:
    response = staff_client.get("/admin/snippets/funding/campaign/")
    assert response.status_code == 200
    assert a_campaign.title in response.content.decode()


def test_the_dashboard_tells_editors_readers_cannot_give_without_keys(
    staff_client: Any, a_campaign: Any
) -> None:
    html = staff_client.get("/admin/").content.decode()
    assert "Online card payments are off." in html
    assert "<code>STRIPE_SECRET_KEY</code>" in html
    assert "shows the goal bar without a donate button" in html
    assert "“Keep the river desk open” has no other ways to give" in html
    assert f'href="/admin/snippets/funding/campaign/edit/{a_campaign.pk}/"' in html

    a_campaign.other_ways_url = "https://give.example.org/river-desk"
    a_campaign.save()
    html = staff_client.get("/admin/").content.decode()
    assert "Readers see the other ways to give set on “Keep the river desk open” instead." in html


def test_the_campaign_editor_warns_while_payments_are_off(
    staff_client: Any, a_campaign: Any
) -> None:
    html = staff_client.get(
        f"/admin/snippets/funding/campaign/edit/{a_campaign.pk}/"
    ).content.decode()
    assert "Online card payments are off." in html
    assert 'name="other_ways_text"' in html and 'name="other_ways_url"' in html
    html = staff_client.get("/admin/snippets/funding/campaign/add/").content.decode()
    assert "Online card payments are off." in html


def test_no_payment_notice_with_keys_or_for_readers_without_the_permission(
    client: Any, staff_client: Any, a_campaign: Any, settings: Any
) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    writer = get_user_model().objects.create_user("writer", "writer@example.com", "pw-long-1")
    writer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    other = type(client)()
    other.force_login(writer)
    dashboard = other.get("/admin/")
    assert dashboard.status_code == 200
    assert "Online card payments are off." not in dashboard.content.decode()

    settings.STRIPE_SECRET_KEY = "sk_test_x"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_x"
    assert "Online card payments are off." not in staff_client.get("/admin/").content.decode()
