"""Demo content for a first run: sections, authors, original sample articles, locally generated images.

Everything is made here (pictures with Pillow) or shipped in `demo_media/` (a short video and its captions);
nothing is downloaded.
"""

from __future__ import annotations

import io
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import File
from django.core.files.images import ImageFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from modelsearch.index import insert_or_update_object
from wagtail.documents.models import Document
from wagtail.images.models import Image

from masthead.publishing import demo_art
from masthead.publishing.actions import create_article, create_section, ensure_home_page
from masthead.publishing.demo_arabic import load_arabic_edition
from masthead.publishing.demo_content import ARTICLES, AUTHORS, SECTIONS
from masthead.publishing.models import ArticlePage, Author, SectionPage

DEMO_MEDIA = Path(__file__).resolve().parent / "demo_media"
DEMO_VIDEO = DEMO_MEDIA / "river-at-dusk.webm"
DEMO_CAPTIONS = DEMO_MEDIA / "river-at-dusk.en.vtt"
DEMO_YOUTUBE_URL = "https://www.youtube.com/watch?v=MastheadDmo"


def site_is_empty() -> bool:
    return not SectionPage.objects.exists() and not ArticlePage.objects.exists()


def ensure_first_admin() -> tuple[str, str | None]:
    """Create the `admin` superuser when the site has no superuser; return its password only then."""
    user_model = get_user_model()
    if user_model.objects.filter(is_superuser=True).exists():
        return "admin", None
    password = secrets.token_urlsafe(12)
    try:
        with transaction.atomic():
            user_model.objects.create_superuser("admin", "admin@localhost", password)
    except IntegrityError:
        # Several web processes of one deployment start at once: one of them made it.
        if user_model.objects.filter(is_superuser=True).exists():
            return "admin", None
        raise
    return "admin", password


def _image(title: str, filename: str, data: bytes) -> Image:
    image = Image(title=title, file=ImageFile(io.BytesIO(data), name=filename))
    image.save()
    return image


def _document(title: str, path: Path) -> Document:
    document = Document(title=title)
    with path.open("rb") as handle:
        document.file.save(path.name, File(handle), save=False)
    document.save()
    return document


def _video_block(title: str) -> tuple[str, dict[str, Any]]:
    return (
        "video",
        {
            "video_file": _document(f"{title} (video)", DEMO_VIDEO),
            "url": "",
            "poster": _image(
                f"{title} (poster)",
                "river-at-dusk-poster.jpg",
                demo_art.poster_image("The river at dusk"),
            ),
            "captions": _document(f"{title} (captions)", DEMO_CAPTIONS),
            "captions_language": "en",
            "caption": "Fishing crews set out on the lower Euphrates at dusk. Film: Sami Khoury.",
            "credit": "Masthead video",
        },
    )


def _youtube_block() -> tuple[str, dict[str, Any]]:
    return (
        "video",
        {
            "video_file": None,
            "url": DEMO_YOUTUBE_URL,
            "poster": None,
            "captions": None,
            "captions_language": "en",
            "caption": "A night shift at the bakery, filmed for our In Video series.",
            "credit": "Masthead video",
        },
    )


@transaction.atomic
def load_demo_content() -> bool:
    """Load the demo newsroom into an empty site; return False (and change nothing) when it has content."""
    home = ensure_home_page()
    if not site_is_empty():
        return False
    sections = {slug: create_section(home, title, slug, intro) for title, slug, intro in SECTIONS}
    authors = {}
    for index, person in enumerate(AUTHORS):
        photo = _image(
            person["name"],
            f"{person['slug']}.jpg",
            demo_art.portrait(person["name"], index * 7 + 3),
        )
        authors[person["slug"]] = Author.objects.create(photo=photo, **person)
    now = timezone.now()
    video_article: ArticlePage | None = None
    inline_comments: list[tuple[ArticlePage, dict[str, str]]] = []
    # Oldest first, so the page tree's order matches publication order.
    for data in sorted(ARTICLES, key=lambda article: -article["hours_ago"]):
        picture = _image(
            data["title"],
            f"{data['section']}-{data['seed']}.jpg",
            demo_art.featured_image(data["title"], data["palette"], data["seed"]),
        )
        body = []
        for block in data["body"]:
            if block == "VIDEO":
                body.append(_video_block(data["title"]))
            elif block == "YOUTUBE":
                body.append(_youtube_block())
            else:
                body.append(block)
        article = create_article(
            sections[data["section"]],
            data["title"],
            standfirst=data["standfirst"],
            body=body,
            authors=[authors[slug] for slug in data["authors"]],
            tags=data["tags"],
            dateline=data["dateline"],
            featured_image=picture,
            featured_image_caption=data["caption"],
            featured_image_credit="Illustration: Masthead",
            first_published_at=now - timedelta(hours=data["hours_ago"]),
            inline_highlights=data.get("inline_highlights", ""),
        )
        # Indexed now, so the demo is searchable before the task worker gets to its queue.
        insert_or_update_object(article)
        if "VIDEO" in data["body"]:
            video_article = article
        if "inline_comment" in data:
            inline_comments.append((article, data["inline_comment"]))
    _load_other_demos(video_article, inline_comments)
    _load_imported_archive()
    # The Arabic edition (/ar/): a first run shows right-to-left pages at once.
    load_arabic_edition()
    return True


def _load_imported_archive() -> None:
    """The Archive section: a WordPress export imported as `masthead import wordpress` would."""
    from masthead.migration.demo import load_demo_archive
    from masthead.migration.models import ImportedObject

    load_demo_archive()
    imported = ImportedObject.objects.filter(kind="article", source__startswith="wordpress:")
    for article in ArticlePage.objects.filter(
        pk__in=[int(pk) for pk in imported.values_list("object_id", flat=True)]
    ).live():
        insert_or_update_object(article)  # searchable at once, like the demo's own articles


def _load_other_demos(
    discussed_article: ArticlePage | None, inline_comments: list[tuple[ArticlePage, dict[str, str]]]
) -> None:
    """The other apps' demo data: an active campaign, a conversation under the video article, one
    of its readers a monthly supporter showing the Supporter badge, readers' comments on passages
    of the articles with reader highlights on, and an embedding website (/embed/example/)."""
    from masthead.accounts.demo import load_demo_supporter
    from masthead.discussion.demo import load_demo_discussion, load_demo_inline_comment
    from masthead.embed.demo import load_demo_embed
    from masthead.funding.demo import load_demo_campaign

    campaign = load_demo_campaign()
    load_demo_embed()
    if discussed_article is not None:
        load_demo_discussion(discussed_article)
        load_demo_supporter(campaign)
    for article, comment in inline_comments:
        load_demo_inline_comment(article, comment["name"], comment["quote"], comment["body"])
