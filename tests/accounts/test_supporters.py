"""The Supporter badge: opt-in, only while a verified address has an active monthly donation, in the
server-rendered thread and the API, at no query per comment."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from masthead.accounts.profile import set_supporter_badge
from masthead.core.actors import Actor
from masthead.discussion import queries
from masthead.funding import actions as funding_actions
from tests.helpers import comment_as, make_reader, monthly_donation, user_actor

pytestmark = pytest.mark.django_db

BADGE = "comment__badge--supporter"


def _api_author(thread: Any) -> dict[str, Any]:
    response = Client().get(f"/api/v1/threads/{thread.pk}/comments")
    assert response.status_code == 200
    author: dict[str, Any] = response.json()["items"][0]["author"]
    return author


def _thread_html(thread: Any) -> str:
    return Client().get(thread.page.url).content.decode()


def test_the_badge_is_off_by_default_and_shows_once_opted_in(
    a_thread: Any, a_verified_reader: Any, a_campaign: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        monthly_donation(a_campaign, "rea@example.com")
        comment_as(user_actor(a_verified_reader), a_thread, "Proud to give.")
    a_verified_reader.refresh_from_db()
    assert a_verified_reader.is_supporter and not a_verified_reader.show_supporter_badge
    assert _api_author(a_thread)["is_supporter"] is False
    assert BADGE not in _thread_html(a_thread)

    client = Client()
    client.force_login(a_verified_reader)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/account/supporter/", {"show": "on"}).status_code == 302
    assert _api_author(a_thread)["is_supporter"] is True
    assert BADGE in _thread_html(a_thread)


def test_no_badge_without_an_active_monthly_donation(
    a_thread: Any, a_verified_reader: Any, a_campaign: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        set_supporter_badge(a_verified_reader, True)
        comment_as(user_actor(a_verified_reader), a_thread, "I would like a badge.")
    assert _api_author(a_thread)["is_supporter"] is False
    with django_capture_on_commit_callbacks(execute=True):
        donation = monthly_donation(a_campaign, "rea@example.com")
    assert _api_author(a_thread)["is_supporter"] is True
    with django_capture_on_commit_callbacks(execute=True):
        funding_actions.record_subscription_ended(Actor.system(), donation.stripe_subscription_id)
    a_verified_reader.refresh_from_db()
    assert not a_verified_reader.is_supporter
    assert _api_author(a_thread)["is_supporter"] is False
    assert BADGE not in _thread_html(a_thread)


def test_an_unverified_address_never_makes_a_supporter(a_thread: Any, a_campaign: Any) -> None:
    squatter = make_reader("giver@example.com", "Squatter", verified=False)
    monthly_donation(a_campaign, "giver@example.com")
    set_supporter_badge(squatter, True)
    squatter.refresh_from_db()
    assert not squatter.is_supporter


def test_a_one_time_gift_is_no_monthly_support(a_verified_reader: Any, a_campaign: Any) -> None:
    funding_actions.record_manual_donation(
        Actor.system(),
        a_campaign,
        amount=5000,
        method="bank_transfer",
        donor_email="rea@example.com",
    )
    set_supporter_badge(a_verified_reader, True)
    a_verified_reader.refresh_from_db()
    assert not a_verified_reader.is_supporter


def test_badges_cost_no_query_per_comment(a_thread: Any, a_campaign: Any) -> None:
    def reads() -> int:
        with CaptureQueriesContext(connection) as captured:
            page = queries.thread_page(a_thread, "newest", 50)
            [node.comment.user and node.comment.user.show_supporter_badge for node in page.items]
        return len(captured.captured_queries)

    first = make_reader("one@example.com", "One")
    monthly_donation(a_campaign, "one@example.com")
    set_supporter_badge(first, True)
    comment_as(user_actor(first), a_thread, "One.")
    few = reads()
    for number in range(5):
        reader = make_reader(f"r{number}@example.com", f"Reader {number}")
        monthly_donation(a_campaign, f"r{number}@example.com")
        set_supporter_badge(reader, True)
        comment_as(user_actor(reader, ip=f"203.0.113.{number + 20}"), a_thread, f"Comment {number}.")
    assert reads() == few
