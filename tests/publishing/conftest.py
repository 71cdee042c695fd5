"""Fixtures for publishing tests: pictures, an uploaded video with captions, an article with every block."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile, File
from django.core.files.images import ImageFile
from PIL import Image as PillowImage

DEMO_MEDIA = Path(__file__).resolve().parents[2] / "masthead" / "publishing" / "demo_media"


def make_image(title: str = "A picture", colour: tuple[int, int, int] = (40, 90, 140)) -> Any:
    from wagtail.images.models import Image

    buffer = io.BytesIO()
    PillowImage.new("RGB", (320, 180), colour).save(buffer, "PNG")
    image = Image(title=title, file=ImageFile(buffer, name="picture.png"))
    image.save()
    return image


def make_document(
    title: str, path: Path | None = None, content: bytes = b"", name: str = ""
) -> Any:
    from wagtail.documents.models import Document

    document = Document(title=title)
    if path is not None:
        with path.open("rb") as handle:
            document.file.save(path.name, File(handle), save=False)
    else:
        document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


@pytest.fixture
def an_image(db: Any) -> Any:
    return make_image()


@pytest.fixture
def a_video(db: Any) -> Any:
    return make_document("River at dusk", DEMO_MEDIA / "river-at-dusk.webm")


@pytest.fixture
def some_captions(db: Any) -> Any:
    return make_document("Captions", DEMO_MEDIA / "river-at-dusk.en.vtt")


@pytest.fixture
def a_second_author(db: Any) -> Any:
    from masthead.publishing.models import Author

    return Author.objects.create(name="Sami Khoury", slug="sami-khoury", role="Video journalist")


@pytest.fixture
def a_video_article(
    a_section: Any,
    an_author: Any,
    a_second_author: Any,
    an_image: Any,
    a_video: Any,
    some_captions: Any,
) -> Any:
    """An article with every kind of body block, an uploaded video and a provider URL among them."""
    from masthead.publishing.actions import create_article

    return create_article(
        a_section,
        "In Video: Boats wait for the evening tide",
        standfirst="Fishing crews set out later every year.",
        dateline="Nasiriyah",
        authors=[an_author, a_second_author],
        tags=["rivers", "video"],
        featured_image=an_image,
        featured_image_caption="Boats at the quay before dusk.",
        featured_image_credit="Photo: Masthead",
        body=[
            ("paragraph", "<p>The crews leave when the wind drops over the marshes.</p>"),
            ("heading", {"text": "How the catch is sold", "level": "h2"}),
            (
                "image",
                {"image": an_image, "caption": "Nets drying in the sun.", "credit": "Masthead"},
            ),
            (
                "pull_quote",
                {
                    "quote": "The river simply leaves, a little every year.",
                    "attribution": "A fisherman",
                },
            ),
            (
                "video",
                {
                    "video_file": a_video,
                    "url": "",
                    "poster": an_image,
                    "captions": some_captions,
                    "captions_language": "en",
                    "caption": "The boats at dusk.",
                    "credit": "Film: Sami Khoury",
                },
            ),
            (
                "video",
                {
                    "video_file": None,
                    "url": "https://www.youtube.com/watch?v=MastheadDmo",
                    "poster": None,
                    "captions": None,
                    "captions_language": "en",
                    "caption": "A night at the bakery.",
                    "credit": "",
                },
            ),
            ("embed", "https://vimeo.com/76979871"),
        ],
    )


@pytest.fixture(autouse=True)
def unreachable_oembed_providers(settings: Any) -> None:
    """Video providers' oEmbed endpoints point at a closed local port: the same offline behaviour on any machine."""
    settings.WAGTAILEMBEDS_FINDERS = [
        {
            "class": "wagtail.embeds.finders.oembed",
            "providers": [
                {
                    "endpoint": "http://127.0.0.1:9/oembed",
                    "urls": [
                        r"^https?://(?:www\.)?youtube\.com/watch.+$",
                        r"^https?://vimeo\.com/.+$",
                    ],
                }
            ],
        }
    ]
