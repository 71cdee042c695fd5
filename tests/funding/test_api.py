"""The funding JSON API: campaign reads, donation creation, bounds, idempotency, rate limits."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from masthead.funding.models import Donation
from tests.helpers import assert_error, hostile_strings, make_campaign

pytestmark = pytest.mark.django_db

CAMPAIGN_FIELDS = {
    "slug",
    "title",
    "currency",
    "goal",
    "raised",
    "donor_count",
    "percent",
    "ends_at",
}
CREATED_FIELDS = {
    "donation_id",
    "client_secret",
    "payment_intent_id",
    "subscription_id",
    "publishable_key",
}


@pytest.fixture
def stripe_api(stripe_keys: Any, localstripe_url: str) -> Any:
    stripe_keys.STRIPE_API_BASE = localstripe_url
    return stripe_keys


def donate(
    client: Any,
    slug: str = "river-desk",
    headers: dict | None = None,
    ip: str = "127.0.0.1",
    **body: Any,
) -> Any:
    payload: dict[str, Any] = {"amount": 2500, "interval": "once", "email": "reader@example.com"}
    payload.update(body)
    return client.post(
        f"/api/v1/campaigns/{slug}/donations",
        data=payload,
        content_type="application/json",
        headers=headers or {},
        REMOTE_ADDR=ip,
    )


def test_campaign_list_shows_active_campaigns_with_exact_fields(
    client: Any, a_campaign: Any
) -> None:
    make_campaign(slug="closed", active=False)
    make_campaign(slug="over", ends_at=timezone.now() - timedelta(days=1))
    response = client.get("/api/v1/campaigns")
    assert response.status_code == 200
    rows = response.json()
    assert [row["slug"] for row in rows] == ["river-desk"]
    assert set(rows[0]) == CAMPAIGN_FIELDS
    assert rows[0]["raised"] == 10_000 and rows[0]["goal"] == 500_000 and rows[0]["percent"] == 2


def test_one_campaign_and_unknown_slugs(client: Any, a_campaign: Any) -> None:
    assert client.get("/api/v1/campaigns/river-desk").json()["currency"] == "USD"
    for probe in hostile_strings("sqli.txt"):
        response = client.get(
            "/api/v1/campaigns/" + probe.replace("/", "%2F").replace("?", "%3F").replace("#", "%23")
        )
        assert response.status_code in (404, 400), probe


def test_donations_answer_503_when_payments_are_not_configured(
    client: Any, a_campaign: Any
) -> None:
    body = assert_error(donate(client), 503, "unavailable")
    assert "not set up" in body["message"]
    assert not Donation.objects.exists()


def test_created_donation_has_the_documented_fields(
    client: Any, a_campaign: Any, stripe_api: Any
) -> None:
    response = donate(client, name="Reader", message="Keep going", source_url="/nowhere/")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == CREATED_FIELDS
    assert body["client_secret"].startswith("seti_")
    assert body["payment_intent_id"].startswith("pi_")
    assert body["subscription_id"] is None
    assert body["publishable_key"] == "pk_test_masthead"
    donation = Donation.objects.get(pk=body["donation_id"])
    assert (donation.status, donation.amount, donation.donor_name) == ("created", 2500, "Reader")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": 299}, "amount"),
        ({"amount": 1_000_001}, "amount"),
        ({"amount": 10**30}, "amount"),
        ({"amount": -5}, "amount"),
        ({"amount": "lots"}, "amount"),
        ({"email": "not-an-email"}, "email"),
        ({"email": ""}, "email"),
        ({"interval": "week"}, "interval"),
        ({"name": "x" * 121}, "name"),
        ({"message": "y" * 1001}, "message"),
        ({"source_url": "https://evil.example/"}, "source_url"),
        ({"name": "\ud800"}, None),
    ],
)
def test_bad_input_is_a_400_with_field_messages(
    client: Any, a_campaign: Any, stripe_api: Any, body: dict, field: str | None
) -> None:
    response = assert_error(donate(client, **body), 400, "invalid")
    if field:
        assert field in response["fields"]
    assert not Donation.objects.exists()


def test_malformed_json_is_a_400(client: Any, a_campaign: Any, stripe_api: Any) -> None:
    response = client.post(
        "/api/v1/campaigns/river-desk/donations", data=b"{nope", content_type="application/json"
    )
    assert_error(response, 400, "invalid")


def test_closed_campaign_refuses_donations(client: Any, a_home: Any, stripe_api: Any) -> None:
    make_campaign(slug="ended", ends_at=timezone.now() - timedelta(hours=1))
    body = assert_error(donate(client, slug="ended"), 400, "campaign_closed")
    assert "campaign" in body["fields"]


def test_monthly_is_refused_when_the_campaign_does_not_offer_it(
    client: Any, a_home: Any, stripe_api: Any
) -> None:
    make_campaign(monthly_enabled=False)
    assert "interval" in assert_error(donate(client, interval="month"), 400, "invalid")["fields"]


def test_idempotency_key_replays_the_same_donation(
    client: Any, a_campaign: Any, stripe_api: Any
) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = donate(client, headers=key)
    second = donate(client, headers=key)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Donation.objects.count() == 1
    assert_error(donate(client, headers=key, amount=5000), 409, "conflict")
    assert Donation.objects.count() == 1


def test_donations_are_rate_limited_per_address_and_per_email(
    client: Any, a_campaign: Any, stripe_api: Any, settings: Any
) -> None:
    settings.FUNDING_RATE_PER_IP = "2/h"
    ip = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7"
    assert donate(client, ip=ip, email=f"a{uuid.uuid4().hex[:8]}@example.com").status_code == 201
    assert donate(client, ip=ip, email=f"b{uuid.uuid4().hex[:8]}@example.com").status_code == 201
    limited = donate(client, ip=ip, email=f"c{uuid.uuid4().hex[:8]}@example.com")
    assert_error(limited, 429, "rate_limited")
    assert limited["Retry-After"]
    settings.FUNDING_RATE_PER_IP = "1000/h"
    settings.FUNDING_RATE_PER_EMAIL = "1/h"
    email = f"card-tester-{uuid.uuid4().hex[:8]}@example.com"
    assert donate(client, email=email, ip="10.1.1.1").status_code == 201
    assert_error(donate(client, email=email, ip="10.1.1.2"), 429, "rate_limited")
    assert Donation.objects.count() == 3


def test_captcha_hook_is_off_by_default_and_enforced_when_configured(
    client: Any, a_campaign: Any, stripe_api: Any, settings: Any
) -> None:
    settings.FUNDING_CAPTCHA_VERIFIER = "tests.funding.test_api.only_token_ok"
    assert_error(donate(client, captcha_token="wrong"), 400, "invalid")
    assert donate(client, captcha_token="ok").status_code == 201


def only_token_ok(request: Any, token: str) -> bool:
    return token == "ok"


@pytest.mark.parametrize("name", ["xss.txt", "open-redirect.txt", "sqli.txt"])
def test_hostile_strings_never_cause_a_server_error(
    client: Any, a_campaign: Any, stripe_api: Any, name: str
) -> None:
    for value in hostile_strings(name):
        for field in ("name", "message", "source_url", "email"):
            # An out-of-range amount keeps the provider out of it; validation must still answer cleanly.
            response = donate(client, amount=1, **{field: value})
            assert response.status_code == 400, (field, value, response.content)
            assert response.json()["error"] == "invalid"
    assert not Donation.objects.exists()


def test_hostile_source_urls_are_refused_or_kept_as_local_paths(
    client: Any, a_campaign: Any, stripe_api: Any
) -> None:
    for value in hostile_strings("open-redirect.txt"):
        response = donate(client, amount=1, source_url=value)
        fields = response.json()["fields"]
        if "source_url" not in fields:
            assert value.startswith("/") and not value.startswith(("//", "/\\")), value


def test_openapi_document_lists_funding_endpoints(client: Any) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/campaigns",
        "/api/v1/campaigns/{slug}",
        "/api/v1/campaigns/{slug}/donations",
        "/api/v1/donations/{donation_id}/confirm",
    } <= set(paths)


def test_demo_campaign_is_active_default_and_loaded_once(client: Any, an_article: Any) -> None:
    from masthead.funding.demo import load_demo_campaign
    from masthead.funding.models import Campaign

    first = load_demo_campaign()
    assert load_demo_campaign().pk == first.pk
    assert Campaign.objects.count() == 1
    assert client.get("/api/v1/campaigns").json()[0]["slug"] == "support-us"
    assert 'role="progressbar"' in client.get(an_article.url).content.decode()
