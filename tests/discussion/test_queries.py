"""Reads: keyset pages in every sort order (pinned first), a fixed number of queries, deep chains."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.discussion import actions, queries
from masthead.discussion.models import Comment, CommentStatus
from masthead.discussion.serialise import node_item
from tests.helpers import Reader, comment_input, guest_actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven_roots(a_thread: Any, moderator_actor: Any, settings: Any) -> list[Comment]:
    """Seven top-level comments a minute apart, with scores, one pinned (the fourth)."""
    settings.RATELIMIT_ENABLED = False
    roots = [
        actions.post_comment(guest_actor(f"r{n}"), a_thread, comment_input(f"Root {n}"))
        for n in range(7)
    ]
    start = timezone.now() - timedelta(hours=1)
    for n, root in enumerate(roots):
        Comment.objects.filter(pk=root.pk).update(created_at=start + timedelta(minutes=n))
    for n, score in enumerate([2, 0, 5, 2, -1, 2, 0]):
        for voter in range(abs(score)):
            actions.vote(guest_actor(f"v{n}-{voter}"), roots[n], 1 if score > 0 else -1)
    actions.set_pinned(moderator_actor, roots[3], True)
    return roots


def walk(thread: Any, sort: str, limit: int) -> list[int]:
    seen: list[int] = []
    cursor = None
    while True:
        roots, cursor = queries.root_page(thread, sort, limit, cursor)
        seen.extend(root.pk for root in roots)
        if cursor is None:
            return seen


@pytest.mark.parametrize("limit", [1, 2, 3, 7, 50])
def test_keyset_pages_cover_every_sort_with_pinned_first(
    a_thread: Any, seven_roots: list[Comment], limit: int
) -> None:
    ids = [root.pk for root in seven_roots]
    pinned = ids[3]
    rest = [pk for pk in ids if pk != pinned]
    score = {ids[n]: s for n, s in enumerate([2, 0, 5, 2, -1, 2, 0])}
    expected = {
        "newest": [pinned, *reversed(rest)],
        "oldest": [pinned, *rest],
        "votes": [pinned, *sorted(rest, key=lambda pk: (-score[pk], -ids.index(pk)))],
    }
    for sort, order in expected.items():
        assert walk(a_thread, sort, limit) == order, sort


def test_cursor_of_one_sort_is_refused_by_another(
    a_thread: Any, seven_roots: list[Comment]
) -> None:
    _, cursor = queries.root_page(a_thread, "newest", 2)
    reader = Reader()
    response = reader.get(f"/api/v1/threads/{a_thread.pk}/comments", sort="oldest", cursor=cursor)
    assert response.status_code == 400 and response.json()["error"] == "invalid"


def _page_queries(thread: Any) -> int:
    """Queries of one API page when the page JSON is not cached (a new comment just changed it)."""
    reader = Reader()
    reader.get(f"/api/v1/threads/{thread.pk}/comments")  # warms the policy cache
    actions.post_comment(guest_actor("bump"), thread, comment_input(f"Bump {timezone.now()}"))
    with CaptureQueriesContext(connection) as captured:
        assert reader.get(f"/api/v1/threads/{thread.pk}/comments").status_code == 200
    return len(captured)


def test_a_page_of_comments_costs_the_same_queries_whatever_its_size(
    a_thread: Any, settings: Any
) -> None:
    settings.RATELIMIT_ENABLED = False
    top = actions.post_comment(guest_actor("a"), a_thread, comment_input("Top"))
    actions.post_comment(guest_actor("b"), a_thread, comment_input("Reply", parent_id=top.pk))
    small = _page_queries(a_thread)
    for n in range(12):
        root = actions.post_comment(guest_actor(f"x{n}"), a_thread, comment_input(f"Root {n}"))
        reply = actions.post_comment(
            guest_actor(f"y{n}"), a_thread, comment_input(f"Reply {n}", parent_id=root.pk)
        )
        actions.post_comment(
            guest_actor(f"z{n}"), a_thread, comment_input(f"Deeper {n}", parent_id=reply.pk)
        )
    assert _page_queries(a_thread) == small
    assert small <= 7


def test_article_page_region_queries_do_not_grow(
    a_thread: Any, an_article: Any, settings: Any
) -> None:
    from django.test import Client

    settings.RATELIMIT_ENABLED = False
    actions.post_comment(guest_actor("a"), a_thread, comment_input("One"))
    Client().get(an_article.url)  # creates per-site settings rows on first use
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        Client().get(an_article.url)
    for n in range(10):
        root = actions.post_comment(guest_actor(f"m{n}"), a_thread, comment_input(f"Root {n}"))
        actions.post_comment(
            guest_actor(f"n{n}"), a_thread, comment_input(f"Reply {n}", parent_id=root.pk)
        )
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        Client().get(an_article.url)
    assert len(many) == len(few)


def test_replies_nest_to_the_display_depth_then_go_flat_naming_the_parent(
    a_thread: Any, settings: Any
) -> None:
    settings.RATELIMIT_ENABLED = False
    chain = [actions.post_comment(guest_actor("c0"), a_thread, comment_input("Level 0"))]
    for n in range(1, 7):
        chain.append(
            actions.post_comment(
                guest_actor(f"c{n}"),
                a_thread,
                comment_input(f"Level {n}", parent_id=chain[-1].pk, name=f"Name{n}"),
            )
        )
    item = Reader().get(f"/api/v1/threads/{a_thread.pk}/comments").json()["items"][0]
    level1 = item["replies"][0]
    level2 = level1["replies"][0]
    level3 = level2["replies"]
    assert [reply["id"] for reply in level3] == [c.pk for c in chain[3:]]
    assert all(reply["replies"] == [] for reply in level3)
    assert level3[0]["replying_to"] is None
    assert level3[1]["replying_to"] == {"id": chain[3].pk, "name": "Name3"}


def test_ten_thousand_deep_chain_builds_without_recursion() -> None:
    now = timezone.now()
    root = Comment(
        pk=1,
        parent_id=None,
        depth=0,
        status=CommentStatus.APPROVED,
        created_at=now,
        author_name="a",
        html="<p>0</p>",
    )
    replies = [
        Comment(
            pk=n,
            parent_id=n - 1,
            root_id=1,
            depth=n - 1,
            status=CommentStatus.APPROVED,
            created_at=now,
            author_name=f"a{n}",
            html="<p>x</p>",
        )
        for n in range(2, 10_002)
    ]
    (tree,) = queries.build_tree([root], replies, display_depth=4)
    item = node_item(tree)
    flat = item["replies"][0]["replies"][0]["replies"]
    assert len(flat) == 9_998 and flat[-1]["replying_to"]["id"] == 10_000


def test_deep_chain_through_the_api(a_thread: Any, settings: Any) -> None:
    settings.RATELIMIT_ENABLED = False
    reader = Reader()
    parent = None
    for n in range(40):
        response = reader.comment(a_thread.pk, f"Depth {n}", parent_id=parent)
        assert response.status_code == 201
        parent = response.json()["id"]
    listing = reader.get(f"/api/v1/threads/{a_thread.pk}/comments", limit="all")
    assert listing.status_code == 200 and listing.json()["count"] == 40


def test_removed_parent_hides_its_replies_and_placeholders_keep_threads(
    a_thread: Any, moderator_actor: Any
) -> None:
    top = actions.post_comment(guest_actor("a"), a_thread, comment_input("Top"))
    reply = actions.post_comment(
        guest_actor("b"), a_thread, comment_input("Reply", parent_id=top.pk)
    )
    actions.set_comment_status(moderator_actor, reply, "removed")
    page = queries.thread_page(a_thread)
    assert [node.comment.pk for node in page.items] == [top.pk] and page.items[0].replies == []


@pytest.mark.parametrize("sort", ["newest", "oldest", "votes"])
def test_a_first_page_never_scans_the_thread(seven_roots: list[Comment], sort: str) -> None:
    """Every comment query of a page goes through an index on the thread (or root), so a page of a
    30,000-comment thread costs what a page of a small one does: no plan step scans the table."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's query plans")
    thread = seven_roots[0].thread
    with CaptureQueriesContext(connection) as captured:
        queries.thread_page(thread, sort, 20, None, 4, "")
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
            plans.extend(row[3] for row in cursor.fetchall())
    comment_steps = [step for step in plans if "discussion_comment" in step]
    assert comment_steps and all(step.startswith("SEARCH") for step in comment_steps), plans
    assert any("comment_pinned_by_thread" in step for step in comment_steps)
