"""Editions: the site in each content language, and the translations of one page.

An edition is a live HomePage in a locale (the default language's at `/`, the others at `/<code>/`).
A translation of a page is a page with the same `translation_key` in another locale (Wagtail's
built-in locales; wagtail-localize keeps them in step). Readers meet these in three places: `/`
sends them to the edition they prefer, every page names its translations (`hreflang`), and the
switcher in the header links to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

LANGUAGE_NAMES = dict(settings.LANGUAGES)
LANGUAGE_ORDER = {code: index for index, (code, _name) in enumerate(settings.LANGUAGES)}
# Languages written right to left, of those Masthead offers or may offer (Django's LANGUAGES_BIDI).
RTL_LANGUAGES = frozenset(settings.LANGUAGES_BIDI)


@dataclass(frozen=True)
class Translation:
    """One language version of a page, as the switcher and the alternate links show it."""

    language: str
    name: str
    url: str
    full_url: str
    is_current: bool

    @property
    def direction(self) -> str:
        return "rtl" if self.language in RTL_LANGUAGES else "ltr"


def active_language() -> str:
    """The active language as a content language code ("ar", "en"...)."""
    from wagtail.coreutils import get_supported_content_language_variant

    try:
        return str(get_supported_content_language_variant(translation.get_language()))
    except LookupError:
        return str(settings.LANGUAGE_CODE)


def live_editions() -> dict[str, str]:
    """Language code -> URL of that edition's home, for every live home page."""
    from masthead.publishing.models import HomePage

    homes = HomePage.objects.live().public().select_related("locale")
    return {home.locale.language_code: home.url for home in homes if home.url}


def preferred_languages(request: HttpRequest) -> list[str]:
    """The reader's languages, best first: the switcher's cookie, then Accept-Language (q > 0).
    Garbage in either is ignored, never an error."""
    from wagtail.coreutils import get_supported_content_language_variant

    wanted: list[str] = []
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    header = request.headers.get("Accept-Language", "")
    # q=0 means "not this language" (RFC 9110), so such an entry is no preference at all.
    candidates = [cookie, *(code for code, q in parse_accept_lang_header(header) if q > 0)]
    for candidate in candidates:
        if not candidate or candidate == "*":
            continue
        try:
            code = str(get_supported_content_language_variant(candidate))
        except LookupError:
            continue
        if code not in wanted:
            wanted.append(code)
    return wanted


def prefers_other_edition(request: HttpRequest) -> bool:
    """Without the database (the fast path asks): could this reader be sent away from `/`?
    True when their first known language is not the default one."""
    wanted = preferred_languages(request)
    return bool(wanted) and wanted[0] != settings.LANGUAGE_CODE


def edition_redirect(request: HttpRequest) -> HttpResponse | None:
    """At `/`: a 302 to the edition the reader prefers, when that is not the default one and exists."""
    if not prefers_other_edition(request):
        return None
    editions = live_editions()
    for language in preferred_languages(request):
        if language == settings.LANGUAGE_CODE:
            return None
        if language in editions:
            # A campaign's ?utm_... (or any other query) survives the move.
            query = request.META.get("QUERY_STRING", "")
            target = f"{editions[language]}?{query}" if query else editions[language]
            response = HttpResponseRedirect(target)
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
            return response
    return None


def page_translations(page: Any, request: HttpRequest | None = None) -> list[Translation]:
    """The live, public language versions of `page` (itself included), in the order of LANGUAGES."""
    if page is None or getattr(page, "translation_key", None) is None:
        return []
    pages = page.get_translations(inclusive=True).live().public().select_related("locale")
    found = []
    for version in pages:
        code = version.locale.language_code
        url = version.get_url(request=request)
        if not url:
            continue
        found.append(
            Translation(
                language=code,
                name=LANGUAGE_NAMES.get(code, code),
                url=url,
                full_url=version.get_full_url(request=request) or url,
                is_current=version.pk == page.pk,
            )
        )
    return sorted(found, key=lambda item: LANGUAGE_ORDER.get(item.language, len(LANGUAGE_ORDER)))


def x_default_url(versions: list[Translation]) -> str | None:
    """For readers of no listed language: the default language's version (for the home that is `/`,
    which then chooses by Accept-Language)."""
    for item in versions:
        if item.language == settings.LANGUAGE_CODE:
            return item.full_url
    return None
