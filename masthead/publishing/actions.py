"""Writes for publishing: site set-up and article creation, used by the demo, commands and tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page, Site

from masthead.publishing.models import ArticleAuthor, ArticlePage, Author, HomePage, SectionPage


@transaction.atomic
def ensure_home_page() -> HomePage:
    """The site's HomePage, replacing Wagtail's placeholder 'Welcome' page on a new install."""
    existing = (
        HomePage.objects.filter(locale=Locale.get_default()).first() or HomePage.objects.first()
    )
    if existing is not None:
        return existing
    root = Page.get_first_root_node()
    home = HomePage(
        title=settings.SITE_NAME, slug="home", intro="Independent journalism, supported by readers."
    )
    placeholders = [page for page in root.get_children() if page.specific_class is Page]
    for page in placeholders:
        # A queryset update: saving would queue index tasks for a page that is deleted below.
        Page.objects.filter(pk=page.pk).update(slug=f"{page.slug}-old-{page.pk}")
    root.add_child(instance=home)
    home.save_revision().publish()
    base = urlparse(settings.WAGTAILADMIN_BASE_URL)
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.hostname = base.hostname or "localhost"
    site.port = base.port or (443 if base.scheme == "https" else 80)
    site.root_page = home
    site.site_name = settings.SITE_NAME
    site.save()
    for page in placeholders:
        page.delete()
    return home


@transaction.atomic
def create_section(home: HomePage, title: str, slug: str, intro: str = "") -> SectionPage:
    section = SectionPage(title=title, slug=slug, intro=intro)
    home.add_child(instance=section)
    section.save_revision().publish()
    return section


@transaction.atomic
def create_article(
    section: SectionPage,
    title: str,
    *,
    slug: str | None = None,
    standfirst: str = "",
    body: list[tuple[str, Any]] | None = None,
    authors: list[Author] | None = None,
    tags: list[str] | None = None,
    dateline: str = "",
    featured_image: Any = None,
    featured_image_caption: str = "",
    featured_image_credit: str = "",
    first_published_at: datetime | None = None,
    publish: bool = True,
    go_live_at: datetime | None = None,
    inline_highlights: str = "",
) -> ArticlePage:
    """Create an article under `section`, published now (or scheduled with `go_live_at`, or left a draft).

    `inline_highlights` is the article's reader-highlights choice ("on", "off", "" to inherit).
    """
    from django.utils.text import slugify

    article = ArticlePage(
        title=title,
        slug=slug or slugify(title)[:80],
        standfirst=standfirst,
        dateline=dateline,
        body=body or [],
        featured_image=featured_image,
        featured_image_caption=featured_image_caption,
        featured_image_credit=featured_image_credit,
        go_live_at=go_live_at,
        inline_highlights=inline_highlights,
    )
    if not publish or go_live_at is not None:
        article.live = False
    for order, author in enumerate(authors or []):
        article.article_authors.add(ArticleAuthor(author=author, sort_order=order))
    if tags:
        article.tags.add(*tags)
    section.add_child(instance=article)
    revision = article.save_revision()
    if publish or go_live_at is not None:
        revision.publish()
        article.refresh_from_db()
    if first_published_at is not None and article.live:
        ArticlePage.objects.filter(pk=article.pk).update(first_published_at=first_published_at)
        article.refresh_from_db()
    return article


@transaction.atomic
def update_article(article: ArticlePage, *, publish: bool = True, **fields: Any) -> ArticlePage:
    """Change an article's fields as a new revision, published at once unless `publish=False` (a draft).

    Publishing sends Wagtail's `page_published`, which invalidates cached pages on commit.
    """
    for name, value in fields.items():
        setattr(article, name, value)
    revision = article.save_revision()
    if publish:
        revision.publish()
        article.refresh_from_db()
    return article


@transaction.atomic
def unpublish_article(article: ArticlePage) -> ArticlePage:
    """Take an article off the site (it stays in the admin as a draft); cached pages miss on commit."""
    article.unpublish()
    article.refresh_from_db()
    return article


@transaction.atomic
def translate_page(
    page: Page,
    language: str,
    *,
    publish: bool = True,
    first_published_at: datetime | None = None,
    **fields: Any,
) -> Page:
    """The translation of `page` into `language` with `fields` (title, body...), made or updated.

    The page's parent must already have a translation in that language (translate the home, then
    sections, then articles). A new translation starts as Wagtail's copy of the page (same slug,
    same translation_key), the way wagtail-localize's "Translate" does; editors then keep it in
    step in wagtail-localize's editor. Published unless `publish=False`.
    """
    locale = Locale.objects.get(language_code=language)
    translated = page.specific.get_translation_or_none(locale)
    if translated is None:
        translated = page.specific.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translated, name, value)
    revision = translated.save_revision()
    if publish:
        revision.publish()
        translated.refresh_from_db()
    if first_published_at is not None and translated.live:
        Page.objects.filter(pk=translated.pk).update(first_published_at=first_published_at)
        translated.first_published_at = first_published_at
    return translated
