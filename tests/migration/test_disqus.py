"""Importing a Disqus export: threads by link, the tree, spam and deleted posts, hostile XML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from wagtail.contrib.redirects.models import Redirect

from masthead.discussion.models import Comment, CommentStatus, Thread
from masthead.migration.models import ImportedObject
from tests.migration.conftest import DATA, run

pytestmark = pytest.mark.django_db

EXPORT = DATA / "disqus-export.xml"
LINK = "http://localhost/middle-east/water-shortages-deepen-along-the-river/?utm_source=feed"


def export_for(article: Any, tmp_path: Path, link: str = "") -> Path:
    """The export with its first thread's link on this test site's address for `article`."""
    path = tmp_path / "export.xml"
    path.write_text(EXPORT.read_text().replace(LINK, link or f"{article.full_url}?utm_source=feed"))
    return path


def test_threads_find_their_article_by_full_url_and_others_become_stubs(
    an_article: Any, tmp_path: Path
) -> None:
    outcome = run("disqus", str(export_for(an_article, tmp_path)), "--create-stubs")
    assert outcome.status == 0, outcome.err
    article_thread = Thread.objects.get(page=an_article)
    by_id = {
        row.source_id: Comment.objects.get(pk=row.object_id)
        for row in ImportedObject.objects.filter(kind="comment", source="disqus:valley-news")
    }
    assert {c.thread_id for sid, c in by_id.items() if sid.startswith("70")} == {article_thread.pk}
    top, reply, deep = by_id["7001"], by_id["7002"], by_id["7003"]
    assert reply.parent == top and deep.parent == reply and deep.root == top and deep.depth == 2
    assert top.html.startswith("<p>The canal by our farm has been dry since May.</p>")
    assert 'rel="nofollow ugc noopener noreferrer"' in top.html  # sanitised like any comment
    assert reply.author_name == "Guest reader" and reply.author_email == ""
    assert by_id["7004"].status == CommentStatus.SPAM
    assert by_id["7005"].status == CommentStatus.DELETED
    assert by_id["7006"].parent == by_id["7005"]
    orphan = by_id["7007"]
    assert orphan.parent is None and orphan.moderation["reason"].startswith("parent missing")
    assert "1 comment: parent missing: kept as top-level, flagged (e.g. 7007)" in outcome.out
    assert "1 thread: deleted in Disqus" in outcome.out
    stub = Thread.objects.get(url="https://blog.example.net/2019/12/an-old-post/")
    assert stub.is_closed and stub.title == "An old post on the old blog"
    assert not Thread.objects.filter(url__contains="removed").exists()
    # What readers get: no spam, the deleted post as a placeholder holding its reply.
    listing = Client().get(f"/api/v1/threads/{article_thread.pk}/comments?limit=all").json()
    shown = str(listing)
    assert "watches" not in shown and "I regret this" not in shown
    assert "Answering the deleted one" in shown and "[deleted]" in shown
    article_thread.refresh_from_db()
    assert article_thread.comment_count == 5  # 7001, 7002, 7003, 7006, 7007
    found = Client().get(
        "/api/v1/threads", {"url": "https://BLOG.example.net/2019/12/an-old-post/"}
    )
    assert found.json()["id"] == stub.pk


def test_an_old_address_reaches_the_article_through_its_redirect(
    an_article: Any, tmp_path: Path
) -> None:
    path = export_for(an_article, tmp_path, "https://old.valley.example/2020/01/02/water/")
    Redirect.add_redirect("/2020/01/02/water/", an_article)
    without_host = run("disqus", str(path))
    assert "no article at URL" in without_host.out and not Comment.objects.exists()
    outcome = run("disqus", str(path), "--site-host", "old.valley.example")
    assert outcome.status == 0
    assert Comment.objects.filter(thread__page=an_article).count() == 7


def _one_line_failure(path: Path, expected: str) -> None:
    outcome = run("disqus", str(path), "--create-stubs")
    assert outcome.status == 1, outcome.out
    assert expected in outcome.err, outcome.err
    assert len(outcome.err.strip().splitlines()) == 1 and "Traceback" not in outcome.err
    assert not Comment.objects.exists() and not Thread.objects.exists()


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<disqus xmlns="http://disqus.com"><thread><link>&lol3;</link></thread></disqus>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE disqus [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<disqus xmlns="http://disqus.com"><thread><title>&secret;</title></thread></disqus>"""


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (BOMB, "declares a DTD or entities"),
        (EXTERNAL, "declares a DTD or entities"),
        (b"<disqus xmlns='http://disqus.com'><thread", "not well-formed XML"),
        (b"<?xml version='1.0'?><rss><channel/></rss>", "not a Disqus export"),
        (
            b"<disqus xmlns='http://disqus.com'><thread>\xff\xfe</thread></disqus>",
            "not well-formed",
        ),
        (b"PK\x03\x04 a zip file", "not well-formed XML"),
    ],
)
def test_hostile_or_wrong_files_end_with_one_line(
    db: Any, tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "export.xml"
    path.write_bytes(content)
    _one_line_failure(path, expected)


def test_a_truncated_export_writes_no_thread(db: Any, tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    data = EXPORT.read_bytes()
    path.write_bytes(data[: len(data) * 3 // 4])
    _one_line_failure(path, "not well-formed XML")


def test_an_entity_hidden_after_a_long_comment_is_still_refused(db: Any, tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    path.write_bytes(
        b"<?xml version='1.0'?><!--" + b"x" * 70000 + b"-->" + EXTERNAL.split(b"?>", 1)[1]
    )
    outcome = run("disqus", str(path))
    assert outcome.status == 1 and "DTD" in outcome.err
    assert "root:" not in outcome.out  # /etc/passwd never read


def test_rerun_of_a_disqus_export_is_unchanged(an_article: Any, tmp_path: Path) -> None:
    path = export_for(an_article, tmp_path)
    assert run("disqus", str(path), "--create-stubs").status == 0
    count = Comment.objects.count()
    again = run("disqus", str(path), "--create-stubs")
    assert "8 unchanged" in again.out and Comment.objects.count() == count
    path.write_text(path.read_text().replace("<isSpam>true</isSpam>", "<isSpam>false</isSpam>"))
    third = run("disqus", str(path), "--create-stubs")
    assert "1 updated" in third.out
    assert Comment.objects.get(author_name="Watches").status == CommentStatus.APPROVED
