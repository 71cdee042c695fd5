"""Discussion of translated pages (docs/languages-multilingual.md).

A translation either shares its original's thread (the site's `translation_threads` setting is
"shared": every edition shows and adds to one conversation) or has its own (the default), and then
links to the original's discussion ("12 comments on the English version"). The original is the
page's version in the site's default language.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from wagtail.models import Page


def original_page_id(page: Any) -> int | None:
    """The id of `page`'s live version in the default language, when `page` is a translation."""
    key = getattr(page, "translation_key", None)
    if key is None:
        return None
    return (
        Page.objects.live()
        .filter(translation_key=key, locale__language_code=settings.LANGUAGE_CODE)
        .exclude(pk=page.pk)
        .values_list("pk", flat=True)
        .first()
    )


def shares_original_thread(page: Any) -> bool:
    from masthead.discussion.policy import TranslationThreads, site_settings

    return site_settings(page).translation_threads == TranslationThreads.SHARED


def discussion_page(page: Any) -> Any:
    """The page whose thread `page` shows: its original's when translations share it, else itself."""
    if not shares_original_thread(page):
        return page
    original_id = original_page_id(page)
    if original_id is None:
        return page
    return Page.objects.get(pk=original_id).specific


def thread_dependencies(page: Any) -> list[tuple[str, str]]:
    """Version counters of the discussions a page shows: its own thread and, on a translation, the
    original's (shared, or counted in the link to it)."""
    dependencies = [("thread", str(page.pk))]
    original_id = original_page_id(page)
    if original_id is not None:
        dependencies.append(("thread", str(original_id)))
    return dependencies


def page_written_from(page: Any, referer: str) -> Any:
    """The version of `page` a reader posted from: its live translation whose URL is the path of
    `referer` (a translation showing `page`'s shared thread), else `page` itself. Only pages of
    the database are returned, so a forged Referer leads nowhere else."""
    path = urlsplit(referer).path
    if not path or path == page.url or getattr(page, "translation_key", None) is None:
        return page
    for version in page.get_translations().live().public().specific():
        if version.url == path and discussion_page(version).pk == page.pk:
            return version
    return page
