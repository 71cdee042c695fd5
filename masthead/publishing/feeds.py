"""RSS 2.0 and Atom feeds for the whole site and for each section."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext

from masthead.publishing import queries
from masthead.publishing.models import ArticlePage, SectionPage

FEED_LENGTH = 30


def edition_prefix() -> str:
    """Feeds are per edition (/ar/feeds/rss.xml lists the Arabic articles): their own links too."""
    from masthead.publishing.editions import active_language

    language = active_language()
    return "" if language == settings.LANGUAGE_CODE else f"/{language}"


class _ArticleFeed(Feed):
    feed_type: Any = Rss201rev2Feed

    def items(self, obj: SectionPage | None = None) -> Any:
        if obj is None:
            return queries.latest_articles(limit=FEED_LENGTH)
        return queries.section_articles(obj)[:FEED_LENGTH]

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        return item.summary_text()

    def item_link(self, item: ArticlePage) -> str:
        return item.get_full_url(request=self.request) or item.url or "/"

    def item_guid(self, item: ArticlePage) -> str:
        return self.item_link(item)

    def item_pubdate(self, item: ArticlePage) -> Any:
        return item.first_published_at

    def item_updateddate(self, item: ArticlePage) -> Any:
        return item.last_published_at or item.first_published_at

    def item_author_name(self, item: ArticlePage) -> str | None:
        names = [author.name for author in item.authors]
        return ", ".join(names) or None

    def item_categories(self, item: ArticlePage) -> list[str]:
        return [tag.name for tag in item.tags.all()]

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.request = request
        return super().__call__(request, *args, **kwargs)


class SiteRssFeed(_ArticleFeed):
    def title(self) -> str:
        return settings.SITE_NAME

    def link(self) -> str:
        return f"{edition_prefix()}/"

    def description(self) -> str:
        return gettext("The latest articles from %(site)s.") % {"site": settings.SITE_NAME}

    def feed_url(self) -> str:
        return f"{edition_prefix()}/feeds/rss.xml"


class SiteAtomFeed(SiteRssFeed):
    feed_type = Atom1Feed
    subtitle = SiteRssFeed.description

    def feed_url(self) -> str:
        return f"{edition_prefix()}/feeds/atom.xml"


class SectionRssFeed(_ArticleFeed):
    def get_object(self, request: HttpRequest, section_slug: str) -> SectionPage:  # type: ignore[override]
        section = queries.sections().filter(slug=section_slug).first()
        if section is None:
            raise Http404("No such section")
        return section

    def title(self, obj: SectionPage) -> str:
        return f"{obj.title} — {settings.SITE_NAME}"

    def link(self, obj: SectionPage) -> str:
        return obj.url or "/"

    def description(self, obj: SectionPage) -> str:
        return obj.intro or f"The latest {obj.title} articles from {settings.SITE_NAME}."

    def feed_url(self, obj: SectionPage) -> str:
        return f"{edition_prefix()}/feeds/{obj.slug}/rss.xml"


class SectionAtomFeed(SectionRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: SectionPage) -> str:
        return self.description(obj)

    def feed_url(self, obj: SectionPage) -> str:
        return f"{edition_prefix()}/feeds/{obj.slug}/atom.xml"
