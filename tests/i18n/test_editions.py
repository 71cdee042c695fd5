"""Editions as a reader meets them: an English article and its Arabic translation at /ar/..., each
in its own language and direction, naming the other; `/` sending readers to the edition they prefer
(the page cache and its fast path included); feeds and sitemaps per edition."""

from __future__ import annotations

import re
from typing import Any

import feedparser
import pytest
from django.test import Client
from lxml import etree, html

from tests.asgi import asgi_request, run_async
from tests.i18n.conftest import ARABIC_TITLE, translate_into_arabic

pytestmark = pytest.mark.django_db

ENGLISH_TITLE = "Water shortages deepen along the river"


def document(response: Any) -> Any:
    assert response.status_code == 200, (response.status_code, response.content[:300])
    return html.fromstring(response.content)


def vary(response: Any) -> set[str]:
    return {name.strip() for name in response.get("Vary", "").split(",") if name.strip()}


def alternates(tree: Any) -> dict[str, str]:
    return {
        link.get("hreflang"): link.get("href")
        for link in tree.xpath("//head/link[@rel='alternate'][@hreflang]")
    }


def switcher_links(tree: Any) -> dict[str, str]:
    return {
        link.get("hreflang"): link.get("href")
        for link in tree.xpath("//nav[contains(@class, 'language-switcher')]//a")
    }


# --- one article, two languages ---------------------------------------------------------------


def test_the_arabic_translation_is_arabic_and_right_to_left_all_round(
    client: Client, an_article: Any, an_arabic_article: Any
) -> None:
    assert an_arabic_article.url.startswith("/ar/")
    arabic = client.get(an_arabic_article.url)
    tree = document(arabic)
    root = tree.getroottree().getroot()
    assert (root.get("lang"), root.get("dir")) == ("ar", "rtl")
    assert arabic["Content-Language"] == "ar"
    assert tree.xpath("string(//h1)").strip() == ARABIC_TITLE
    # The interface around the article speaks Arabic too, not only the article.
    assert tree.xpath("string(//a[@class='discussion__jump'])") == "أضف تعليقًا"
    assert tree.xpath("string(//a[@class='skip-link'])") == "انتقل إلى المحتوى"
    assert "Add a comment" not in arabic.content.decode()

    english = client.get(an_article.url)
    tree = document(english)
    root = tree.getroottree().getroot()
    assert (root.get("lang"), root.get("dir")) == ("en", "ltr")
    assert tree.xpath("string(//h1)").strip() == ENGLISH_TITLE
    assert tree.xpath("string(//a[@class='discussion__jump'])") == "Add a comment"


def test_the_arabic_page_shows_no_english_interface_words(
    client: Client, an_article: Any, an_arabic_article: Any
) -> None:
    """What a reader of the Arabic edition sees or hears (text, labels, placeholders) is Arabic,
    apart from the site's name, the feed formats and content written in English (a byline)."""
    from masthead.discussion.actions import thread_for_page
    from tests.helpers import comment_and_commit

    comment_and_commit(
        thread_for_page(an_arabic_article),
        "تعليق أول على المقال.",
        name="ليلى",
        email="laila@example.com",
    )
    tree = document(client.get(an_arabic_article.url))
    for script in tree.xpath("//script"):
        script.getparent().remove(script)
    allowed = ["Masthead", "RSS", "Atom", "English", "Rana Haddad", "Basra", "water", "agriculture"]
    allowed += ["Correspondent", "Reports on water", "https://", "you@example.org", "Markdown"]
    seen = [text.strip() for text in tree.xpath("//body//text()")]
    seen += tree.xpath("//body//@aria-label | //body//@placeholder | //body//@title")
    english = []
    for text in seen:
        for word in sorted(allowed, key=len, reverse=True):
            text = text.replace(word, "")
        if re.search("[A-Za-z]{2,}", text):
            english.append(text)
    assert english == [], english


def test_each_version_names_the_other_in_hreflang_and_the_switcher(
    client: Client, an_article: Any, an_arabic_article: Any
) -> None:
    arabic = document(client.get(an_arabic_article.url))
    english = document(client.get(an_article.url))
    english_url = english.xpath("string(//link[@rel='canonical']/@href)")
    arabic_url = arabic.xpath("string(//link[@rel='canonical']/@href)")
    assert arabic_url.endswith(an_arabic_article.url) and english_url.endswith(an_article.url)
    expected = {"en": english_url, "ar": arabic_url, "x-default": english_url}
    assert alternates(arabic) == expected
    assert alternates(english) == expected

    assert switcher_links(english) == {"ar": an_arabic_article.url}
    assert switcher_links(arabic) == {"en": an_article.url}
    current = arabic.xpath("//nav[contains(@class, 'language-switcher')]//*[@aria-current='page']")
    assert [(item.text, item.get("lang"), item.get("dir")) for item in current] == [
        ("العربية", "ar", "rtl")
    ]
    # Following the switcher's link reaches the other version.
    assert client.get(switcher_links(english)["ar"]).status_code == 200


