"""Posts of a real WordPress export become Masthead articles, sections, bylines, tags and images."""

from __future__ import annotations

import datetime as dt
from typing import Any

from masthead.migration.models import ImportedObject
from masthead.publishing.models import ArticlePage, Author, HomePage, SectionPage

from .conftest import MASTHEAD_EXPORT, UPLOADS, run_import

UTC = dt.UTC


def article(post_id: str) -> ArticlePage:
    row = ImportedObject.objects.get(kind="article", source_id=post_id)
    return ArticlePage.objects.get(pk=row.object_id)


def blocks(page: ArticlePage) -> list[tuple[str, Any]]:
    return [(block.block_type, block.value) for block in page.body]


def test_every_post_becomes_one_article_and_pages_are_reported(imported: Any) -> None:
    threads, notes = imported
    # Posts 1 (Hello world), 5-10 and 12 (trashed); 2, 3 and 11 are pages.
    assert sorted(threads, key=int) == ["1", "5", "6", "7", "8", "9", "10", "12"]
    assert ArticlePage.objects.count() == 8
    assert all(threads[key].page_id == article(key).pk for key in threads)
    assert {skip.source_id for skip in notes.skipped("page")} == {"2", "3", "11"}
    assert notes.counts[("article", "imported")] == 8
    assert ImportedObject.objects.get(kind="article", source_id="5").source == (
        "wordpress:news.example.org"
    )


def test_gutenberg_post_keeps_title_slug_standfirst_and_its_blocks(imported: Any) -> None:
    page = article("5")
    assert page.title == "Council passes the harbour budget"
    assert page.slug == "council-passes-harbour-budget"
    assert page.standfirst.startswith("Schools and the island ferry win;")
    kinds = [kind for kind, _ in blocks(page)]
    assert kinds == [
        "paragraph", "heading", "paragraph", "pull_quote", "paragraph", "image", "video", "embed",
    ]  # fmt: skip
    values = dict(reversed(blocks(page)))  # the first block of each kind
    assert '<a href="https://news.example.org/2024/03/01/budget-preview/">' in values["paragraph"].source
    assert values["heading"]["text"] == "What changes for schools"
    assert values["pull_quote"]["quote"] == "We kept the ferry running, and that was the hard part."
    assert values["pull_quote"]["attribution"] == "Mayor Ines Vidal"
    assert values["video"]["url"] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert values["video"]["caption"] == "The full session."
    assert dict(blocks(page))["embed"].url == "https://twitter.com/harbourtown/status/1"
    lists = [value.source for kind, value in blocks(page) if kind == "paragraph" and "<ul>" in value.source]  # fmt: skip
    assert lists == ["<ul><li>Schools: +4%</li><li>Harbour works: +11%</li></ul>"]


def test_classic_post_gets_paragraphs_embeds_and_loses_scripts(imported: Any) -> None:
    page = article("6")
    kinds = [kind for kind, _ in blocks(page)]
    assert kinds == ["paragraph", "video", "heading", "pull_quote", "paragraph", "paragraph", "video"]
    values = blocks(page)
    assert values[0][1].source == (
        "<p>The sea at the old pier rose 4 cm in ten years, the <em>coastal survey</em> says.</p>"
    )
    assert values[1][1]["url"] == "https://vimeo.com/76979871"  # a bare URL on its own line
    assert values[2][1] == {"text": "Where the water comes in", "level": "h3"}
    assert values[6][1]["url"] == "https://www.youtube.com/watch?v=aqz-KE-bpKQ"  # an iframe
    link = values[5][1].source
    assert link == '<p>Read the <a href="https://example.org/survey.pdf">survey</a>.</p>'
    assert "script" not in str(page.body.raw_data) and "onclick" not in str(page.body.raw_data)


def test_first_category_is_the_section_and_the_rest_are_tags(imported: Any) -> None:
    # WordPress lists a post's categories by name (as get_the_category() does): Local, Politics.
    page = article("5")
    assert page.get_parent().specific.slug == "local"
    assert sorted(tag.name for tag in page.tags.all()) == ["Politics", "budget", "schools"]
    climate = article("6").get_parent().specific
    assert (climate.title, climate.slug) == ("Climate & Coast", "climate")
    assert sorted(SectionPage.objects.values_list("slug", flat=True)) == [
        "climate", "local", "politics", "uncategorized",
    ]  # fmt: skip


def test_yoast_primary_category_is_the_section(a_home: Any, tmp_path: Any) -> None:
    text = MASTHEAD_EXPORT.read_text(encoding="utf-8")
    politics = text.split("<wp:category_nicename><![CDATA[politics]]>")[0].rsplit("<wp:term_id>", 1)[1]
    politics_id = politics.split("<")[0]
    thumbnail = "<wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key>"
    primary = tmp_path / "primary.xml"
    primary.write_text(
        text.replace(
            "<wp:postmeta>\n\t\t" + thumbnail,
            "<wp:postmeta>\n\t\t<wp:meta_key><![CDATA[_yoast_wpseo_primary_category]]></wp:meta_key>"
            f"\n\t\t<wp:meta_value><![CDATA[{politics_id}]]></wp:meta_value>\n\t\t</wp:postmeta>"
            "\n\t\t<wp:postmeta>\n\t\t" + thumbnail,
        ),
        encoding="utf-8",
    )
    assert "_yoast_wpseo_primary_category" in primary.read_text(encoding="utf-8")
    run_import(primary)
    page = article("5")
    assert page.get_parent().specific.slug == "politics"
    assert "Local" in [tag.name for tag in page.tags.all()]


