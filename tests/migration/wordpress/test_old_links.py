"""Old WordPress addresses answer 301 to the articles, sections and feeds the import made."""

from __future__ import annotations

from typing import Any

import pytest

from masthead.migration.models import ImportedObject
from masthead.publishing.models import ArticlePage, SectionPage

from .conftest import MASTHEAD_EXPORT, UPLOADS, run_import


def article_url(post_id: str) -> str:
    row = ImportedObject.objects.get(kind="article", source_id=post_id)
    return str(ArticlePage.objects.get(pk=row.object_id).url)


@pytest.mark.parametrize(
    "old",
    [
        "/2024/04/12/council-passes-harbour-budget/",  # the date permalink
        "/2024/04/12/council-passes-harbour-budget",
        "/council-passes-harbour-budget/",  # the /%postname%/ structure
        "/2024/04/12/council-passes-harbour-budget/feed/",  # its comments feed
        "/?p=5",  # WordPress's plain links
        "/index.php?p=5",
    ],
)
def test_post_addresses_answer_301_to_the_article(imported: Any, client: Any, old: str) -> None:
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == article_url("5")
    assert client.get(response["Location"]).status_code == 200


def test_category_tag_and_feed_addresses(imported: Any, client: Any) -> None:
    local = SectionPage.objects.get(slug="local")
    response = client.get("/category/local/")
    assert (response.status_code, response["Location"]) == (301, local.url)
    response = client.get("/category/local/feed/")
    assert (response.status_code, response["Location"]) == (301, "/feeds/local/rss.xml")
    response = client.get("/tag/budget/")
    assert (response.status_code, response["Location"]) == (301, "/tags/budget/")
    response = client.get("/feed/")
    assert (response.status_code, response["Location"]) == (301, "/feeds/rss.xml")
    assert client.get("/feeds/local/rss.xml").status_code == 200


def test_links_to_posts_not_live_do_not_redirect(imported: Any, client: Any) -> None:
    # A draft's only address was /?p=8; here it is the front page, as for any unknown query.
    assert client.get("/?p=8").status_code == 200
    assert client.get("/?p=999999").status_code == 200
    assert client.get("/?p=not-a-number").status_code == 200


def test_redirects_are_not_duplicated_by_a_second_run(imported: Any) -> None:
    from wagtail.contrib.redirects.models import Redirect

    before = Redirect.objects.count()
    run_import(MASTHEAD_EXPORT, uploads=UPLOADS)
    assert Redirect.objects.count() == before
    assert Redirect.objects.filter(is_permanent=True).count() == before


@pytest.mark.django_db(transaction=True)
def test_query_links_redirect_under_asgi_too(a_home: Any) -> None:
    """`masthead run` serves through ASGI: the middleware's async path answers the same."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from django.test import AsyncClient

    run_import(MASTHEAD_EXPORT)
    # Its own thread: a browser test before it may have left an event loop in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        response = pool.submit(asyncio.run, AsyncClient().get("/?p=6")).result()
    assert response.status_code == 301
    assert response["Location"] == article_url("6")