def test_the_home_pages_name_each_other(client: Client, an_arabic_article: Any) -> None:
    english = document(client.get("/", HTTP_ACCEPT_LANGUAGE="en"))
    arabic = document(client.get("/ar/"))
    base = english.xpath("string(//link[@rel='canonical']/@href)").removesuffix("/")
    expected = {"en": f"{base}/", "ar": f"{base}/ar/", "x-default": f"{base}/"}
    assert alternates(english) == alternates(arabic) == expected
    assert switcher_links(english) == {"ar": "/ar/"}
    assert switcher_links(arabic) == {"en": "/"}
    # Each edition's header links its own front page and search.
    assert arabic.xpath("string(//a[@class='site-name']/@href)") == "/ar/"
    assert arabic.xpath("string(//form[@role='search']/@action)") == "/ar/search/"
    assert english.xpath("string(//a[@class='site-name']/@href)") == "/"


def test_an_article_without_a_translation_has_no_switcher_nor_alternates(
    client: Client, an_article: Any
) -> None:
    tree = document(client.get(an_article.url))
    assert alternates(tree) == {}
    assert tree.xpath("//nav[contains(@class, 'language-switcher')]") == []


@pytest.mark.parametrize(
    "path",
    ["/xx/", "/zz/middle-east/water-shortages-deepen-along-the-river/", "/ar/no-such-page/"],
)
def test_an_unknown_language_prefix_or_page_is_a_404_page(
    client: Client, an_arabic_article: Any, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 404
    root = html.fromstring(response.content).getroottree().getroot()
    # The Arabic edition's missing page answers in Arabic; an unknown prefix in the default.
    expected = ("ar", "rtl") if path.startswith("/ar/") else ("en", "ltr")
    assert (root.get("lang"), root.get("dir")) == expected


# --- `/` chooses the edition ------------------------------------------------------------------


def test_home_sends_a_reader_to_the_edition_their_browser_prefers(
    client: Client, an_arabic_article: Any
) -> None:
    arabic = client.get("/", HTTP_ACCEPT_LANGUAGE="ar-IQ,ar;q=0.9,en;q=0.5")
    assert (arabic.status_code, arabic["Location"]) == (302, "/ar/")
    assert {"Accept-Language", "Cookie"} <= vary(arabic)

    home = client.get("/ar/")
    tree = document(home)
    assert tree.getroottree().getroot().get("dir") == "rtl"
    assert ARABIC_TITLE in home.content.decode()
    assert ENGLISH_TITLE not in home.content.decode()
    assert "Accept-Language" not in vary(home)  # /ar/ is one copy for every reader

    tagged = client.get("/?utm_source=newsletter&ref=a%26b", HTTP_ACCEPT_LANGUAGE="ar")
    assert tagged["Location"] == "/ar/?utm_source=newsletter&ref=a%26b"

    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,ar;q=0.8")
    assert english.status_code == 200
    assert {"Accept-Language", "Cookie"} <= vary(english)
    assert ENGLISH_TITLE in english.content.decode()


@pytest.mark.parametrize(
    "header", ["", "garbage;;;q=x", "*", "xx-YY", "fr", "en;q=0.9,ar;q=abc", "ar;q=0"]
)
def test_home_keeps_other_readers_on_the_default_edition(
    client: Client, an_arabic_article: Any, header: str
) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=header)
    assert response.status_code == 200, header
    tree = document(response)
    assert tree.getroottree().getroot().get("lang") == "en"


def test_the_switchers_cookie_overrides_the_browsers_language(
    client: Client, an_arabic_article: Any
) -> None:
    client.cookies["django_language"] = "en"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ar").status_code == 200
    client.cookies["django_language"] = "ar"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response["Location"]) == (302, "/ar/")
    client.cookies["django_language"] = "<script>"  # garbage: the header decides
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ar")["Location"] == "/ar/"


