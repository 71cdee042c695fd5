"""WordPress's query links (`/?p=123`, `/?page_id=...`) -> the article an import made of that post.

These URLs name a page that exists here too (the front page), so Wagtail's redirects, which only
answer 404s, never see them. Anything else passes straight through without a query.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.http import HttpRequest, HttpResponseBase, HttpResponsePermanentRedirect

QUERY_KEYS = ("p", "page_id")


def wordpress_post_id(request: HttpRequest) -> str | None:
    if request.method not in ("GET", "HEAD") or not request.META.get("QUERY_STRING"):
        return None
    if request.path not in ("/", "/index.php"):
        return None
    for key in QUERY_KEYS:
        value = request.GET.get(key, "")
        if value.isdigit() and len(value) < 20:
            return value
    return None


def imported_article_url(post_id: str) -> str | None:
    """The live article imported from WordPress post `post_id` (newest import first), or None."""
    from wagtail.models import Page

    from masthead.migration.models import ImportedObject

    rows = ImportedObject.objects.filter(
        kind="article", source_id=post_id, source__startswith="wordpress:"
    ).order_by("-imported_at")
    for object_id in rows.values_list("object_id", flat=True)[:5]:
        page = Page.objects.filter(pk=object_id, live=True).first()
        if page is not None and page.url:
            return str(page.url)
    return None


class WordPressQueryLinkMiddleware:
    async_capable = True
    sync_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        if self.is_async:
            return self.__acall__(request)
        post_id = wordpress_post_id(request)
        url = imported_article_url(post_id) if post_id else None
        if url:
            return HttpResponsePermanentRedirect(url)
        response: HttpResponseBase = self.get_response(request)
        return response

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        post_id = wordpress_post_id(request)
        url = await sync_to_async(imported_article_url)(post_id) if post_id else None
        if url:
            return HttpResponsePermanentRedirect(url)
        response: HttpResponseBase = await self.get_response(request)
        return response
