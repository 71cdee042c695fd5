"""WordPress posts -> Masthead articles (with their sections, bylines, tags, images and old addresses).

Each post is written in its own transaction through publishing's actions, and remembered as an
`ImportedObject` (kind "article", source id = the WordPress post id): a re-run updates the article
it made (a new revision) instead of making another, and skips it when nothing changed.

- categories -> sections: the post's first category is its section (made when missing, the
  category's description its intro); any further categories become tags, beside the post's own tags.
- the author (`dc:creator`, and Co-Authors Plus bylines) -> Author snippets, in order.
- status: publish -> live with WordPress's publish date; future -> scheduled (`go_live_at`);
  draft/pending -> a draft; private -> live behind a view restriction to editors and moderators;
  trash -> a draft, and the report says so.
- images: with `--uploads` (the old wp-content/uploads) each file becomes one Wagtail image, however
  many posts use it; without it an image stays a link to its old URL and the report counts them.
- old addresses: see `redirects.py`.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction

from masthead.migration.models import ImportedObject
from masthead.migration.records import Skip
from masthead.migration.sources import ImportNotes
from masthead.publishing import actions as publishing
from masthead.publishing.models import ArticleAuthor, ArticlePage, Author, HomePage, SectionPage

from . import redirects
from .content import convert_body
from .wpdiscuz import FeedbackForm, place_prompts
from .wxr import WxrAuthor, WxrItem, parse_gmt

logger = logging.getLogger("masthead.migration")

PRIVATE_GROUPS = ("Editors", "Moderators")


@dataclass(slots=True)
class Attachment:
    url: str
    title: str
    caption: str
    alt: str
    file: str  # relative to uploads/ (`_wp_attached_file`)


@dataclass
class ArticleImporter:
    """Writes the articles of one WordPress export; shared state is caches, never open transactions."""

    source: str
    base_url: str
    notes: ImportNotes
    uploads: Path | None = None
    # A dry run is rolled back by the writer; image files would not be, so none are written.
    dry_run: bool = False
    authors: dict[str, WxrAuthor] = field(default_factory=dict)  # by login
    attachments: dict[str, Attachment] = field(default_factory=dict)  # by post id
    category_slugs: dict[str, str] = field(default_factory=dict)  # by term id
    # A category's description (WordPress shows it atop its archive) is its section's intro.
    category_descriptions: dict[str, str] = field(default_factory=dict)  # by slug
    _home: HomePage | None = None
    _sections: dict[str, SectionPage] = field(default_factory=dict)
    _images: dict[str, Any] = field(default_factory=dict)
    _bylines: dict[str, Author] = field(default_factory=dict)
    _dry_run_images: set[str] = field(default_factory=set)
    _tags_redirected: set[str] = field(default_factory=set)  # WordPress tag slugs done this run
    remote_images: int = 0
    sticky: list[tuple[Any, int]] = field(default_factory=list)

    # -- the article -------------------------------------------------------------------------
    def import_post(self, item: WxrItem, forms: Sequence[FeedbackForm] = ()) -> ArticlePage | None:
        """Create or update the article for `item` (one transaction); count it in the report.

        A post Wagtail refuses (a validation error) is reported and skipped, with its comments;
        nothing of it is written, and the import goes on with the next post.
        """
        try:
            return self._import_post(item, list(forms))
        except (ValidationError, ValueError) as error:
            self.forget_cached_rows()  # the rolled-back transaction may have made some of them
            reason = "; ".join(getattr(error, "messages", [])) or str(error)
            self.notes.skip(Skip("post", item.post_id, f"not imported: {reason[:200]}"))
            for comment in item.comments:
                self.notes.skip(Skip("comment", comment.comment_id, "its post was not imported"))
            return None

    def import_posts(
        self, items: list[WxrItem], forms: Mapping[str, Sequence[FeedbackForm]] | None = None
    ) -> list[ArticlePage | None]:
        """`import_post` for each of `items`, in order; the new, plainly published or draft posts
        among them are written together (`publishing.add_articles_in_bulk`, one transaction), the
        others (and posts with wpDiscuz feedback forms, by post id in `forms`) one by one. A post
        Wagtail refuses is reported and skipped as in `import_post`."""
        forms = forms or {}
        known = set(
            ImportedObject.objects.filter(
                source=self.source, kind="article", source_id__in=[item.post_id for item in items]
            ).values_list("source_id", flat=True)
        )
        bulk = [
            item
            for item in items
            if item.post_id not in known and item.post_id not in forms and self._plain_new(item)
        ]
        made: dict[str, ArticlePage | None] = {}
        if bulk:
            try:
                with transaction.atomic():
                    made.update(self._write_new(bulk))
            except (ValidationError, ValueError):
                # One refused post must not cost the others: write them one by one, as before.
                self.forget_cached_rows()
                made.clear()
                bulk = []
        return [
            made[item.post_id]
            if item.post_id in made
            else self.import_post(item, forms.get(item.post_id, ()))
            for item in items
        ]

    def _plain_new(self, item: WxrItem) -> bool:
        if item.status in ("publish", "draft", "pending"):
            return not (item.status == "publish" and item.is_sticky)
        return False

    def _write_new(self, items: list[WxrItem]) -> dict[str, ArticlePage]:
        by_section: dict[int, tuple[SectionPage, list[tuple[WxrItem, publishing.NewArticle]]]] = {}
        taken: dict[int, set[str]] = {}
        tag_rows = self.tag_rows([tag for item in items for tag in self.tags_for(item, [])])
        for item in items:
            section, extra_tags = self.section_for(item)
            if section.pk not in taken:
                taken[section.pk] = set(
                    ArticlePage.objects.child_of(section).values_list("slug", flat=True)
                )
            body = convert_body(item.content, self.image_for, self.base_url)
            self.remote_images += sum(
                1 for src in body.remote_images if _uploads_path(src) not in self._dry_run_images
            )
            featured = self.featured_image(item)
            slug = self.slug_for(item, taken[section.pk])
            taken[section.pk].add(slug)
            names = self.tags_for(item, extra_tags)
            missing = [name for name in names if name not in tag_rows]
            if missing:
                tag_rows.update(self.tag_rows(missing))
            page = ArticlePage(
                title=self.title_of(item),
                slug=slug,
                standfirst=_plain(item.excerpt),
                body=body.blocks,
                featured_image=featured,
                featured_image_caption=self.featured_caption(item) if featured else "",
            )
            entry = publishing.NewArticle(
                page=page,
                authors=self.bylines_for(item),
                tags=[tag_rows[name] for name in names],
                publish=item.status == "publish",
                first_published_at=parse_gmt(item.post_date_gmt),
            )
            by_section.setdefault(section.pk, (section, []))[1].append((item, entry))
        made: dict[str, ArticlePage] = {}
        for section, entries in by_section.values():
            pages = publishing.add_articles_in_bulk(section, [entry for _, entry in entries])
            for (item, _), page in zip(entries, pages, strict=True):
                made[item.post_id] = page
        self.remember_many(
            "article", [(item.post_id, made[item.post_id], self.fingerprint(item)) for item in items]
        )
        redirects.redirect_articles(
            [(item, made[item.post_id]) for item in items], self.base_url
        )
        for item in items:
            self.redirect_tags(item)
            self.notes.count("article", "imported")
        return made

    def title_of(self, item: WxrItem) -> str:
        return (
            html.unescape(item.title).strip()[:255] or f"Untitled (WordPress post {item.post_id})"
        )

    def tag_rows(self, names: list[str]) -> dict[str, Any]:
        """taggit's Tag rows by name, made when missing (as `tags.add(name)` would)."""
        from taggit.models import Tag

        wanted = set(names)
        rows = {tag.name: tag for tag in Tag.objects.filter(name__in=wanted)}
        for name in sorted(wanted - rows.keys()):
            rows[name] = Tag.objects.create(name=name)
        return rows

    def slug_for(self, item: WxrItem, taken: set[str]) -> str:
        """`free_slug` against a known set of the section's slugs (no query per post)."""
        post_name = unquote(item.post_name.removesuffix("__trashed"))
        base = slugify(post_name, allow_unicode=True) or slugify(
            html.unescape(item.title), allow_unicode=True
        )
        base = base[:80] or f"post-{item.post_id}"
        return f"{base[:70]}-{item.post_id}" if base in taken else base

    def forget_cached_rows(self) -> None:
        self._home = None
        self._tags_redirected.clear()
        self._sections.clear()
        self._images.clear()
        self._bylines.clear()

    def _import_post(self, item: WxrItem, forms: list[FeedbackForm]) -> ArticlePage:
        fingerprint = self.fingerprint(item, forms)
        known = self.known("article", item.post_id, ArticlePage)
        if known is not None and known[1] == fingerprint:
            self.notes.count("article", "unchanged")
            article = known[0]
        else:
            with transaction.atomic():
                article = self.write(item, known[0] if known else None, forms)
                self.remember("article", item.post_id, article, fingerprint)
                if item.status != "trash":
                    redirects.redirect_article(item, article, self.base_url)
                    self.redirect_tags(item)
            self.notes.count("article", "updated" if known else "imported")
        if item.status == "trash":
            self.notes.skip(Skip("post", item.post_id, "in WordPress's trash: imported as a draft"))
        if item.is_sticky and item.status == "publish":
            self.sticky.append((parse_gmt(item.post_date_gmt), article.pk))
        return article

    def write(
        self, item: WxrItem, article: ArticlePage | None, forms: list[FeedbackForm] | None = None
    ) -> ArticlePage:
        section, extra_tags = self.section_for(item)
        body = convert_body(item.content, self.image_for, self.base_url)
        if forms:  # wpDiscuz's feedback forms (read with --db): editor prompts
            body.blocks, _placed = place_prompts(
                body.blocks, forms, self.source, item.post_id, self.notes
            )
        self.remote_images += sum(
            1 for src in body.remote_images if _uploads_path(src) not in self._dry_run_images
        )
        title = self.title_of(item)
        tags = self.tags_for(item, extra_tags)
        featured = self.featured_image(item)
        published_at = parse_gmt(item.post_date_gmt)
        fields: dict[str, Any] = {
            "title": title,
            "standfirst": _plain(item.excerpt),
            "body": body.blocks,
            "featured_image": featured,
            "featured_image_caption": self.featured_caption(item) if featured else "",
        }
        status = item.status
        now = timezone.now()
        scheduled = status == "future" and published_at is not None and published_at > now
        publish = status in {"publish", "private"} or (status == "future" and not scheduled)
        if article is None:
            article = publishing.create_article(
                section,
                title,
                slug=self.free_slug(section, item),
                standfirst=fields["standfirst"],
                body=body.blocks,
                authors=self.bylines_for(item),
                tags=tags,
                featured_image=featured,
                featured_image_caption=fields["featured_image_caption"],
                first_published_at=published_at if publish else None,
                publish=publish,
                go_live_at=published_at if scheduled else None,
            )
        else:
            article.tags.set(tags)
            article.article_authors.set(
                [
                    ArticleAuthor(author=author, sort_order=order)
                    for order, author in enumerate(self.bylines_for(item))
                ]
            )
            article.go_live_at = published_at if scheduled else None
            article = publishing.update_article(article, publish=publish or scheduled, **fields)
            if published_at is not None and publish:
                ArticlePage.objects.filter(pk=article.pk).update(first_published_at=published_at)
            if not publish and article.live and status != "future":
                article = publishing.unpublish_article(article)
        self.restrict_if_private(article, private=status == "private")
        return article

    def fingerprint(self, item: WxrItem, forms: Sequence[FeedbackForm] = ()) -> str:
        """What the article is made of: the same post imported again changes nothing."""
        material = [
            item.title,
            item.content,
            item.excerpt,
            item.status,
            item.post_date_gmt,
            item.post_name,
            item.creator,
            sorted(item.terms),
            item.meta.get("_thumbnail_id", ""),
            bool(self.uploads),
        ]
        if forms:  # only then: an export's fingerprints stay what they were
            material.append([[form.unique_id, form.question, form.passage] for form in forms])
        return hashlib.sha256(json.dumps(material).encode()).hexdigest()

    # -- where it goes and who wrote it ------------------------------------------------------
    def home(self) -> HomePage:
        if self._home is None:
            self._home = publishing.ensure_home_page()
        return self._home

    def section_for(self, item: WxrItem) -> tuple[SectionPage, list[str]]:
        categories = [(slug, name) for taxonomy, slug, name in item.terms if taxonomy == "category"]
        if not categories:
            categories = [("uncategorized", "Uncategorized")]
        # Yoast SEO's "primary category" (a term id) is the one the newsroom chose to lead with.
        primary = self.category_slugs.get(
            item.meta.get("_yoast_wpseo_primary_category", "").strip()
        )
        categories.sort(key=lambda category: category[0] != primary)
        slug, name = categories[0]
        return self.section(slug, name), [html.unescape(name) for _, name in categories[1:]]

    def section(self, wordpress_slug: str, name: str) -> SectionPage:
        slug = slugify(wordpress_slug)[:50] or "uncategorized"
        if slug not in self._sections:
            home = self.home()
            existing = SectionPage.objects.child_of(home).filter(slug=slug).first()
            if existing is None:
                title = html.unescape(name).strip() or slug
                intro = _plain(self.category_descriptions.get(wordpress_slug, ""))
                existing = publishing.create_section(home, title, slug, intro)
                self.notes.count("section", "imported")
            self.remember("section", wordpress_slug, existing, "")
            redirects.redirect_section(wordpress_slug, existing, self.base_url)
            self._sections[slug] = existing
        return self._sections[slug]

    def redirect_tags(self, item: WxrItem) -> None:
        from taggit.models import Tag

        for taxonomy, slug, name in item.terms:
            if taxonomy == "post_tag" and slug and slug not in self._tags_redirected:
                self._tags_redirected.add(slug)
                tag = Tag.objects.filter(name=html.unescape(name).strip()[:100]).first()
                if tag is not None:
                    redirects.redirect_tag(slug, tag.slug, self.base_url)

    def tags_for(self, item: WxrItem, extra: list[str]) -> list[str]:
        tags = [
            html.unescape(name).strip()
            for taxonomy, _, name in item.terms
            if taxonomy == "post_tag"
        ]
        seen: dict[str, str] = {}
        for tag in [*tags, *extra]:
            if tag and tag.lower() not in seen:
                seen[tag.lower()] = tag[:100]
        return list(seen.values())

    def bylines_for(self, item: WxrItem) -> list[Author]:
        logins = [item.creator] if item.creator else []
        # Co-Authors Plus keeps further bylines as terms of its "author" taxonomy ("cap-login").
        logins += [
            slug.removeprefix("cap-") for taxonomy, slug, _ in item.terms if taxonomy == "author"
        ]
        authors: list[Author] = []
        for login in dict.fromkeys(logins):
            author = self.byline(login)
            if author not in authors:
                authors.append(author)
        return authors

    def byline(self, login: str) -> Author:
        if login not in self._bylines:
            wp_author = self.authors.get(login)
            name = html.unescape(wp_author.display_name if wp_author else login).strip() or login
            known = self.known("author", login, Author)
            author = known[0] if known else None
            if author is None:
                slug = slugify(login)[:100] or "author"
                author = Author.objects.filter(slug=slug).first()
                if author is None:
                    author = Author.objects.create(name=name[:120], slug=slug)
                    self.notes.count("author", "imported")
                self.remember("author", login, author, "")
            self._bylines[login] = author
        return self._bylines[login]

    def free_slug(self, section: SectionPage, item: WxrItem) -> str:
        # WordPress keeps non-ASCII slugs percent-encoded ("%d8%b3..."); Wagtail takes them as text.
        post_name = unquote(item.post_name.removesuffix("__trashed"))
        base = slugify(post_name, allow_unicode=True) or slugify(
            html.unescape(item.title), allow_unicode=True
        )
        base = base[:80] or f"post-{item.post_id}"
        taken = ArticlePage.objects.child_of(section).filter(slug=base).exists()
        return f"{base[:70]}-{item.post_id}" if taken else base

    def restrict_if_private(self, article: ArticlePage, *, private: bool) -> None:
        restrictions = PageViewRestriction.objects.filter(page=article)
        if not private:
            restrictions.filter(restriction_type=PageViewRestriction.GROUPS).delete()
            return
        if restrictions.exists():
            return
        restriction = PageViewRestriction.objects.create(
            page=article, restriction_type=PageViewRestriction.GROUPS
        )
        groups = [Group.objects.get_or_create(name=name)[0] for name in PRIVATE_GROUPS]
        restriction.groups.set(groups)

    # -- images --------------------------------------------------------------------------------
    def featured_image(self, item: WxrItem) -> Any:
        attachment = self.attachments.get(item.meta.get("_thumbnail_id", "").strip())
        if attachment is None:
            return None
        image = self.image_for(attachment.url, item.meta.get("_thumbnail_id", "").strip())
        if image is None and attachment.file not in self._dry_run_images:
            self.remote_images += 1
        return image

    def featured_caption(self, item: WxrItem) -> str:
        attachment = self.attachments.get(item.meta.get("_thumbnail_id", "").strip())
        return html.unescape(attachment.caption).strip()[:400] if attachment else ""

    def image_for(self, src: str, attachment_id: str) -> Any:
        """The Wagtail image for a WordPress media URL, from `--uploads`; None keeps the URL."""
        if self.uploads is None:
            return None
        attachment = self.attachments.get(attachment_id)
        relative = attachment.file if attachment and attachment.file else _uploads_path(src)
        if not relative:
            return None
        if relative in self._images:
            return self._images[relative]
        path = _existing_file(self.uploads, relative)
        image = None
        if path is not None:
            known = self.known("image", relative, get_image_model())
            image = known[0] if known else None
            if image is None and self.dry_run:
                self._dry_run_images.add(relative)
                self.notes.count("image", "imported")
            elif image is None:
                title = attachment.title if attachment else path.stem
                alt = html.unescape(attachment.alt).strip() if attachment else ""
                image = _create_image(path, html.unescape(title).strip() or path.stem, alt)
                self.remember("image", relative, image, "")
                self.notes.count("image", "imported")
        self._images[relative] = image
        return image

    # -- source ids ----------------------------------------------------------------------------
    def known(self, kind: str, source_id: str, model: type[models.Model]) -> tuple[Any, str] | None:
        row = ImportedObject.objects.filter(
            source=self.source, kind=kind, source_id=source_id
        ).first()
        if row is None:
            return None
        target = model._default_manager.filter(pk=row.object_id).first()
        if target is None:
            return None
        if isinstance(target, Page):
            target = target.specific
        return target, row.fingerprint

    def remember_many(
        self, kind: str, rows: list[tuple[str, models.Model, str]]
    ) -> None:
        """`remember` for many new rows in one statement (a stale row for the same id is replaced)."""
        now = timezone.now()
        ImportedObject.objects.bulk_create(
            [
                ImportedObject(
                    source=self.source,
                    kind=kind,
                    source_id=source_id,
                    content_type=ContentType.objects.get_for_model(
                        target, for_concrete_model=False
                    ),
                    object_id=str(target.pk),
                    fingerprint=fingerprint,
                    imported_at=now,
                )
                for source_id, target, fingerprint in rows
            ],
            update_conflicts=True,
            unique_fields=["source", "kind", "source_id"],
            update_fields=["content_type", "object_id", "fingerprint", "imported_at"],
            batch_size=500,
        )

    def remember(self, kind: str, source_id: str, target: models.Model, fingerprint: str) -> None:
        ImportedObject.objects.update_or_create(
            source=self.source,
            kind=kind,
            source_id=source_id,
            defaults={
                "content_type": ContentType.objects.get_for_model(target, for_concrete_model=False),
                "object_id": str(target.pk),
                "fingerprint": fingerprint,
                "imported_at": timezone.now(),
            },
        )

    def finish(self) -> None:
        """After every post: the newest sticky post leads the front page, unless an editor chose one."""
        if self.remote_images:
            self.notes.note(
                f"{self.remote_images} image(s) kept as links to their old URLs "
                "(give --uploads with the site's wp-content/uploads folder to import them)"
            )
        if not self.sticky:
            return
        home = self.home()
        home.refresh_from_db()
        newest = max(self.sticky, key=lambda entry: entry[0] or timezone.now())[1]
        if home.lead_article_id is None:
            HomePage.objects.filter(pk=home.pk).update(lead_article_id=newest)
            self.notes.note("the newest sticky post now leads the front page")
        elif home.lead_article_id != newest:
            self.notes.note(
                "sticky posts found; the front page keeps the lead article an editor chose"
            )


def _plain(markup: str) -> str:
    from django.utils.html import strip_tags

    return " ".join(html.unescape(strip_tags(markup)).split())


def _uploads_path(src: str) -> str:
    path = urlparse(src).path
    marker = "/uploads/"
    return path.split(marker, 1)[1] if marker in path else ""


def _existing_file(uploads: Path, relative: str) -> Path | None:
    root = uploads.resolve()
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root):
        return None  # a crafted path never reads outside the uploads folder
    if candidate.is_file():
        return candidate
    # A resized copy ("photo-300x200.jpg") that was not kept: the original serves.
    stem, dash, size = candidate.stem.rpartition("-")
    if dash and "x" in size and size.replace("x", "").isdigit():
        original = candidate.with_name(f"{stem}{candidate.suffix}")
        if original.is_file():
            return original
    return None


def _create_image(path: Path, title: str, alt: str) -> Any:
    """A Wagtail image of the file; WordPress's alt text is its description (Wagtail's alt text)."""
    image_model = get_image_model()
    with path.open("rb") as handle:
        image = image_model(
            title=title[:255], description=alt[:255], file=ImageFile(handle, name=path.name)
        )
        image.save()
    return image