def test_a_cached_home_is_never_served_to_a_reader_who_prefers_arabic(
    client: Client, an_arabic_article: Any
) -> None:
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en")["X-Page-Cache"] == "miss"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en")["X-Page-Cache"] == "hit"
    for header in ("ar", "ar-EG", "fr;q=0.9, ar;q=0.8"):
        response = client.get("/", HTTP_ACCEPT_LANGUAGE=header)
        assert (response.status_code, response.get("Location")) == (302, "/ar/"), header
    client.cookies["django_language"] = "ar"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en")["Location"] == "/ar/"


@pytest.mark.django_db(transaction=True)
def test_the_asgi_fast_path_never_serves_the_cached_english_home_to_an_arabic_reader(
    an_arabic_article: Any,
) -> None:
    """Through the app uvicorn serves: its handler answers cached pages before Django's stack."""

    async def visit() -> list[Any]:
        return [
            await asgi_request("GET", "/", headers={"accept-language": "en"}),
            await asgi_request("GET", "/", headers={"accept-language": "en"}),
            await asgi_request("GET", "/", headers={"accept-language": "ar"}),
            await asgi_request("GET", "/", headers={"cookie": "django_language=ar"}),
            await asgi_request("GET", "/ar/", headers={"accept-language": "en"}),
            await asgi_request("GET", "/ar/", headers={"accept-language": "en"}),
        ]

    first, second, arabic, chosen, edition, edition_again = run_async(visit)
    assert (first.status, first.headers["x-page-cache"]) == (200, "miss")
    assert (second.status, second.headers["x-page-cache"]) == (200, "hit")
    assert "Accept-Language" in second.headers["vary"]
    assert (arabic.status, arabic.headers.get("location")) == (302, "/ar/")
    assert (chosen.status, chosen.headers.get("location")) == (302, "/ar/")
    assert edition.status == 200 and 'lang="ar" dir="rtl"' in edition.body.decode()
    assert edition_again.headers["x-page-cache"] == "hit"
    assert ARABIC_TITLE in edition_again.body.decode()


# --- page cache per edition -------------------------------------------------------------------


def test_each_version_of_an_article_is_cached_apart(
    client: Client, an_article: Any, an_arabic_article: Any
) -> None:
    english = client.get(an_article.url)
    assert english["X-Page-Cache"] == "miss"
    assert client.get(an_article.url, HTTP_ACCEPT_LANGUAGE="ar")["X-Page-Cache"] == "hit"
    arabic = client.get(an_arabic_article.url, HTTP_ACCEPT_LANGUAGE="en")
    assert arabic["X-Page-Cache"] == "miss"
    assert ARABIC_TITLE in arabic.content.decode()
    assert ENGLISH_TITLE not in document(arabic).xpath("string(//h1)")
    again = client.get(an_arabic_article.url)
    assert again["X-Page-Cache"] == "hit" and again.content == arabic.content
    back = client.get(an_article.url, HTTP_ACCEPT_LANGUAGE="ar")
    assert back["X-Page-Cache"] == "hit" and back.content == english.content
    assert 'lang="en" dir="ltr"' in back.content.decode()


@pytest.mark.parametrize("path", ["/accounts/login/", "/account/privacy/", "/funding/river-desk/"])
def test_unprefixed_pages_outside_the_editions_speak_the_readers_language(
    client: Client, a_campaign: Any, path: str
) -> None:
    arabic = client.get(path, HTTP_ACCEPT_LANGUAGE="ar")
    tree = document(arabic)
    assert tree.getroottree().getroot().get("dir") == "rtl"
    assert arabic["Content-Language"] == "ar"
    assert {"Accept-Language", "Cookie"} <= vary(arabic)
    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert document(english).getroottree().getroot().get("lang") == "en"
    client.cookies["django_language"] = "ar"  # the switcher's choice wins over the header
    assert client.get(path, HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "ar"


# --- feeds and sitemaps per edition -----------------------------------------------------------


def test_each_editions_feeds_list_its_own_articles(
    client: Client, an_article: Any, an_arabic_article: Any
) -> None:
    for path in ("/ar/feeds/rss.xml", "/ar/feeds/atom.xml", "/ar/feeds/middle-east/rss.xml"):
        feed = feedparser.parse(client.get(path).content)
        assert [entry.title for entry in feed.entries] == [ARABIC_TITLE], path
        assert all("/ar/" in entry.link for entry in feed.entries)
        assert feed.feed.get("language", "ar") == "ar"
    assert feedparser.parse(client.get("/ar/feeds/rss.xml").content).feed.description == (
        "أحدث المقالات من Masthead."
    )
    english = feedparser.parse(client.get("/feeds/rss.xml").content)
    assert [entry.title for entry in english.entries] == [ENGLISH_TITLE]
    assert english.feed.language == "en"
    # Each edition's pages link their own feeds.
    tree = document(client.get(an_arabic_article.url))
    assert tree.xpath("string(//link[@type='application/rss+xml']/@href)") == "/ar/feeds/rss.xml"


def test_each_editions_sitemap_lists_its_pages_with_their_translations(
    client: Client, an_article: Any, an_arabic_article: Any
) -> None:
    namespaces = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "x": "http://www.w3.org/1999/xhtml",
    }

    def entries(path: str) -> dict[str, dict[str, str]]:
        tree = etree.fromstring(client.get(path).content)
        return {
            url.findtext("s:loc", namespaces=namespaces): {
                link.get("hreflang"): link.get("href")
                for link in url.findall("x:link", namespaces=namespaces)
            }
            for url in tree.findall("s:url", namespaces=namespaces)
        }

    english, arabic = entries("/sitemap.xml"), entries("/ar/sitemap.xml")
    english_article = next(loc for loc in english if loc.endswith(an_article.url))
    arabic_article = next(loc for loc in arabic if loc.endswith(an_arabic_article.url))
    assert not any("/ar/" in loc for loc in english)
    assert all("/ar/" in loc for loc in arabic)
    versions = {"en": english_article, "ar": arabic_article}
    assert english[english_article] == versions
    assert arabic[arabic_article] == versions


