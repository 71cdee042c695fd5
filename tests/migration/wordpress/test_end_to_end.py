"""`masthead import wordpress` end to end: the source, the shared writer and the report together."""

from __future__ import annotations

import io
from typing import Any

import pytest

from masthead.migration.models import ImportedObject

from .conftest import MASTHEAD_EXPORT, UPLOADS

run_module = pytest.importorskip("masthead.migration.run", reason="the import writer is not merged")


def masthead_import(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = run_module.run_import("wordpress", [*args, "--no-progress"], out, err)
    return status, out.getvalue(), err.getvalue()


def comment_of(wordpress_id: str) -> Any:
    from masthead.discussion.models import Comment

    row = ImportedObject.objects.get(kind="comment", source_id=wordpress_id)
    return Comment.objects.get(pk=row.object_id)


def test_import_writes_articles_threads_and_comments_and_a_rerun_changes_nothing(
    a_home: Any,
) -> None:
    from masthead.discussion.models import Comment, Thread
    from masthead.publishing.models import ArticlePage

    status, out, err = masthead_import(str(MASTHEAD_EXPORT), "--uploads", str(UPLOADS))
    assert status == 0, err
    assert ArticlePage.objects.count() == 8
    budget = ArticlePage.objects.get(slug="council-passes-harbour-budget")
    thread = Thread.objects.get(page=budget)
    comments = Comment.objects.filter(thread=thread)
    # 8 comments in the export on this post, less the pingback (WordPress never exports spam).
    assert comments.count() == 7
    assert max(comments.values_list("depth", flat=True)) == 3
    assert set(comments.values_list("status", flat=True)) == {"approved", "pending", "removed"}
    marta = comments.get(author_name="Marta Ruiz", parent=None)
    assert (marta.upvotes, marta.downvotes) == (7, 2)
    assert comments.get(author_name="Rania Haddad").is_pinned
    assert comments.get(author_name="Lea Schmidt").user is not None
    assert Thread.objects.get(page__slug="ferry-questions").is_closed
    assert "pingback" in out + err

    counts = (ArticlePage.objects.count(), Comment.objects.count(), Thread.objects.count())
    status, out, err = masthead_import(str(MASTHEAD_EXPORT), "--uploads", str(UPLOADS))
    assert status == 0, err
    assert (ArticlePage.objects.count(), Comment.objects.count(), Thread.objects.count()) == counts


def test_old_comment_link_finds_the_imported_comment(a_home: Any, client: Any) -> None:
    from masthead.discussion.models import Thread

    assert masthead_import(str(MASTHEAD_EXPORT))[0] == 0
    marta = comment_of("2")
    thread = Thread.objects.get(pk=marta.thread_id)
    response = client.get(f"/api/v1/threads/{thread.pk}/comment-anchors/2")
    assert response.status_code == 200
    assert response.json()["comment_id"] == marta.pk


def test_dry_run_writes_nothing_and_reports(a_home: Any) -> None:
    from masthead.publishing.models import ArticlePage

    status, out, _ = masthead_import(str(MASTHEAD_EXPORT), "--dry-run")
    assert status == 0
    assert ArticlePage.objects.count() == 0
    assert ImportedObject.objects.count() == 0
    assert out.strip()


def test_a_broken_export_exits_1_with_one_line(a_home: Any, tmp_path: Any) -> None:
    from masthead.publishing.models import ArticlePage

    broken = tmp_path / "broken.xml"
    broken.write_bytes(MASTHEAD_EXPORT.read_bytes()[:20000])
    status, _, err = masthead_import(str(broken))
    assert status == 1
    assert "broken.xml: not well-formed XML" in err
    assert "Traceback" not in err
    assert ArticlePage.objects.count() == 0
