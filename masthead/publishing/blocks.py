"""StreamField blocks of an article body. Every block renders even when its media is missing or offline."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlparse

from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from masthead.discussion.blocks import FeedbackPromptBlock

logger = logging.getLogger("masthead.publishing")

VIDEO_EXTENSIONS = {
    "mp4": "video/mp4",
    "webm": "video/webm",
    "ogv": "video/ogg",
    "mov": "video/quicktime",
    "m4v": "video/mp4",
}


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200)
    level = blocks.ChoiceBlock(choices=[("h2", "Heading 2"), ("h3", "Heading 3")], default="h2")

    class Meta:
        icon = "title"
        template = "publishing/blocks/heading.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False, max_length=400)
    credit = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "image"
        template = "publishing/blocks/image.html"


class PullQuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(max_length=600)
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "publishing/blocks/pull_quote.html"


class SafeEmbedBlock(EmbedBlock):
    """An oEmbed block that degrades to a link card when the provider cannot be reached."""

    def render_basic(self, value: Any, context: dict[str, Any] | None = None) -> SafeString:
        from django.template.loader import render_to_string

        url = getattr(value, "url", "") if value is not None else ""
        html = ""
        try:
            html = value.html if value is not None else ""
        except Exception:  # Any provider or network failure leaves the link card.
            logger.info("oEmbed failed for %s", url, exc_info=True)
        return SafeString(
            render_to_string(
                "publishing/blocks/embed.html",
                {"url": url, "html": html, "host": urlparse(url).hostname or url},
            )
        )

    class Meta:
        icon = "media"


class VideoBlock(blocks.StructBlock):
    """An uploaded video file (HTML5 <video>, poster, captions) or a provider URL (oEmbed, link card offline)."""

    video_file = DocumentChooserBlock(required=False, help_text=_("An uploaded MP4 or WebM file."))
    url = blocks.URLBlock(required=False, help_text=_("Or a YouTube, Vimeo or other provider URL."))
    poster = ImageChooserBlock(required=False)
    captions = DocumentChooserBlock(required=False, help_text=_("A WebVTT (.vtt) captions file."))
    captions_language = blocks.CharBlock(required=False, default="en", max_length=12)
    caption = blocks.CharBlock(required=False, max_length=400)
    credit = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "media"
        template = "publishing/blocks/video.html"

    def clean(self, value: Any) -> Any:
        from django.core.exceptions import ValidationError
        from wagtail.blocks.struct_block import StructBlockValidationError

        value = super().clean(value)
        if not value.get("video_file") and not value.get("url"):
            raise StructBlockValidationError(
                block_errors={"url": ValidationError("Upload a video file or give a video URL.")}
            )
        document = value.get("video_file")
        if document is not None and document.file_extension.lower() not in VIDEO_EXTENSIONS:
            raise StructBlockValidationError(
                block_errors={
                    "video_file": ValidationError("The file must be a video (MP4, WebM, OGV, MOV).")
                }
            )
        return value

    def get_context(
        self, value: Any, parent_context: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        context = super().get_context(value, parent_context)
        document = value.get("video_file")
        context["video_url"] = None
        context["video_type"] = None
        if document is not None:
            try:
                if not document.file.storage.exists(document.file.name):
                    raise FileNotFoundError(document.file.name)
                context["video_url"] = document.file.url
                context["video_type"] = VIDEO_EXTENSIONS.get(
                    document.file_extension.lower(), "video/mp4"
                )
            except Exception:  # A missing file never breaks the page.
                logger.warning("Video file missing for document %s", document.pk, exc_info=True)
        captions = value.get("captions")
        context["captions_url"] = None
        if captions is not None:
            try:
                if captions.file.storage.exists(captions.file.name):
                    context["captions_url"] = captions.file.url
            except Exception:
                context["captions_url"] = None
        url = value.get("url")
        context["embed_html"] = ""
        if url and not context["video_url"]:
            context["embed_html"] = oembed_html(url)
            context["host"] = urlparse(url).hostname or url
        return context


def oembed_html(url: str) -> str:
    """Provider HTML for a URL, or '' when the provider is unknown or unreachable (cached by Wagtail on success)."""
    from wagtail.embeds.embeds import get_embed

    try:
        return get_embed(url).html or ""
    except Exception:
        logger.info("oEmbed unavailable for %s", url, exc_info=True)
        return ""


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=[
            "bold",
            "italic",
            "link",
            "ol",
            "ul",
            "blockquote",
            "superscript",
            "subscript",
            "strikethrough",
        ],
        template="publishing/blocks/paragraph.html",
    )
    heading = HeadingBlock()
    image = ImageBlock()
    pull_quote = PullQuoteBlock()
    embed = SafeEmbedBlock()
    video = VideoBlock()
    feedback_prompt = FeedbackPromptBlock()
