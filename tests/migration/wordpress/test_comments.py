"""Comments of a real WordPress export come out as one thread per post, tree, statuses and wpDiscuz meta intact."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from masthead.migration.records import ImportedStatus, SourceComment, SourceUser

from .conftest import MASTHEAD_EXPORT, run_import


def by_author(comments: list[SourceComment]) -> dict[str, SourceComment]:
    """Each author's first comment."""
    return {comment.author_name: comment for comment in reversed(comments)}


def test_threads_keep_the_tree_four_levels_deep(imported: Any) -> None:
    threads, _ = imported
    comments = {comment.source_id: comment for comment in threads["5"].comments}
    depth = {}
    for comment in comments.values():
        level, parent = 0, comment.parent_id
        while parent is not None:
            level, parent = level + 1, comments[parent].parent_id
        depth[comment.body] = level
    assert max(depth.values()) == 3  # Marta -> Lea -> Marta -> Jonas
    jonas = next(c for c in comments.values() if c.author_name == "Jonas")
    assert jonas.body == "<p>Both true. <em>Page 14</em> is grim.</p>"


def test_statuses_map_to_masthead_words(imported: Any) -> None:
    threads, _ = imported
    comments = by_author(threads["5"].comments)
    assert comments["Marta Ruiz"].status is ImportedStatus.APPROVED
    assert comments["New Reader"].status is ImportedStatus.PENDING
    assert comments["Angry Person"].status is ImportedStatus.REMOVED  # trash
    assert [c.status for c in threads["12"].comments] == [ImportedStatus.REMOVED]  # post-trashed


def test_spam_comments_arrive_as_spam(a_home: Any, tmp_path: Path) -> None:
    # WordPress leaves spam out of its exports; a WXR from a plugin or a hand copy may have it.
    text = MASTHEAD_EXPORT.read_text(encoding="utf-8")
    with_spam = tmp_path / "with-spam.xml"
    with_spam.write_text(
        text.replace(
            "<wp:comment_approved><![CDATA[0]]></wp:comment_approved>",
            "<wp:comment_approved><![CDATA[spam]]></wp:comment_approved>",
        ),
        encoding="utf-8",
    )
    threads, _ = run_import(with_spam)
    post = next(thread for thread in threads if thread.source_id == "5")
    assert by_author(post.comments)["New Reader"].status is ImportedStatus.SPAM


def test_dates_are_utc_from_comment_date_gmt(imported: Any) -> None:
    threads, _ = imported
    marta = by_author(threads["5"].comments)["Marta Ruiz"]
    # WordPress's local time was 08:00 in Berlin (summer time): 06:00 UTC.
    assert marta.created_at == dt.datetime(2024, 4, 13, 6, 0, tzinfo=dt.UTC)


def test_author_details_and_registered_users(imported: Any) -> None:
    threads, _ = imported
    comments = by_author(threads["5"].comments)
    marta = comments["Marta Ruiz"]
    assert (marta.author_email, marta.author_website) == ("marta@example.com", "https://marta.example.com")
    assert marta.author_ip.startswith("203.0.113.")
    assert marta.user_id is None
    lea = comments["Lea Schmidt"]
    assert lea.user_id is not None
    assert lea.extra["user"] == SourceUser(
        source_id=lea.user_id, name="Lea Schmidt", email="lea@example.net", website="", verified=True
    )
    editor = comments["Rania Haddad"]
    assert editor.extra["user"].email == "rania@news.example.org"  # from the export's authors


def test_pingbacks_are_skipped_and_reported_unless_asked_for(imported: Any, a_home: Any) -> None:
    threads, notes = imported
    assert all(c.kind == "comment" for t in threads.values() for c in t.comments)
    assert [skip.reason for skip in notes.skipped("pingback")] == ["pingback"]
    kept, notes = run_import(MASTHEAD_EXPORT, with_pingbacks=True)
    pingbacks = [c for t in kept for c in t.comments if c.kind == "pingback"]
    assert [p.author_name for p in pingbacks] == ["Harbour Blog » Budget notes"]
    assert pingbacks[0].author_website == "https://harbour-blog.example/budget-notes/"
    assert not notes.skipped("pingback")


def test_wpdiscuz_votes_pins_and_closures(imported: Any) -> None:
    threads, _ = imported
    comments = by_author(threads["5"].comments)
    marta = comments["Marta Ruiz"]
    assert (marta.upvotes, marta.downvotes) == (7, 2)  # wpdiscuz_votes_seperate
    assert (comments["Lea Schmidt"].upvotes, comments["Lea Schmidt"].downvotes) == (3, 0)
    assert (comments["Jonas"].upvotes, comments["Jonas"].downvotes) == (0, 1)  # wpdiscuz_votes: -1
    assert comments["Rania Haddad"].is_pinned  # comment_type wpdiscuz_sticky
    assert not marta.is_pinned
    assert not threads["5"].closed
    assert threads["6"].closed  # comment_status closed
    assert threads["7"].closed  # wpdiscuz_closed


def test_comment_bodies_keep_paragraphs_and_lose_unsafe_html(imported: Any) -> None:
    threads, _ = imported
    lea = by_author(threads["5"].comments)["Lea Schmidt"]
    assert lea.body == "<p>Safe for one year. Read page 14 of the budget.</p><p>The money runs out in 2026.</p>"


def test_php_serialized_reader_refuses_objects() -> None:
    import pytest

    from masthead.migration.wordpress.serialized import (
        PhpSerializeError,
        php_unserialize,
        wpdiscuz_votes,
    )

    assert php_unserialize('a:2:{s:4:"like";i:7;s:7:"dislike";i:2;}') == {"like": 7, "dislike": 2}
    assert php_unserialize('s:5:"héé";') == "héé"  # lengths are bytes
    with pytest.raises(PhpSerializeError):
        php_unserialize('O:8:"stdClass":0:{}')
    assert wpdiscuz_votes({"wpdiscuz_votes_seperate": 'O:8:"Exploit":0:{}', "wpdiscuz_votes": "4"}) == (4, 0)
    assert wpdiscuz_votes({"wpdiscuz_votes_seperate": "a:9999999:{"}) == (0, 0)
