"""Many posts at once: articles written a batch at a time are whole Wagtail pages in a sound tree."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from wagtail.models import Page, PageLogEntry, Revision

from bench.bench_import_wordpress import write_export
from masthead.discussion.models import Comment, Thread
from masthead.migration.models import ImportedObject, ImportRun
from masthead.migration.run import run_import
from masthead.publishing.models import ArticlePage, SectionPage
from tests.helpers import run_on_commit_callbacks


def import_export(path: Path) -> dict[str, dict[str, int]]:
    """`masthead import wordpress PATH` as the command runs it; the run's counts."""
    out, err = io.StringIO(), io.StringIO()
    assert run_import("wordpress", [str(path), "--no-progress"], out, err) == 0, err.getvalue()
    counts: dict[str, dict[str, int]] = ImportRun.objects.latest("pk").report["counts"]
    return counts

POSTS = 120  # over two batches; post 99 (the hundredth) is a draft


def test_a_large_export_makes_sound_pages_revisions_and_old_links(
    a_home: Any, tmp_path: Path, client: Any
) -> None:
    export = tmp_path / "export.xml"
    write_export(export, POSTS * 4, POSTS)
    with run_on_commit_callbacks():  # the search-index tasks run (immediate backend in tests)
        counts = import_export(export)
    assert counts["article"] == {"imported": POSTS}
    assert counts["thread"] == {"imported": POSTS}

    assert Page.find_problems() == ([], [], [], [], [])  # paths, depths, numchild all sound
    sections = SectionPage.objects.child_of(a_home)
    assert sum(section.numchild for section in sections) == POSTS
    articles = ArticlePage.objects.all()
    assert articles.count() == POSTS
    draft = ArticlePage.objects.get(slug="story-199")
    assert (draft.live, draft.has_unpublished_changes, draft.live_revision_id) == (False, True, None)
    assert draft.latest_revision is not None
    assert client.get(draft.get_parent().url + "story-199/").status_code == 404
    for article in articles.live():
        assert article.live_revision_id == article.latest_revision_id is not None
        assert not article.has_unpublished_changes
    assert Revision.objects.filter(base_content_type__model="page").count() >= POSTS
    assert PageLogEntry.objects.filter(action="wagtail.publish").count() >= POSTS - 1

    story = ArticlePage.objects.get(slug="story-150")
    revision = story.latest_revision.as_object()
    assert (revision.title, list(revision.tags.names())) == (story.title, ["budget"])
    assert [link.author.name for link in story.article_authors.all()] == ["Reporter 3"]
    assert story.first_published_at.isoformat() == "2021-03-13T20:00:00+00:00"
    page = client.get(story.url)
    assert page.status_code == 200 and "Paragraph 5 of story 150." in page.content.decode()
    assert ArticlePage.objects.live().search("story 150").count() >= 1  # indexed

    old = client.get("/2021/03/13/story-150/")
    assert (old.status_code, old["Location"]) == (301, story.url)
    assert client.get("/?p=150")["Location"] == story.url
    thread = Thread.objects.get(page=story)
    assert Comment.objects.filter(thread=thread).count() == 4
    assert Comment.objects.filter(thread=thread, depth=2).count() == 1


def test_importing_many_posts_again_writes_nothing_new(a_home: Any, tmp_path: Path) -> None:
    export = tmp_path / "export.xml"
    write_export(export, POSTS, POSTS)
    import_export(export)
    rows = (ArticlePage.objects.count(), Revision.objects.count(), ImportedObject.objects.count())
    counts = import_export(export)
    assert counts["article"] == {"unchanged": POSTS}
    assert counts["comment"] == {"unchanged": POSTS}
    assert (
        ArticlePage.objects.count(),
        Revision.objects.count(),
        ImportedObject.objects.count(),
    ) == rows
