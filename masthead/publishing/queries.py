"""Reads for publishing pages: listings that stay a fixed number of queries whatever the site's size."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet
from wagtail.query import PageQuerySet

from masthead.publishing.models import ArticleAuthor, ArticlePage, SectionPage


def in_edition(queryset: Any, language: str | None = None) -> Any:
    """Only the pages of one edition: `language`, or the active language (the page being served
    speaks its own locale, so an Arabic home lists Arabic articles)."""
    from wagtail.models import Locale

    from masthead.publishing.editions import active_language

    # By id rather than through a join: search backends filter on the page's own fields only.
    locale_id = (
        Locale.objects.filter(language_code=language or active_language())
        .values_list("id", flat=True)
        .first()
    )
    return queryset.filter(locale_id=locale_id)


def _listing(queryset: Any) -> QuerySet[ArticlePage]:
    """Live public articles, newest first, with pictures and bylines loaded (three queries in all)."""
    pages: PageQuerySet = queryset
    return (
        in_edition(pages)
        .live()
        .public()
        .select_related("featured_image")
        .prefetch_related(
            Prefetch("article_authors", queryset=ArticleAuthor.objects.select_related("author"))
        )
        .order_by("-first_published_at", "-pk")
    )


def latest_articles(limit: int = 12) -> QuerySet[ArticlePage]:
    return _listing(ArticlePage.objects.all())[:limit]


def section_articles(section: SectionPage) -> QuerySet[ArticlePage]:
    return _listing(ArticlePage.objects.child_of(section))


def tagged_articles(tag_slug: str) -> QuerySet[ArticlePage]:
    return _listing(ArticlePage.objects.filter(tags__slug=tag_slug)).distinct()


def sections() -> QuerySet[SectionPage]:
    return in_edition(SectionPage.objects.live().public()).order_by("path")


def sections_with_latest(per_section: int = 4) -> list[dict[str, Any]]:
    return [
        {"section": section, "articles": list(section_articles(section)[:per_section])}
        for section in sections()
    ]


def with_sections(articles: Iterable[ArticlePage]) -> list[ArticlePage]:
    """The articles, each with `listing_section` set from one query for all sections (no N+1)."""
    articles = list(articles)
    by_path = {section.path: section for section in sections()}
    for article in articles:
        article.listing_section = by_path.get(article.path[: -ArticlePage.steplen])  # type: ignore[attr-defined]
    return articles
