"""Feeds, sitemaps and robots.txt parse and follow what is published."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from xml.etree import ElementTree

import feedparser
from django.utils import timezone

from masthead.publishing.actions import create_article, create_section

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def parsed_feed(client: Any, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, (url, feed.get("bozo_exception"))
    return feed


def test_site_and_section_feeds_parse_and_list_articles(client: Any, an_article: Any) -> None:
    for url in (
        "/feeds/rss.xml",
        "/feeds/atom.xml",
        "/feeds/middle-east/rss.xml",
        "/feeds/middle-east/atom.xml",
    ):
        feed = parsed_feed(client, url)
        titles = [entry.title for entry in feed.entries]
        assert titles == ["Water shortages deepen along the river"], url
        entry = feed.entries[0]
        assert entry.link.endswith(an_article.url)
        assert "Rana Haddad" in entry.get("author", "")
        assert {tag.term for tag in entry.tags} == {"water", "agriculture"}
    assert parsed_feed(client, "/feeds/atom.xml").version == "atom10"
    assert parsed_feed(client, "/feeds/rss.xml").version == "rss20"


def test_newly_published_article_appears_in_feeds_home_and_section(
    client: Any, an_article: Any, an_author: Any, django_capture_on_commit_callbacks: Any
) -> None:
    for url in ("/", "/middle-east/", "/feeds/rss.xml"):  # warm every cache first
        client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        create_article(
            an_article.get_parent().specific,
            "Desalination plant opens on the coast",
            body=[("paragraph", "<p>The plant will supply forty thousand homes.</p>")],
            authors=[an_author],
        )
    for url in ("/feeds/rss.xml", "/feeds/atom.xml", "/feeds/middle-east/rss.xml"):
        assert (
            parsed_feed(client, url).entries[0].title == "Desalination plant opens on the coast"
        ), url
    for url in ("/", "/middle-east/"):
        assert "Desalination plant opens on the coast" in client.get(url).content.decode(), url


def test_section_feed_of_unknown_section_is_404(client: Any, a_home: Any) -> None:
    assert client.get("/feeds/no-such-section/rss.xml").status_code == 404


def test_other_sections_articles_stay_out_of_a_section_feed(
    client: Any, an_article: Any, a_home: Any
) -> None:
    analysis = create_section(a_home, "Analysis", "analysis")
    create_article(
        analysis, "Why the river is falling", body=[("paragraph", "<p>Dams upstream.</p>")]
    )
    titles = [entry.title for entry in parsed_feed(client, "/feeds/analysis/rss.xml").entries]
    assert titles == ["Why the river is falling"]


def test_sitemap_lists_pages(client: Any, an_article: Any) -> None:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own output)
    locations = [element.text or "" for element in root.iter(f"{SITEMAP}loc")]
    assert any(location.endswith(an_article.url) for location in locations)
    assert any(location.endswith("/middle-east/") for location in locations)


def test_news_sitemap_lists_only_the_last_two_days(client: Any, a_section: Any) -> None:
    create_article(
        a_section, "Fresh report", first_published_at=timezone.now() - timedelta(hours=5)
    )
    create_article(a_section, "Old report", first_published_at=timezone.now() - timedelta(days=3))
    response = client.get("/news-sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own output)
    titles = [element.text for element in root.iter(f"{NEWS}title")]
    assert titles == ["Fresh report"]
    assert all(element.text for element in root.iter(f"{NEWS}publication_date"))


def test_robots_txt_points_at_sitemaps(client: Any, a_home: Any) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Sitemap: http://testserver/news-sitemap.xml" in text


def test_pages_have_an_icon_and_favicon_ico_leads_to_it(client: Any, a_home: Any) -> None:
    """Browsers ask /favicon.ico whatever the page links: it must not be a 404 in every visitor's
    console."""
    page = client.get("/")
    icon = re.search(
        r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page.content.decode()
    )
    assert icon and icon.group(1).endswith(".svg")
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == icon.group(1)
    assert "max-age=86400" in response["Cache-Control"]
