"""The support block and goal bar on article pages, the donate page, money formatting."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.core.actors import Actor
from masthead.funding import actions
from masthead.funding.models import FundingSettings
from masthead.funding.money import format_amount, parse_major
from tests.helpers import hostile_strings, make_campaign

pytestmark = pytest.mark.django_db


def test_amounts_are_formatted_per_currency_with_integers() -> None:
    assert format_amount(123450, "USD") == "$1,234.50"
    assert format_amount(500000, "USD", trim=True) == "$5,000"
    assert format_amount(5000, "JPY") == "¥5,000"
    assert format_amount(1500, "KWD") == "KWD 1.500"
    assert format_amount(1, "KWD") == "KWD 0.001"
    assert format_amount(-250, "EUR") == "-€2.50"
    assert parse_major("12.5", "USD") == 1250
    assert parse_major("1,000", "JPY") == 1000
    assert parse_major("0.125", "KWD") == 125
    for bad in ["1.234", "abc", "-5", "", "١٢"]:
        with pytest.raises(ValueError):
            parse_major(bad, "USD")


def article_html(client: Any, article: Any, fresh: bool = False) -> str:
    if fresh:  # page edits here skip publishing's on-publish invalidation
        from django.core.cache import cache

        cache.clear()
    response = client.get(article.url)
    assert response.status_code == 200
    return response.content.decode()


def test_article_shows_the_goal_bar_after_the_body_by_default(
    client: Any, an_article: Any, a_campaign: Any, stripe_keys: Any
) -> None:
    html = article_html(client, an_article)
    assert html.count('class="support support--after"') == 1
    assert "support--before" not in html
    assert 'role="progressbar"' in html
    assert 'aria-valuemax="500000"' in html and 'aria-valuenow="10000"' in html
    assert "$100.00" in html  # the baseline
    for label in ("$0", "$2,500", "$5,000"):
        assert f"<li>{label}</li>" in html
    assert "2%" in html and "0 donors" in html and "11 days left" in html
    assert 'href="/funding/river-desk/?from=' in html
    assert "Support us" in html


def test_placement_article_overrides_section_overrides_site(
    client: Any, an_article: Any, a_campaign: Any, django_capture_on_commit_callbacks: Any
) -> None:
    section = an_article.get_parent().specific
    section.support_placement = "none"
    section.save()
    assert "support--" not in article_html(client, an_article, fresh=True)
    an_article.support_placement = "both"
    an_article.save()
    html = article_html(client, an_article, fresh=True)
    assert "support--before" in html and "support--after" in html
    an_article.support_placement = ""
    an_article.save()
    section.support_placement = ""
    section.save()
    article_html(client, an_article, fresh=True)
    setting = FundingSettings.objects.get()
    setting.support_placement = "before"
    with django_capture_on_commit_callbacks(execute=True):
        setting.save()  # as the settings form in the admin does
    html = article_html(client, an_article)
    assert "support--before" in html and "support--after" not in html


def test_a_section_puts_the_block_at_the_top_of_its_articles(
    client: Any, an_article: Any, a_campaign: Any
) -> None:
    section = an_article.get_parent().specific
    section.support_placement = "before"
    section.save()
    html = article_html(client, an_article, fresh=True)
    assert html.count('class="support support--') == 1
    top = html.index('class="support support--before"')
    assert html.index('class="article__headline"') < top < html.index("data-article-body")


def test_editors_choose_the_top_for_the_site_a_section_or_an_article(
    client: Any, an_article: Any, a_campaign: Any, a_staff_user: Any
) -> None:
    from wagtail.models import Site

    client.force_login(a_staff_user)
    site = Site.objects.get(is_default_site=True)
    for url in (
        f"/admin/pages/{an_article.pk}/edit/",
        f"/admin/pages/{an_article.get_parent().pk}/edit/",
        f"/admin/settings/funding/fundingsettings/{site.pk}/",
    ):
        html = client.get(url).content.decode()
        assert 'name="support_placement"' in html, url
        assert "At the top: under the headline, before the article" in html, url
        assert "At the top and at the end" in html, url


def test_without_keys_the_button_is_hidden_but_the_goal_bar_stays(
    client: Any, an_article: Any, a_campaign: Any
) -> None:
    html = article_html(client, an_article)
    assert 'role="progressbar"' in html
    assert "Support us" not in html
    donate_page = client.get("/funding/river-desk/").content.decode()
    assert "not set up" in donate_page
    assert 'id="donate-form"' not in donate_page


def test_without_keys_readers_see_the_campaigns_other_ways_to_give(
    client: Any, an_article: Any, a_campaign: Any
) -> None:
    a_campaign.other_ways_text = "Bank transfer: IBAN DE00 1234 5678 9000\nReference: river desk"
    a_campaign.other_ways_url = "https://give.example.org/river-desk"
    a_campaign.save()
    html = article_html(client, an_article, fresh=True)
    assert "Support us" not in html
    assert "Bank transfer: IBAN DE00 1234 5678 9000<br>Reference: river desk" in html
    assert (
        '<a class="button support__button" href="https://give.example.org/river-desk">How to give</a>'
        in html
    )
    donate_page = client.get("/funding/river-desk/").content.decode()
    assert "not set up" in donate_page
    assert (
        "IBAN DE00 1234 5678 9000" in donate_page
        and "https://give.example.org/river-desk" in donate_page
    )


def test_with_keys_the_donate_button_replaces_the_other_ways(
    client: Any, an_article: Any, a_campaign: Any, stripe_keys: Any
) -> None:
    a_campaign.other_ways_text = "Bank transfer: IBAN DE00 1234 5678 9000"
    a_campaign.save()
    html = article_html(client, an_article, fresh=True)
    assert "Support us" in html
    assert "IBAN" not in html and "How to give" not in html


def test_other_ways_to_give_are_escaped(client: Any, an_article: Any, a_campaign: Any) -> None:
    a_campaign.other_ways_text = "<script>alert(1)</script> & <b>cheques</b>"
    a_campaign.save()
    html = article_html(client, an_article, fresh=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;cheques&lt;/b&gt;" in html
    assert "<script>alert(1)" not in html


def test_over_goal_shows_the_true_amount_with_a_full_bar(
    client: Any,
    an_article: Any,
    a_home: Any,
    a_staff_user: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    campaign = make_campaign(goal=100_000, baseline=0)
    assert "$0.00" in article_html(client, an_article)
    with django_capture_on_commit_callbacks(execute=True):
        actions.record_manual_donation(
            Actor.for_user(a_staff_user), campaign, amount=150_050, method="bank_transfer"
        )
    html = article_html(client, an_article)
    assert "$1,500.50" in html
    assert "150%" in html
    assert 'class="goal__fill" width="100%"' in html  # an SVG attribute, not an inline style
    assert 'aria-valuenow="100000"' in html and 'aria-valuemax="100000"' in html


def test_zero_and_three_decimal_currencies_on_the_goal_bar(
    client: Any, an_article: Any, a_home: Any, django_capture_on_commit_callbacks: Any
) -> None:
    make_campaign(currency="JPY", goal=1_000_000, baseline=250_000)
    html = article_html(client, an_article)
    assert "¥250,000" in html and "<li>¥500,000</li>" in html and "25%" in html
    setting = FundingSettings.objects.get()
    setting.default_campaign = make_campaign(slug="kwd", currency="KWD", goal=3_000, baseline=1_500)
    with django_capture_on_commit_callbacks(execute=True):
        setting.save()
    html = article_html(client, an_article)
    assert "KWD 1.500" in html and "<li>KWD 3</li>" in html


def test_support_block_costs_the_same_with_many_donations(
    client: Any, an_article: Any, a_campaign: Any, a_staff_user: Any
) -> None:
    def queries_for_page() -> int:
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            article_html(client, an_article)
        return len(captured)

    actions.record_manual_donation(
        Actor.for_user(a_staff_user), a_campaign, amount=500, method="cash", livemode=False
    )
    queries_for_page()  # first-visit set-up of other apps (settings rows) is not what is measured
    few = queries_for_page()
    for _ in range(40):
        actions.record_manual_donation(
            Actor.for_user(a_staff_user), a_campaign, amount=500, method="cash", livemode=False
        )
    assert queries_for_page() == few


def test_manual_donations_count_toward_the_goal(
    client: Any,
    an_article: Any,
    a_campaign: Any,
    a_staff_user: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    before = article_html(client, an_article)
    assert "$100.00" in before
    with django_capture_on_commit_callbacks(execute=True):
        actions.record_manual_donation(
            Actor.for_user(a_staff_user), a_campaign, amount=25_000, method="cheque"
        )
    html = article_html(client, an_article)
    assert "$350.00" in html and "1 donor<" in html


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def test_donor_wall_escapes_hostile_names_and_messages(
    client: Any, a_home: Any, stripe_keys: Any
) -> None:
    campaign = make_campaign(donor_wall=True)
    strings = hostile_strings("xss.txt")
    for index, value in enumerate(strings):
        donation = actions.create_donation(
            campaign,
            actions.DonationRequest(
                amount=500,
                interval="once",
                email=f"d{index}@example.com",
                name=value[:120],
                message=value,
            ),
            livemode=False,
        )
        actions.transition(donation, "succeeded")
    html = client.get("/funding/river-desk/").content.decode()
    wall = html[
        html.index('class="donor-wall"') : html.index(
            "</section>", html.index('class="donor-wall"')
        )
    ]
    parser = _Collector()
    parser.feed(wall)
    assert {tag for tag, _ in parser.tags} <= {"section", "h2", "ul", "li", "strong", "q"}
    for _, attrs in parser.tags:
        assert all(not name.startswith("on") for name, _ in attrs)
    assert not re.search(r"javascript:", wall.replace("javascript:", "", 0)) or "href" not in wall


def test_donate_page_back_link_is_never_an_open_redirect(
    client: Any, a_campaign: Any, stripe_keys: Any
) -> None:
    for value in hostile_strings("open-redirect.txt"):
        html = client.get("/funding/river-desk/", {"from": value}).content.decode()
        match = re.search(r'<p class="donate__back"><a href="([^"]*)"', html)
        if match:
            href = match.group(1)
            assert href.startswith("/") and not href.startswith(("//", "/\\")), (value, href)
            assert ":" not in href.split("?")[0] or href.startswith("/"), href
