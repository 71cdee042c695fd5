"""The JavaScript catalog: Django's `JavaScriptCatalog` (gettext, ngettext, pgettext, interpolate) for
one language, at a URL that names the language and the catalogs' stamp, so browsers and CDNs keep it
for a year and a new deployment with changed translations is fetched at once.

Pages load it before their scripts (`{% js_catalog_url %}`); the scripts fall back to English text
when it is missing.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.i18n import JavaScriptCatalog

CATALOG_SECONDS = 365 * 24 * 60 * 60


@lru_cache(maxsize=1)
def catalog_stamp() -> str:
    """A digest of every compiled JavaScript catalog (changes when a translation does)."""
    digest = hashlib.blake2b(digest_size=6)
    for locale_dir in sorted(Path(path) for path in settings.LOCALE_PATHS):
        for compiled in sorted(locale_dir.glob("*/LC_MESSAGES/djangojs.mo")):
            digest.update(compiled.parent.parent.name.encode())
            digest.update(compiled.read_bytes())
    return digest.hexdigest()


def catalog_url(language: str | None = None) -> str:
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    return reverse("js_catalog", kwargs={"language": language, "stamp": catalog_stamp()})


_catalog_view = JavaScriptCatalog.as_view(domain="djangojs")


def js_catalog(request: HttpRequest, language: str, stamp: str) -> HttpResponse:
    if language not in dict(settings.LANGUAGES):
        raise Http404("No such language.")
    with translation.override(language):
        response = _catalog_view(request)
    if stamp == catalog_stamp():
        patch_cache_control(response, public=True, max_age=CATALOG_SECONDS, immutable=True)
    else:  # an old page asking for an earlier stamp: today's catalog, not kept
        patch_cache_control(response, no_cache=True)
    return response  # type: ignore[no-any-return]
