"""Which language a request speaks: Django's LocaleMiddleware, split by kind of URL.

Reader pages, their feeds, sitemaps, search and tag pages are editions (`i18n_patterns` in urls.py):
`/ar/...` speaks Arabic, an unprefixed one the default language (`MASTHEAD_LANGUAGE`), whatever the
reader's browser says, so one URL is always one copy (the page cache and CDNs key on the URL alone).
A served page then speaks its own locale (publishing/wagtail_hooks.py). Every other unprefixed path
(accounts, the donation flow, subscription pages) speaks the reader's choice: the language cookie set
by the switcher, else Accept-Language, else the default; those answers carry `Vary: Accept-Language`.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.urls import URLResolver, get_resolver
from django.urls.exceptions import Resolver404
from django.urls.resolvers import LocalePrefixPattern
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header


def is_edition_path(path_info: str, urlconf: str | None = None) -> bool:
    """Whether an unprefixed path is answered by the edition URLs (i18n_patterns) in the default
    language, rather than by one of the unprefixed apps listed before them."""
    relative = path_info[1:] if path_info.startswith("/") else path_info  # as the root resolver does
    with translation.override(settings.LANGUAGE_CODE):
        for pattern in get_resolver(urlconf).url_patterns:
            try:
                matched = pattern.resolve(relative)
            except Resolver404:
                continue
            if matched:
                return isinstance(pattern, URLResolver) and isinstance(
                    pattern.pattern, LocalePrefixPattern
                )
    return False


def chosen_language(request: HttpRequest) -> str:
    """The reader's own choice: the switcher's cookie, then Accept-Language, then the default.
    A malformed header or cookie counts as no choice (Django's parser ignores what it cannot read),
    and so does a language given `q=0`, which means "not this one" (RFC 9110)."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    accepted = ", ".join(f"{code};q={q}" for code, q in parse_accept_lang_header(header) if q > 0)
    # Django's parser would take a refused language as a wish: it is asked about the rest only.
    asked = SimpleNamespace(COOKIES=request.COOKIES, META={"HTTP_ACCEPT_LANGUAGE": accepted})
    return translation.get_language_from_request(asked, check_path=False)  # type: ignore[arg-type]


class PageLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        language = translation.get_language_from_path(request.path_info)
        if language is None:
            edition = is_edition_path(request.path_info, urlconf)
            request.masthead_edition_path = edition  # type: ignore[attr-defined]
            language = settings.LANGUAGE_CODE if edition else chosen_language(request)
        else:
            request.masthead_edition_path = True  # type: ignore[attr-defined]
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not getattr(request, "masthead_edition_path", False):
            # Answers that follow the reader's choice differ by header and cookie.
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
