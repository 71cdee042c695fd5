"""Wagtail pages of a newsroom: Home, Section, Article; Author snippets; reader-policy overrides."""

from __future__ import annotations

from typing import Any

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from masthead.publishing.blocks import ArticleBodyBlock
from masthead.publishing.page_cache import CachedPageMixin

ARTICLES_PER_PAGE = 12


def page_number(request: HttpRequest) -> str:
    return request.GET.get("page", "1")


def paginate(request: HttpRequest, queryset: Any, per_page: int = ARTICLES_PER_PAGE) -> Any:
    """A page of results; malformed or out-of-range numbers give the first or last page, never an error."""
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(page_number(request))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


class Inherit(models.TextChoices):
    """Reader-policy choices on sections and articles; 'inherit' takes the section's or site's value."""

    INHERIT = "", _("Inherit (section or site default)")


class CommentsMode(models.TextChoices):
    INHERIT = "", _("Inherit (section or site default)")
    OPEN = "open", _("Open: readers may comment")
    CLOSED = "closed", _("Closed: comments shown, no new ones")
    HIDDEN = "hidden", _("Off: no discussion on this page")


class PremoderationMode(models.TextChoices):
    INHERIT = "", _("Inherit (section or site default)")
    NONE = "none", _("None: comments appear at once")
    FIRST_TIME = "first_time", _("First-time commenters wait for approval")
    ALL = "all", _("Every comment waits for approval")


class WhoMayCommentMode(models.TextChoices):
    INHERIT = "", _("Inherit (section or site default)")
    EVERYONE = "everyone", _("Everyone, guests included")
    SIGNED_IN = "signed_in", _("Signed-in readers only")
    SUPPORTERS = (
        "supporters",
        _("Supporters only: signed-in readers with an active monthly donation"),
    )


class Toggle(models.TextChoices):
    INHERIT = "", _("Inherit (section or site default)")
    ON = "on", _("On")
    OFF = "off", _("Off")


class SupportPlacement(models.TextChoices):
    """Where the support block goes on an article; the site's choice is funding's `Placement`."""

    INHERIT = "", _("Inherit (section or site default)")
    NONE = "none", _("No support block")
    BEFORE = "before", _("At the top: under the headline, before the article")
    AFTER = "after", _("At the end: after the article")
    BOTH = "both", _("At the top and at the end")


class ReaderPolicyFields(models.Model):
    """Per-section and per-article overrides of the site's discussion and funding policy (empty = inherit)."""

    comments_mode = models.CharField(
        max_length=12, choices=CommentsMode.choices, blank=True, default=""
    )
    comments_premoderation = models.CharField(
        "pre-moderation", max_length=12, choices=PremoderationMode.choices, blank=True, default=""
    )
    comments_auto_close_days = models.PositiveIntegerField(
        "close comments after (days)",
        null=True,
        blank=True,
        help_text=_("Empty: inherit. 0: never close."),
    )
    comments_who = models.CharField(
        "who may comment",
        max_length=12,
        choices=WhoMayCommentMode.choices,
        blank=True,
        default="",
    )
    inline_highlights = models.CharField(
        "reader highlights",
        max_length=8,
        choices=Toggle.choices,
        blank=True,
        default="",
        help_text=_(
            "Let readers select a passage and comment on it. Inherit takes the section's choice; "
            "the site default is off."
        ),
    )
    support_placement = models.CharField(
        max_length=8, choices=SupportPlacement.choices, blank=True, default=""
    )
    comments_live = models.CharField(
        "live updates",
        max_length=8,
        choices=Toggle.choices,
        blank=True,
        default="",
        help_text=_(
            "Show new comments, votes and edits on open pages as they happen. Inherit takes the "
            "section's choice; the site default is on."
        ),
    )

    policy_panels = [
        MultiFieldPanel(
            [
                FieldPanel("comments_mode"),
                FieldPanel("comments_premoderation"),
                FieldPanel("comments_who"),
                FieldPanel("comments_auto_close_days"),
                FieldPanel("inline_highlights"),
                FieldPanel("comments_live"),
                FieldPanel("support_placement"),
            ],
            heading=_("Reader discussion and support"),
        )
    ]

    class Meta:
        abstract = True


