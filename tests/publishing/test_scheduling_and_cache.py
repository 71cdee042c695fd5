"""Scheduled publishing goes live through the command; cached pages follow every publish."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from wagtail.models import Revision

from masthead.publishing.actions import create_article, unpublish_article, update_article
from masthead.publishing.models import ArticlePage


def test_scheduled_article_goes_live_when_its_time_comes(
    client: Any, a_section: Any, an_author: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.get("/")  # cache the home page before the article exists
    article = create_article(
        a_section,
        "Budget vote scheduled for dawn",
        body=[("paragraph", "<p>The vote is expected before sunrise.</p>")],
        authors=[an_author],
        go_live_at=timezone.now() + timedelta(hours=1),
    )
    assert not ArticlePage.objects.get(pk=article.pk).live
    assert client.get(article.url).status_code == 404
    call_command("publish_scheduled")
    assert not ArticlePage.objects.get(pk=article.pk).live  # not yet its time

    # An hour passes: move the schedule back instead, so the approved time is behind us.
    past = timezone.now() - timedelta(seconds=1)
    revision = Revision.page_revisions.get(
        object_id=str(article.pk), approved_go_live_at__isnull=False
    )
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    ArticlePage.objects.filter(pk=article.pk).update(go_live_at=past)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled")
    assert ArticlePage.objects.get(pk=article.pk).live
    assert client.get(article.url).status_code == 200
    assert "Budget vote scheduled for dawn" in client.get("/").content.decode()
    assert "Budget vote scheduled for dawn" in client.get("/feeds/rss.xml").content.decode()


def test_anonymous_article_reads_are_cached_and_marked_public(client: Any, an_article: Any) -> None:
    first = client.get(an_article.url)
    second = client.get(an_article.url)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert "public" in second["Cache-Control"] and "max-age=60" in second["Cache-Control"]
    assert not second.cookies


def test_a_hit_without_its_route_puts_the_route_back_for_the_fast_path(
    client: Any, an_article: Any
) -> None:
    """The path → page route can expire before the page: the next hit (through Wagtail) re-makes it,
    and from then on the page is answered before routing, without a database query."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from masthead.publishing.page_cache import _route_key, recent_pages

    client.get(an_article.url)
    cache.delete(_route_key(an_article.url))
    recent_pages.clear()
    with CaptureQueriesContext(connection) as routed:
        assert client.get(an_article.url)["X-Page-Cache"] == "hit"
    assert routed.captured_queries  # Wagtail found the page in the tree
    assert cache.get(_route_key(an_article.url)) is not None
    with CaptureQueriesContext(connection) as fast:
        assert client.get(an_article.url)["X-Page-Cache"] == "hit"
    assert fast.captured_queries == []


def test_editing_and_publishing_invalidates_the_cached_article(
    client: Any, an_article: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.get(an_article.url)
    assert client.get(an_article.url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        update_article(an_article, title="River levels fall to a record low")
    html = client.get(an_article.url).content.decode()
    assert "River levels fall to a record low" in html
    assert "Water shortages deepen along the river" not in html


def test_saving_a_draft_leaves_the_live_page_alone(
    client: Any, an_article: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        update_article(an_article, title="Draft headline nobody should see", publish=False)
    html = client.get(an_article.url).content.decode()
    assert "Water shortages deepen along the river" in html
    assert "Draft headline nobody should see" not in html


def test_unpublished_article_leaves_cached_listings_and_its_url(
    client: Any, an_article: Any, django_capture_on_commit_callbacks: Any
) -> None:
    url = an_article.url
    for path in ("/", "/middle-east/", url):
        client.get(path)
    with django_capture_on_commit_callbacks(execute=True):
        unpublish_article(an_article)
    assert client.get(url).status_code == 404
    assert "Water shortages deepen" not in client.get("/").content.decode()
    assert "Water shortages deepen" not in client.get("/middle-east/").content.decode()


def test_editing_an_author_invalidates_cached_pages(
    client: Any, an_article: Any, an_author: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.get(an_article.url)
    with django_capture_on_commit_callbacks(execute=True):
        an_author.name = "Rana Haddad-Khoury"
        an_author.save()
    assert "Rana Haddad-Khoury" in client.get(an_article.url).content.decode()


def test_signed_in_readers_and_query_strings_bypass_the_cache(
    client: Any, an_article: Any, a_staff_user: Any
) -> None:
    client.get(an_article.url)
    assert "X-Page-Cache" not in client.get(an_article.url + "?utm_source=x")
    client.force_login(a_staff_user)
    response = client.get(an_article.url)
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_password_protected_article_asks_for_the_password_even_after_being_cached(
    client: Any, an_article: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from wagtail.models import PageViewRestriction

    client.get(an_article.url)  # cached while public
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=an_article, restriction_type=PageViewRestriction.PASSWORD, password="sesame"
        )
    response = client.get(an_article.url)
    assert "Water shortages deepen" not in response.content.decode()
    form_url = f"/_util/authenticate_with_password/{restriction.pk}/{an_article.pk}/"
    assert (
        client.post(form_url, {"password": "sesame", "return_url": an_article.url}).status_code
        == 302
    )
    assert "Water shortages deepen" in client.get(an_article.url).content.decode()
    # What the reader with the password saw is not served to the next reader.
    assert "Water shortages deepen" not in Client().get(an_article.url).content.decode()


def test_cached_hits_keep_the_security_headers(client: Any, an_article: Any) -> None:
    client.get(an_article.url)
    hit = client.get(an_article.url)
    assert hit["X-Page-Cache"] == "hit"
    assert hit["X-Frame-Options"] == "SAMEORIGIN"
    assert hit["X-Content-Type-Options"] == "nosniff"
    assert "Referrer-Policy" in hit
