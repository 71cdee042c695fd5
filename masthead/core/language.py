"""Which language a request is answered in, decided the same way by the full stack and the fast path.

Pages speak their own language: Django's LocaleMiddleware (with `i18n_patterns`) decides it from the
URL prefix. The JSON API and the embed have no page of their own, so they answer in the reader's
`Accept-Language`, among `settings.MASTHEAD_LANGUAGES`; a header that is garbage or names only
languages not offered gives the site's default, never an error.

`request_language(request)` is the one answer for both the full stack and the cache fast path
(`core.fastpath`, which runs before any middleware): caches key their copies by it, so one language's
copy never serves another.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import (
    get_supported_language_variant,
    parse_accept_lang_header,
)

from masthead.core.page_language import chosen_language, is_edition_path

# Paths that answer in the reader's Accept-Language rather than a page's own language.
READER_LANGUAGE_PREFIXES = ("/api/", "/embed/")
LOCALE_MIDDLEWARE = "masthead.core.page_language.PageLanguageMiddleware"


def offered_languages() -> list[str]:
    return list(getattr(settings, "MASTHEAD_LANGUAGES", None) or [settings.LANGUAGE_CODE])


def default_language() -> str:
    offered = offered_languages()
    return settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in offered else offered[0]


def best_offered(codes: list[str]) -> str | None:
    """The first of `codes` (language tags, best first) that the site offers, by base language too."""
    offered = offered_languages()
    for code in codes:
        if not code or code == "*":
            continue
        try:
            supported = get_supported_language_variant(code)
        except LookupError:
            continue
        if supported in offered:
            return supported
    return None


def negotiate(accept_language: str) -> str:
    """The offered language `accept_language` prefers most; the default for anything else."""
    try:
        # q=0 means "not this language" (RFC 9110).
        ranked = [code for code, quality in parse_accept_lang_header(accept_language) if quality > 0]
    except ValueError:  # pragma: no cover - the parser returns () on malformed input
        ranked = []
    return best_offered(ranked) or default_language()


def is_reader_language_path(path: str) -> bool:
    return path.startswith(READER_LANGUAGE_PREFIXES)


def page_language(request: HttpRequest) -> str:
    """The language `core.page_language.PageLanguageMiddleware` activates for `request` (asked the
    same way here, for the fast path, which runs before any middleware)."""
    if LOCALE_MIDDLEWARE not in settings.MIDDLEWARE:
        return settings.LANGUAGE_CODE
    from_path = translation.get_language_from_path(request.path_info)
    if from_path:
        return from_path
    urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
    if is_edition_path(request.path_info, urlconf):
        return settings.LANGUAGE_CODE
    return chosen_language(request)


def request_language(request: HttpRequest) -> str:
    if is_reader_language_path(request.path_info):
        return negotiate(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
    return page_language(request)


class ReaderLanguageMiddleware:
    """Answers the API and the embed in the reader's Accept-Language (after LocaleMiddleware, which
    decides pages' language), and says so with `Vary: Accept-Language`. The language is set back
    afterwards, so the next request on this thread starts from the default."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not is_reader_language_path(request.path_info):
            if LOCALE_MIDDLEWARE not in settings.MIDDLEWARE:
                # Nothing else sets a language per request: never inherit one from an earlier request.
                translation.activate(settings.LANGUAGE_CODE)
            return self.get_response(request)
        language = request_language(request)
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        return response


def reader_language() -> str:
    """The active language if the site offers it, else the default: what a reader's subscription or
    gift records, so later emails speak it."""
    active = translation.get_language() or ""
    return best_offered([active]) or default_language()


def email_language(recorded: str) -> str:
    """The language to write to someone who recorded `recorded` ('' or one no longer offered: the
    site's default)."""
    return best_offered([recorded]) or default_language()