@register_snippet
class Author(index.Indexed, models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    role = models.CharField(
        max_length=120, blank=True, help_text=_("E.g. 'Middle East correspondent'.")
    )
    bio = models.TextField(blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("role"),
        FieldPanel("bio"),
        FieldPanel("photo"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TranslatedSitemapMixin:
    """Sitemap entries that name the page's translations (xhtml:link hreflang), as the page does."""

    def get_sitemap_urls(self, request: HttpRequest | None = None) -> list[dict[str, Any]]:
        from masthead.publishing.editions import page_translations

        urls: list[dict[str, Any]] = super().get_sitemap_urls(request)  # type: ignore[misc]
        versions = page_translations(self, request)
        if len(versions) > 1:
            alternates = [
                {"lang_code": item.language, "location": item.full_url} for item in versions
            ]
            for url in urls:
                url["alternates"] = alternates
        return urls


class HomePage(TranslatedSitemapMixin, CachedPageMixin, Page):
    """The front page: the lead story, the latest articles, and each section's newest."""

    intro = models.TextField(blank=True, help_text=_("A line under the site name."))
    lead_article = models.ForeignKey(
        "publishing.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty: the newest article leads."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), PageChooserPanel("lead_article")]
    subpage_types = ["publishing.SectionPage"]
    # One home per edition: the default language's is the site root, each translation (made with
    # wagtail-localize's "Translate") is the home of its language's edition at /<code>/.

    @classmethod
    def can_create_at(cls, parent: Page) -> bool:
        # Pages made in the admin take their parent's locale: a second home in it would be a rival
        # front page, not an edition.
        return (
            super().can_create_at(parent)
            and not cls.objects.filter(locale_id=parent.locale_id).exists()
        )

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from masthead.publishing import queries

        context = super().get_context(request, *args, **kwargs)
        latest = queries.with_sections(queries.latest_articles(limit=13))
        lead = (
            self.lead_article
            if self.lead_article and self.lead_article.live
            else (latest[0] if latest else None)
        )
        context["lead"] = lead
        context["latest"] = [
            article for article in latest if lead is None or article.pk != lead.pk
        ][:12]
        context["sections"] = queries.sections_with_latest(per_section=4)
        return context


class SectionPage(TranslatedSitemapMixin, CachedPageMixin, ReaderPolicyFields, Page):  # noqa: DJ008 (Page has __str__)
    """A section such as 'Middle East' or 'Analysis': a paginated list of its articles, with its own feeds."""

    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    settings_panels = [*Page.settings_panels, *ReaderPolicyFields.policy_panels]
    parent_page_types = ["publishing.HomePage"]
    subpage_types = ["publishing.ArticlePage"]

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from masthead.publishing import queries

        context = super().get_context(request, *args, **kwargs)
        context["articles"] = paginate(request, queries.section_articles(self))
        return context


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "publishing.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ArticleAuthor(Orderable):
    article = ParentalKey(
        "publishing.ArticlePage", related_name="article_authors", on_delete=models.CASCADE
    )
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="article_links")

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        unique_together = [("article", "author")]


class ArticlePage(TranslatedSitemapMixin, CachedPageMixin, ReaderPolicyFields, Page):  # noqa: DJ008 (Page has __str__)
    standfirst = models.TextField(blank=True, help_text=_("The summary under the headline."))
    dateline = models.CharField(
        max_length=120, blank=True, help_text=_("Where the story was filed, e.g. 'Beirut'.")
    )
    featured_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    featured_image_caption = models.CharField(max_length=400, blank=True)
    featured_image_credit = models.CharField(max_length=200, blank=True)
    updated_note_at = models.DateTimeField(
        "updated at",
        null=True,
        blank=True,
        help_text=_("Shown as 'Updated' when the story changed materially."),
    )
    body = StreamField(ArticleBodyBlock(), blank=True)
    tags = ClusterTaggableManager(through=ArticleTag, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("standfirst"),
        InlinePanel("article_authors", label="Byline", heading=_("Byline")),
        FieldPanel("dateline"),
        MultiFieldPanel(
            [
                FieldPanel("featured_image"),
                FieldPanel("featured_image_caption"),
                FieldPanel("featured_image_credit"),
            ],
            heading=_("Featured image"),
        ),
        FieldPanel("body"),
        FieldPanel("tags"),
        FieldPanel("updated_note_at"),
    ]
    settings_panels = [*Page.settings_panels, *ReaderPolicyFields.policy_panels]
    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst"),
        index.SearchField("body"),
        index.FilterField("first_published_at"),
    ]
    parent_page_types = ["publishing.SectionPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "article"

    @cached_property
    def authors(self) -> list[Author]:
        # `.all()` uses the listing's prefetch; modelcluster's manager loses that (and the article
        # filter) when `.select_related()` is chained onto it.
        links = sorted(self.article_authors.all(), key=lambda link: link.sort_order or 0)
        return [link.author for link in links]

    @cached_property
    def section(self) -> SectionPage | None:
        parent = self.get_parent()
        return (
            parent.specific
            if parent is not None and isinstance(parent.specific, SectionPage)
            else None
        )

    @property
    def published_at(self) -> Any:
        return (
            self.first_published_at
            or self.go_live_at
            or self.latest_revision_created_at
            or timezone.now()
        )

    @property
    def has_video(self) -> bool:
        return any(block.block_type == "video" for block in self.body)

    def summary_text(self) -> str:
        if self.standfirst:
            return self.standfirst
        for block in self.body:
            if block.block_type == "paragraph":
                return strip_tags(str(block.value.source))[:300]
        return ""

    def body_text(self) -> str:
        """The body as plain text (search, feeds, inline-feedback anchoring)."""
        from masthead.publishing.rendering import body_plain_text

        return body_plain_text(self)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["section"] = self.section
        return context