def test_each_edition_has_its_own_news_sitemap_in_its_language(
    client: Client, an_article: Any, an_arabic_article: Any
) -> None:
    namespaces = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "n": "http://www.google.com/schemas/sitemap-news/0.9",
    }

    def news(path: str) -> list[tuple[str, str]]:
        tree = etree.fromstring(client.get(path).content)
        return [
            (
                url.findtext("n:news/n:title", namespaces=namespaces),
                url.findtext("n:news/n:publication/n:language", namespaces=namespaces),
            )
            for url in tree.findall("s:url", namespaces=namespaces)
        ]

    assert news("/news-sitemap.xml") == [(ENGLISH_TITLE, "en")]
    assert news("/ar/news-sitemap.xml") == [(ARABIC_TITLE, "ar")]
    robots = client.get("/robots.txt").content.decode()
    assert "/ar/sitemap.xml" in robots and "/ar/news-sitemap.xml" in robots


def test_search_and_tag_pages_list_their_own_editions_articles(
    client: Client, an_article: Any, an_arabic_article: Any
) -> None:
    def titles(path: str) -> list[str]:
        tree = document(client.get(path))
        return [h.text_content().strip() for h in tree.xpath("//main//h2 | //main//h3")]

    assert ARABIC_TITLE in titles("/ar/tags/water/")
    assert ENGLISH_TITLE not in titles("/ar/tags/water/")
    assert ENGLISH_TITLE in titles("/tags/water/")
    assert ARABIC_TITLE not in titles("/tags/water/")
    assert ARABIC_TITLE in titles("/ar/search/?q=النهر")
    assert ENGLISH_TITLE in titles("/search/?q=river")
    assert ENGLISH_TITLE not in titles("/ar/search/?q=river")


def test_an_unpublished_translation_is_neither_linked_nor_served(
    client: Client, an_article: Any
) -> None:
    draft = translate_into_arabic(an_article, publish=False)
    tree = document(client.get(an_article.url))
    assert alternates(tree) == {}
    assert switcher_links(tree) == {}
    assert not draft.live
    assert client.get(f"/ar{an_article.url}").status_code == 404


def test_a_language_the_reader_refuses_with_q0_is_never_chosen(
    client: Client, a_thread: Any
) -> None:
    """`ar;q=0` says "not Arabic" (RFC 9110): the API answers in the default language."""
    path = f"/api/v1/threads/{a_thread.pk}/comments"
    assert client.get(path, HTTP_ACCEPT_LANGUAGE="ar;q=0")["Content-Language"] == "en"
    assert client.get(path, HTTP_ACCEPT_LANGUAGE="ar;q=0.1")["Content-Language"] == "ar"


def test_an_unprefixed_page_never_answers_in_a_language_refused_with_q0(
    client: Client, a_campaign: Any
) -> None:
    assert client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ar;q=0")["Content-Language"] == "en"
    assert (
        client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ar;q=0, fr;q=0.2")["Content-Language"]
        == "fr"
    )
    assert (
        client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ar;q=0.1")["Content-Language"] == "ar"
    )
