"""The JSON API answers in the reader's Accept-Language (among MASTHEAD_LANGUAGES), never crashes on
a bad header, keeps its error codes untranslated and says which language it chose."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from tests.helpers import hostile_strings

pytestmark = pytest.mark.django_db

NOT_FOUND = {
    "en": "There is no such API endpoint.",
    "ar": "لا توجد نقطة نهاية API بهذا العنوان.",
    "es": "No existe ese punto de acceso de la API.",
    "fr": "Ce point d’accès de l’API n’existe pas.",
    "ru": "Такого адреса в API нет.",
    "tr": "Böyle bir API uç noktası yok.",
}


def unknown_endpoint(accept_language: str | None) -> Any:
    headers = {} if accept_language is None else {"HTTP_ACCEPT_LANGUAGE": accept_language}
    return Client().get("/api/v1/no-such-endpoint", **headers)


@pytest.mark.parametrize("language", sorted(NOT_FOUND))
def test_error_messages_speak_the_readers_language_and_codes_do_not(language: str) -> None:
    response = unknown_endpoint(f"{language},en;q=0.5")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert response.json()["message"] == NOT_FOUND[language]
    assert response["Content-Language"] == language
    assert "Accept-Language" in response["Vary"]


def test_the_first_offered_language_wins_and_regions_fall_back_to_their_language() -> None:
    assert unknown_endpoint("zh-CN, fr-CA;q=0.9, ar;q=0.8").json()["message"] == NOT_FOUND["fr"]
    assert unknown_endpoint("es-MX").json()["message"] == NOT_FOUND["es"]


@pytest.mark.parametrize(
    "header",
    ["", "xx", "zh-Hant", "*", ";;;,,,q=", "ar;q=abc", "en;q=0, de", "a" * 5000, "ar-" * 400],
)
def test_garbage_or_languages_not_offered_get_the_default(header: str) -> None:
    response = unknown_endpoint(header)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    # "ar;q=abc" is malformed as a whole, so it is ignored rather than half-read.
    assert response.json()["message"] == NOT_FOUND["en"]


def test_no_header_gets_the_default() -> None:
    assert unknown_endpoint(None).json()["message"] == NOT_FOUND["en"]


def test_masthead_language_sets_the_default(settings: Any) -> None:
    settings.LANGUAGE_CODE = "es"
    assert unknown_endpoint(None).json()["message"] == NOT_FOUND["es"]
    assert unknown_endpoint("xx").json()["message"] == NOT_FOUND["es"]


def test_masthead_languages_narrows_what_the_api_speaks(settings: Any) -> None:
    settings.MASTHEAD_LANGUAGES = ["en", "es"]
    assert unknown_endpoint("ar").json()["message"] == NOT_FOUND["en"]
    assert unknown_endpoint("ar, es;q=0.5").json()["message"] == NOT_FOUND["es"]


def test_hostile_headers_never_break_an_answer() -> None:
    for line in hostile_strings("xss.txt") + hostile_strings("sqli.txt"):
        response = unknown_endpoint(line)
        assert response.status_code == 404, (line, response.content[:200])
        assert response.json()["error"] == "not_found"


def test_a_string_missing_from_a_catalog_falls_back_to_english() -> None:
    from django.utils.translation import gettext

    with translation.override("ar"):
        assert gettext("A sentence no catalog has yet.") == "A sentence no catalog has yet."
        assert gettext("There is no such API endpoint.") == NOT_FOUND["ar"]


def test_field_messages_are_translated_with_their_field_names_kept(a_thread: Any) -> None:
    from tests.helpers import Reader

    reader = Reader(HTTP_ACCEPT_LANGUAGE="ru")
    reader.me(a_thread.pk)
    response = reader.post(f"/api/v1/threads/{a_thread.pk}/comments", {"body": "  ", "name": "Ada"})
    assert response.status_code == 400
    data = response.json()
    assert data["error"] == "invalid"
    assert data["message"] == "Напишите комментарий."
    assert data["fields"] == {"body": "Обязательное поле."}


def test_the_js_catalog_is_served_per_language_and_kept_for_a_year() -> None:
    from masthead.core.js_catalog import catalog_url

    with translation.override("ar"):
        url = catalog_url()
    response = Client().get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert json.dumps("الآن")[1:-1] in body  # "just now", as the catalog's JSON writes it
    assert "nplurals" in body or "pluralidx" in body
    assert "max-age=31536000" in response["Cache-Control"]
    assert Client().get(url.replace("/ar/", "/xx/")).status_code == 404
    stale = Client().get(url.replace(url.split("/")[3], "0123456789ab"))
    assert "max-age=31536000" not in stale.get("Cache-Control", "")
