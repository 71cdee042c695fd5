"""The demo's imported archive: a WordPress export shipped with Masthead, imported by the real run."""

from __future__ import annotations

from typing import Any

from masthead.discussion.models import Comment, CommentStatus, Thread
from masthead.migration.demo import DEMO_EXPORT, load_demo_archive
from masthead.migration.models import ImportedObject, ImportRun, ImportRunStatus
from masthead.publishing.models import ArticlePage, SectionPage


def imported_pk(kind: str, source_id: str) -> int:
    return int(ImportedObject.objects.get(kind=kind, source_id=source_id).object_id)


def test_demo_archive_imports_articles_threads_and_old_links(a_home: Any, client: Any) -> None:
    archive = load_demo_archive()
    assert archive.run.status == ImportRunStatus.SUCCEEDED
    assert "pingback" in archive.report  # the report says what it skipped and why

    section = SectionPage.objects.get(slug="archive")
    assert section.intro.startswith("Imported from WordPress:")
    articles = ArticlePage.objects.child_of(section).live()
    assert sorted(article.title for article in articles) == [
        "Council passes the harbour budget",
        "Ferry timetable: your questions",
        "The sea at the old pier",
    ]
    budget = ArticlePage.objects.get(pk=imported_pk("article", "5"))
    assert budget.featured_image is not None  # from the uploads folder the demo draws
    assert set(budget.tags.names()) >= {"budget", "schools", "Local", "Politics"}

    # The conversation came across as a tree, with its pin, votes and hidden comments.
    thread = Thread.objects.get(page=budget)
    reply = Comment.objects.get(pk=imported_pk("comment", "5"))  # a reply three levels down
    assert (reply.depth, reply.thread_id) == (3, thread.pk)
    assert reply.root_id == imported_pk("comment", "2")
    assert Comment.objects.get(pk=imported_pk("comment", "2")).upvotes == 7
    assert Comment.objects.get(pk=imported_pk("comment", "10")).is_pinned
    assert Comment.objects.get(pk=imported_pk("comment", "6")).status == CommentStatus.PENDING
    assert Comment.objects.get(pk=imported_pk("comment", "8")).status == CommentStatus.REMOVED
    assert not ImportedObject.objects.filter(kind="comment", source_id="9").exists()  # pingback
    assert Thread.objects.get(page_id=imported_pk("article", "7")).is_closed  # wpDiscuz closed

    page = client.get(budget.url).content.decode()
    assert "Finally the ferry is safe." in page and "Something rude." not in page

    for old in ("/2024/04/12/council-passes-harbour-budget/", "/?p=5"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, budget.url)
    response = client.get(f"/api/v1/threads/{thread.pk}/comment-anchors/3")
    assert response.json()["comment_id"] == imported_pk("comment", "3")


def test_demo_archive_imports_nothing_twice(a_home: Any) -> None:
    load_demo_archive()
    counts = (ArticlePage.objects.count(), Comment.objects.count(), SectionPage.objects.count())
    again = load_demo_archive()
    assert (
        ArticlePage.objects.count(),
        Comment.objects.count(),
        SectionPage.objects.count(),
    ) == counts
    assert again.run.report["counts"]["article"] == {"unchanged": 3}
    assert again.run.report["counts"]["comment"] == {"unchanged": 9}
    assert ImportRun.objects.count() == 2


def test_demo_export_ships_inside_the_package() -> None:
    assert DEMO_EXPORT.is_file()
    assert DEMO_EXPORT.stat().st_size < 64_000  # small: the demo stays fast
    assert "generator=\"WordPress/6.1" in DEMO_EXPORT.read_text(encoding="utf-8")[:3000]
