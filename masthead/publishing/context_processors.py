from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.functional import SimpleLazyObject


def navigation(request: HttpRequest) -> dict[str, object]:
    """Sections for the site header, queried only when a template uses them."""
    from masthead.publishing.queries import sections

    return {"site_sections": SimpleLazyObject(lambda: list(sections()))}


def edition_prefix_of(request: HttpRequest) -> str:
    """The URL prefix ("" or "/ar") of the edition in the request's language: its front page, feeds
    and search."""
    from masthead.publishing.editions import active_language, live_editions

    language = active_language()
    if language == settings.LANGUAGE_CODE:
        return ""
    # An edition URL speaks its edition's language; elsewhere the reader's language may have none.
    if getattr(request, "masthead_edition_path", False) or language in live_editions():
        return f"/{language}"
    return ""


def _alternates(request: HttpRequest) -> list[dict[str, str]]:
    from masthead.publishing.editions import page_translations, x_default_url

    versions = page_translations(getattr(request, "masthead_page", None), request)
    if len(versions) < 2:
        return []
    links = [{"hreflang": item.language, "href": item.full_url} for item in versions]
    x_default = x_default_url(versions)
    if x_default:
        links.append({"hreflang": "x-default", "href": x_default})
    return links


def language(request: HttpRequest) -> dict[str, Any]:
    """`<html lang dir>`, the edition's URL prefix ("" or "/ar") for its feeds, search and front page,
    and the served page's translations (alternate links, the language switcher)."""
    from masthead.publishing.editions import page_translations

    code = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "html_lang": code,
        "html_dir": "rtl" if translation.get_language_bidi() else "ltr",
        "edition_prefix": SimpleLazyObject(lambda: edition_prefix_of(request)),
        "edition_alternates": SimpleLazyObject(lambda: _alternates(request)),
        "page_translations": SimpleLazyObject(
            lambda: page_translations(getattr(request, "masthead_page", None), request)
        ),
    }
