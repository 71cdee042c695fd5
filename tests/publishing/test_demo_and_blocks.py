"""The demo newsroom loads once, with media and no network; the video block accepts only video files."""

from __future__ import annotations

from typing import Any

import pytest
from wagtail.blocks.struct_block import StructBlockValidationError

from masthead.discussion.models import Comment
from masthead.migration.models import ImportRun
from masthead.publishing.blocks import VideoBlock
from masthead.publishing.demo import load_demo_content
from masthead.publishing.models import ArticlePage, Author, SectionPage
from tests.publishing.conftest import make_document


def test_demo_newsroom_loads_once_with_media_and_no_network(client: Any, db: Any) -> None:
    assert load_demo_content() is True
    english = SectionPage.objects.filter(locale__language_code="en")
    assert {section.title for section in english} == {
        "Middle East",
        "Analysis",
        "In Video",
        "Archive",  # the imported WordPress archive
    }
    arabic = SectionPage.objects.filter(locale__language_code="ar")
    assert {section.title for section in arabic} == {"الشرق الأوسط"}
    archive = SectionPage.objects.get(slug="archive")
    own = ArticlePage.objects.not_descendant_of(archive)
    assert own.live().count() >= 8
    assert ArticlePage.objects.child_of(archive).live().count() == 3
    assert Author.objects.filter(photo__isnull=False).exclude(bio="").count() >= 3
    assert all(article.featured_image_id for article in own)

    home = client.get("/").content.decode()
    assert home.count('class="card') >= 8
    # A newcomer meets the archive on the front page, with a word on where it came from.
    assert f'href="{archive.url}"' in home and "Imported from WordPress:" in home
    budget = ArticlePage.objects.get(title="Council passes the harbour budget")
    assert budget.title in home
    old_link = client.get("/2024/04/12/council-passes-harbour-budget/")
    assert (old_link.status_code, old_link["Location"]) == (301, budget.url)
    assert "Finally the ferry is safe." in client.get(budget.url).content.decode()
    assert client.get("/news-sitemap.xml").content.decode().count("<news:title>") >= 3

    river = ArticlePage.objects.get(title__startswith="In Video: The river at dusk")
    html = client.get(river.url).content.decode()
    assert "<video" in html and 'type="video/webm"' in html and '<track kind="captions"' in html
    media = client.get(html.split('<source src="')[1].split('"')[0])
    assert media.status_code == 200 and media["Content-Type"] == "video/webm"
    bakery = ArticlePage.objects.get(title__startswith="In Video: Before sunrise")
    assert (
        'href="https://www.youtube.com/watch?v=MastheadDmo"'
        in client.get(bakery.url).content.decode()
    )

    counts = (
        ArticlePage.objects.count(),
        Author.objects.count(),
        SectionPage.objects.count(),
        Comment.objects.count(),
        ImportRun.objects.count(),
    )
    assert load_demo_content() is False  # a site with content is left alone
    assert (
        ArticlePage.objects.count(),
        Author.objects.count(),
        SectionPage.objects.count(),
        Comment.objects.count(),
        ImportRun.objects.count(),
    ) == counts


def test_video_block_rejects_a_document_that_is_not_a_video(db: Any) -> None:
    block = VideoBlock()
    pdf = make_document("Annual report", content=b"%PDF-1.4 not a video", name="report.pdf")
    value = block.to_python({"video_file": pdf.pk, "url": "", "poster": None, "captions": None})
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(value)
    assert "video_file" in raised.value.block_errors


def test_video_block_needs_a_file_or_a_url(db: Any) -> None:
    block = VideoBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"video_file": None, "url": ""}))


def test_video_block_accepts_an_uploaded_webm(a_video: Any) -> None:
    block = VideoBlock()
    cleaned = block.clean(block.to_python({"video_file": a_video.pk, "url": ""}))
    assert cleaned["video_file"].pk == a_video.pk
