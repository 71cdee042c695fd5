"""Site-level reader views: search, tag pages, robots.txt, the Google News sitemap, media, error pages."""

from __future__ import annotations

import mimetypes
import os
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
    HttpResponsePermanentRedirect,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since
from taggit.models import Tag
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as sitemap_view
from wagtail.views import serve as wagtail_serve

from masthead.publishing import editions, page_cache, queries
from masthead.publishing.models import ArticlePage, paginate

MAX_QUERY_LENGTH = 200
MAX_SEARCH_WORDS = 12


def serve_page(request: HttpRequest, path: str) -> HttpResponse:
    """Wagtail's page view, behind the page cache's fast path (no page-tree routing on a hit)."""
    return page_cache.cached_response_for_path(request) or wagtail_serve(request, path)


_WORD = re.compile(r"\w+")


def search_terms(query: str) -> str:
    """The words of a query, lower-cased: quotes, operators and punctuation reach no search backend."""
    return " ".join(word.lower() for word in _WORD.findall(query)[:MAX_SEARCH_WORDS])


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = None
    terms = search_terms(query)
    if terms:
        found = queries.in_edition(ArticlePage.objects.live().public()).search(
            terms, operator="and"
        )
        results = paginate(request, found, per_page=10)
        results.object_list = queries.with_sections(results.object_list)
    return render(request, "publishing/search.html", {"query": query, "results": results})


@require_safe
def tag(request: HttpRequest, slug: str) -> HttpResponse:
    tag_object = Tag.objects.filter(slug=slug).first()
    if tag_object is None:
        raise Http404("No such tag")
    articles = paginate(request, queries.tagged_articles(slug))
    articles.object_list = queries.with_sections(articles.object_list)
    return render(request, "publishing/tag.html", {"tag": tag_object, "articles": articles})


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask /favicon.ico whatever the page says; it is the SVG icon pages link to."""
    return HttpResponsePermanentRedirect(static("masthead/favicon.svg"))


@require_safe
@cache_control(max_age=3600, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    base = request.build_absolute_uri("/").rstrip("/")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /accounts/",
        "Disallow: /notifications/",
        "Disallow: /funding/stripe/",
        "Disallow: /search/",
        "",
    ]
    # Each edition has its own sitemaps (docs/languages-multilingual.md).
    for prefix in edition_prefixes():
        lines.append(f"Sitemap: {base}{prefix}/sitemap.xml")
        lines.append(f"Sitemap: {base}{prefix}/news-sitemap.xml")
    lines.append("")
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def edition_prefixes() -> list[str]:
    """URL prefixes of the live editions: "" for the default language, "/ar" for Arabic..."""
    return sorted(
        "" if language == settings.LANGUAGE_CODE else f"/{language}"
        for language in editions.live_editions()
    ) or [""]


class EditionSitemap(Sitemap):
    """Wagtail's sitemap, of the active language's edition only: /sitemap.xml lists the default
    language's pages, /ar/sitemap.xml the Arabic ones (each URL with its translations)."""

    def items(self) -> Any:
        root = self.get_wagtail_site().root_page.localized
        return (
            root.get_descendants(inclusive=True)
            .filter(locale_id=root.locale_id)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )


def edition_sitemap(request: HttpRequest) -> HttpResponse:
    return sitemap_view(request, sitemaps={"pages": EditionSitemap(request)})


@require_safe
def news_sitemap(request: HttpRequest) -> HttpResponse:
    """Google News sitemap: articles first published in the last two days."""
    since = timezone.now() - timedelta(days=2)
    articles = (
        queries.in_edition(ArticlePage.objects.live().public())
        .filter(first_published_at__gte=since)
        .select_related("locale")  # each entry says its language
        .order_by("-first_published_at")[:1000]
    )
    body = render_to_string(
        "publishing/news_sitemap.xml",
        {"articles": articles, "site_name": settings.SITE_NAME, "request": request},
    )
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


@require_safe
def media(request: HttpRequest, path: str) -> HttpResponseBase:
    """Uploaded files, served by the app so a single process is the whole site; byte ranges for video seeking."""
    root = Path(settings.MEDIA_ROOT).resolve()
    full = (root / path).resolve()
    if root not in full.parents or not full.is_file():
        raise Http404("No such file")
    stat = full.stat()
    if not was_modified_since(request.META.get("HTTP_IF_MODIFIED_SINCE"), stat.st_mtime):
        return HttpResponseNotModified()
    content_type = mimetypes.guess_type(str(full))[0] or "application/octet-stream"
    size = stat.st_size
    match = _RANGE.match(request.headers.get("Range", ""))
    response: HttpResponseBase
    if match and (match.group(1) or match.group(2)):
        if match.group(1):
            start = int(match.group(1))
            end = min(int(match.group(2)) if match.group(2) else size - 1, size - 1)
        else:
            start = max(0, size - int(match.group(2)))
            end = size - 1
        if start > end or start >= size:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        handle = full.open("rb")
        handle.seek(start)
        data = handle.read(end - start + 1)
        handle.close()
        response = HttpResponse(data, status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    else:
        response = FileResponse(full.open("rb"), content_type=content_type)
        response["Content-Length"] = str(size)
    response["Accept-Ranges"] = "bytes"
    response["Last-Modified"] = http_date(stat.st_mtime)
    response["X-Content-Type-Options"] = "nosniff"
    if not content_type.startswith(("image/", "video/", "audio/", "text/vtt")):
        response["Content-Disposition"] = f'attachment; filename="{os.path.basename(full)}"'
    return response


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The page for an unexpected error, rendered without the database (it may be what failed): in
    the request's language and direction, linking to that edition's front page."""
    from django.utils import translation

    from masthead.publishing.context_processors import edition_prefix_of

    try:
        prefix = edition_prefix_of(request)
    except Exception:  # the database may be what failed: the default edition's front page then
        prefix = ""
    context = {
        "html_lang": translation.get_language() or settings.LANGUAGE_CODE,
        "html_dir": "rtl" if translation.get_language_bidi() else "ltr",
        "home": f"{prefix}/",
    }
    return HttpResponse(render_to_string("500.html", context), status=500)
