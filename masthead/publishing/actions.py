"""Writes for publishing: site set-up and article creation, used by the demo, commands and tests."""

from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass
class NewArticle:
    """One article for `add_articles_in_bulk`: an unsaved page with its fields set, and what
    `create_article` would add to it."""

    page: ArticlePage
    authors: list[Author] = field(default_factory=list)
    tags: list[Any] = field(default_factory=list)  # taggit Tag rows (resolved by the caller)
    publish: bool = True
    first_published_at: datetime | None = None


@transaction.atomic
def add_articles_in_bulk(section: SectionPage, new: list[NewArticle]) -> list[ArticlePage]:
    """Create many new articles under `section` at once, for imports: the rows `create_article`
    writes (page and its place in the tree, one revision, the live revision when published, bylines,
    tags, a "wagtail.publish" log entry), in a few multi-row statements instead of ~70 queries each.

    Preconditions: each page is new and its slug is free among the section's children and in `new`
    (the caller checks); scheduled pages (`go_live_at`) go through `create_article` instead. Fields
    are validated without the per-row database checks (`clean_fields`); a `ValidationError` is raised
    before anything is written. Side effects on commit, once for the batch: the publishing cache
    bump that `page_published` would make per page, and one task that search-indexes and
    reference-indexes the batch (what Wagtail's `post_save` handlers enqueue a task each for). Per-page signals are not
    sent: threads for the pages are made by the caller (the import writer).
    """
    if not new:
        return []
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import F
    from django.utils import timezone
    from wagtail.models import PageLogEntry, Revision

    from masthead.publishing.models import ArticleTag

    parent = Page.objects.select_for_update().get(pk=section.pk)
    last = parent.get_last_child()
    position = last._get_lastpos_in_path() if last is not None else 0
    specific_type = ContentType.objects.get_for_model(ArticlePage)
    base_type = ContentType.objects.get_for_model(Page)
    now = timezone.now()
    depth = parent.depth + 1
    max_path = Page._meta.get_field("path").max_length
    pages: list[ArticlePage] = []
    for offset, item in enumerate(new, start=1):
        page = item.page
        if page.pk is not None or page.go_live_at is not None:
            raise ValueError("add_articles_in_bulk takes new, unscheduled pages only")
        page.depth = depth
        page.path = Page._get_path(parent.path, depth, position + offset)
        if len(page.path) > max_path:
            raise ValueError(f"the section {parent.title!r} has no room for more pages")
        page.numchild = 0
        page.content_type = specific_type
        page.locale_id = parent.locale_id
        page.draft_title = page.title
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.live = item.publish
        page.has_unpublished_changes = not item.publish
        page.first_published_at = (item.first_published_at or now) if item.publish else None
        page.last_published_at = now if item.publish else None
        page.latest_revision_created_at = now
        page.clean_fields(exclude=[f.name for f in ArticlePage._meta.fields if f.is_relation])
        for order, author in enumerate(item.authors):
            page.article_authors.add(ArticleAuthor(author=author, sort_order=order))
        if item.tags:
            page.tags.add(*item.tags)
        pages.append(page)
    # The base rows (ids come back), then each page's own row; no signals, as with a raw save.
    Page.objects.bulk_create(pages, batch_size=200)
    for page in pages:
        page.page_ptr_id = page.id
        page._state.adding = False
        _insert_own_row(page)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    links: list[ArticleAuthor] = []
    tagged: list[ArticleTag] = []
    for page in pages:
        for link in page.article_authors.all():
            link.article_id = page.pk
            links.append(link)
        for tag_item in page.tagged_items.all():
            tag_item.content_object_id = page.pk
            tagged.append(tag_item)
    ArticleAuthor.objects.bulk_create(links, batch_size=500)
    ArticleTag.objects.bulk_create(tagged, batch_size=500)
    revisions = Revision.objects.bulk_create(
        [
            Revision(
                content_type=specific_type,
                base_content_type=base_type,
                object_id=str(page.pk),
                created_at=now,
                content=page.serializable_data(),
                object_str=str(page),
            )
            for page in pages
        ],
        batch_size=200,
    )
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = revision
        page.live_revision = revision if page.live else None
    Page.objects.bulk_update(pages, ["latest_revision", "live_revision"], batch_size=200)
    PageLogEntry.objects.bulk_create(
        [
            PageLogEntry(
                content_type=specific_type,
                label=page.get_admin_display_title(),
                action="wagtail.publish",
                timestamp=now,
                data={},
                page_id=page.pk,
                revision=revision,
                content_changed=True,
            )
            for page, revision in zip(pages, revisions, strict=True)
            if page.live
        ],
        batch_size=500,
    )
    ids = [int(page.pk) for page in pages]
    transaction.on_commit(lambda: _after_bulk_articles(ids), robust=True)
    return pages


def _insert_own_row(page: ArticlePage) -> None:
    """Insert the page's own table row only (its Page row exists): a raw save, as fixtures load."""
    page.save_base(raw=True, force_insert=True)


def _after_bulk_articles(ids: list[int]) -> None:
    from masthead.core import cache_versions
    from masthead.publishing.tasks import index_articles_task

    cache_versions.bump_now("publishing", "")
    index_articles_task.enqueue(ids)  # one task for the batch, not two per page
