"""Serving a page in its own language (docs/languages-multilingual.md)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from wagtail import hooks

from masthead.publishing.editions import edition_redirect


@hooks.register("before_serve_page")
def speak_the_page_language(
    page: Any, request: HttpRequest, serve_args: Any, serve_kwargs: Any
) -> HttpResponse | None:
    """An Arabic page is Arabic all round: its locale is the active language while it is served.

    `/` sends a reader who prefers another existing edition there. A prefixed URL whose edition has
    no such page (Wagtail routes `/es/...` through the default home when there is no Spanish one)
    is sent to the page's own URL rather than serving one copy under two addresses.
    """
    if request.path_info == "/":
        redirect = edition_redirect(request)
        if redirect is not None:
            return redirect
    language = page.locale.language_code
    if translation.get_language_from_path(request.path_info) not in (None, language):
        url = page.get_url(request=request)
        if url and url != request.path:
            return HttpResponseRedirect(url)
    translation.activate(language)
    request.LANGUAGE_CODE = language
    request.masthead_page = page  # type: ignore[attr-defined]  # its translations, for the header
    return None
