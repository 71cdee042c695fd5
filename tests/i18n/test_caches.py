"""Cached answers are kept per language: one language's copy never serves another."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import Reader

pytestmark = pytest.mark.django_db


def listing(language: str, thread_id: int) -> Any:
    return Reader(HTTP_ACCEPT_LANGUAGE=language).get(f"/api/v1/threads/{thread_id}/comments")


def test_a_cached_thread_page_is_only_served_to_readers_of_its_language(
    a_thread: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        Reader().comment(a_thread.pk, "First!")
    first_ar = listing("ar", a_thread.pk)
    assert "X-Cache" not in first_ar
    assert listing("ar", a_thread.pk)["X-Cache"] == "hit"
    # Another language misses the Arabic copy and gets its own, answered as that language.
    first_es = listing("es", a_thread.pk)
    assert "X-Cache" not in first_es and first_es["Content-Language"] == "es"
    again_es = listing("es", a_thread.pk)
    assert again_es["X-Cache"] == "hit" and again_es["Content-Language"] == "es"
    assert "Accept-Language" in again_es["Vary"]
    # Garbage is the default language, which has a copy of its own too.
    assert "X-Cache" not in listing(";;;", a_thread.pk)
    assert listing("en", a_thread.pk)["X-Cache"] == "hit"


def _arabic_translation(article: Any) -> Any:
    from wagtail.models import Locale

    from masthead.publishing.actions import translate_page

    Locale.objects.get_or_create(language_code="ar")
    section = article.get_parent().specific
    translate_page(section.get_parent().specific, "ar", title="ماستهيد")
    translate_page(section, "ar", title="الشرق الأوسط")
    return translate_page(article, "ar", title="شحّ المياه يشتد على طول النهر")


def test_a_cached_page_is_kept_per_language(client: Any, an_article: Any) -> None:
    arabic_article = _arabic_translation(an_article)
    assert arabic_article.url.startswith("/ar/")

    english = client.get(an_article.url)
    assert english["X-Page-Cache"] == "miss"
    assert "Add a comment" in english.content.decode()
    assert client.get(an_article.url)["X-Page-Cache"] == "hit"

    # The Arabic edition is a copy of its own, in Arabic all round, never the English one.
    arabic = client.get(arabic_article.url, HTTP_ACCEPT_LANGUAGE="en")
    assert arabic["X-Page-Cache"] == "miss"
    html = arabic.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "أضف تعليقًا" in html and "Add a comment" not in html
    assert client.get(arabic_article.url)["X-Page-Cache"] == "hit"

    # A reader whose browser prefers Arabic still gets the English page's English copy.
    back = client.get(an_article.url, HTTP_ACCEPT_LANGUAGE="ar")
    assert back["X-Page-Cache"] == "hit"
    assert "Add a comment" in back.content.decode() and "أضف تعليقًا" not in back.content.decode()


def test_the_fast_path_decides_the_language_as_the_full_stack_does(rf: Any, settings: Any) -> None:
    from masthead.core.language import request_language

    assert request_language(rf.get("/api/v1/threads/1/comments", HTTP_ACCEPT_LANGUAGE="tr")) == "tr"
    assert request_language(rf.get("/news/story/", HTTP_ACCEPT_LANGUAGE="tr")) == "en"
    settings.LANGUAGE_CODE = "fr"
    assert request_language(rf.get("/news/story/")) == "fr"
    assert request_language(rf.get("/api/v1/x", HTTP_ACCEPT_LANGUAGE="xx")) == "fr"