def test_authors_become_bylines_once(imported: Any) -> None:
    assert [author.name for author in article("5").authors] == ["Rania Haddad"]
    assert [author.name for author in article("6").authors] == ["Tom Berg"]
    assert Author.objects.filter(slug="rhaddad").count() == 1


def test_statuses_dates_and_sticky(imported: Any) -> None:
    published = article("5")
    assert published.live
    assert published.first_published_at == dt.datetime(2024, 4, 12, 21, 30, tzinfo=UTC)
    draft = article("8")
    assert not draft.live and draft.go_live_at is None
    future = article("9")
    assert not future.live
    assert future.go_live_at == dt.datetime(2030, 1, 15, 19, 0, tzinfo=UTC)
    private = article("10")
    assert private.live
    restriction = private.get_view_restrictions().get()
    assert sorted(group.name for group in restriction.groups.all()) == ["Editors", "Moderators"]
    trashed = article("12")
    assert not trashed.live
    assert HomePage.objects.get().lead_article_id == published.pk  # the sticky post leads


def test_private_article_is_not_shown_to_readers(imported: Any, client: Any) -> None:
    response = client.get(article("10").url)
    assert response.status_code == 302  # to the sign-in page, as Wagtail's restrictions do
    assert client.get(article("5").url).status_code == 200


def test_featured_and_inline_images_come_from_uploads_once(imported: Any) -> None:
    from wagtail.images import get_image_model

    page = article("5")
    assert page.featured_image is not None
    assert page.featured_image.title == "Harbour council chamber"
    assert page.featured_image.default_alt_text == "Councillors around a long table"
    assert page.featured_image_caption == "The council chamber on budget night."
    inline = next(value for kind, value in blocks(page) if kind == "image")
    assert inline["image"].pk == page.featured_image.pk  # the same file: one Wagtail image
    assert inline["caption"] == "Budget night in the chamber."
    assert get_image_model().objects.count() == 1


def test_without_uploads_images_stay_remote_links_and_the_report_says_so(a_home: Any) -> None:
    from wagtail.images import get_image_model

    _, notes = run_import(MASTHEAD_EXPORT)
    page = article("5")
    assert page.featured_image is None
    link = next(
        value.source for kind, value in blocks(page) if kind == "paragraph" and "uploads" in value.source
    )
    assert 'href="https://news.example.org/wp-content/uploads/2024/04/harbour-council.png"' in link
    assert get_image_model().objects.count() == 0
    assert any("2 image(s) kept as links to their old URLs" in line for line in notes.lines)


def test_a_second_run_updates_instead_of_duplicating(imported: Any) -> None:
    threads, notes = run_import(MASTHEAD_EXPORT, uploads=UPLOADS)
    assert ArticlePage.objects.count() == 8
    assert notes.counts[("article", "unchanged")] == 8
    assert notes.counts[("article", "imported")] == 0
    assert {thread.page_id for thread in threads} == {article(key).pk for key in imported[0]}


def test_a_changed_post_is_updated_in_place(imported: Any, tmp_path: Any) -> None:
    changed = tmp_path / "changed.xml"
    text = MASTHEAD_EXPORT.read_text(encoding="utf-8")
    changed.write_text(
        text.replace("Council passes the harbour budget", "Council passes a smaller budget"),
        encoding="utf-8",
    )
    before = article("5").pk
    _, notes = run_import(changed, uploads=UPLOADS)
    assert notes.counts[("article", "updated")] == 1
    page = article("5")
    assert (page.pk, page.title, page.live) == (before, "Council passes a smaller budget", True)
    assert ArticlePage.objects.count() == 8


def test_shared_export_imports_its_three_stories(a_home: Any) -> None:
    from .conftest import shared_export

    threads, notes = run_import(shared_export())
    assert [thread.title for thread in threads] == ["Story 150", "Story 151", "Story 152"]
    assert all(article(thread.source_id).live for thread in threads)
    assert sum(len(thread.comments) for thread in threads) == 60  # 61 less the trackback
    assert [skip.reason for skip in notes.skipped("trackback")] == ["trackback"]


def test_dry_run_writes_no_image_files_and_rolls_back(
    a_home: Any, settings: Any, tmp_path: Any
) -> None:
    """The writer rolls a dry run back; the source leaves no image files behind it either."""
    from django.db import transaction

    settings.MEDIA_ROOT = str(tmp_path / "media")  # this test's own: other processes write images

    class RolledBack(Exception):
        pass

    try:
        with transaction.atomic():
            threads, notes = run_import(MASTHEAD_EXPORT, uploads=UPLOADS, dry_run=True)
            assert len(threads) == 8
            assert notes.counts[("image", "imported")] == 1
            assert not any("kept as links" in line for line in notes.lines)
            raise RolledBack
    except RolledBack:
        pass
    assert ArticlePage.objects.count() == 0
    assert [path for path in (tmp_path / "media").rglob("*") if path.is_file()] == []
    # The same import for real does write the file there: the check above can see one.
    run_import(MASTHEAD_EXPORT, uploads=UPLOADS)
    assert [path.suffix for path in (tmp_path / "media").rglob("*") if path.is_file()] == [".png"]
