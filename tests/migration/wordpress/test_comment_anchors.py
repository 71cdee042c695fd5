"""`#comment-N` links with a WordPress comment id find the imported comment (API and browser)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType

from masthead.core.actors import Actor
from masthead.discussion import actions
from masthead.discussion.models import Comment
from masthead.migration.models import ImportedObject
from tests.helpers import comment_input, guest_actor

SOURCE = "wordpress:news.example.org"


def imported_article(article: Any, post_id: str = "5") -> None:
    """What the WordPress source records for the article it made."""
    ImportedObject.objects.create(
        source=SOURCE,
        kind="article",
        source_id=post_id,
        content_type=ContentType.objects.get_for_model(article, for_concrete_model=False),
        object_id=str(article.pk),
    )


def imported_comment(thread: Any, wordpress_id: int, *, approved: bool = True, n: int = 0) -> Comment:
    """A comment as the import writer leaves it: a row, and its source id beside it."""
    comment = actions.post_comment(
        guest_actor(f"wp{wordpress_id}"),
        thread,
        comment_input(f"Imported comment number {n} from WordPress.", name=f"Reader {n}", email=f"r{n}@example.com"),
    )
    status = "approved" if approved else "pending"
    if comment.status != status:
        comment = actions.set_comment_status(Actor.system(), comment, status, "imported")
    ImportedObject.objects.create(
        source=SOURCE,
        kind="comment",
        source_id=str(wordpress_id),
        content_type=ContentType.objects.get_for_model(Comment),
        object_id=str(comment.pk),
    )
    return comment


@pytest.fixture
def an_imported_thread(an_article: Any, settings: Any) -> Any:
    settings.RATELIMIT_ENABLED = False
    imported_article(an_article)
    return actions.thread_for_page(an_article)


def test_anchor_finds_the_comment_by_its_wordpress_id(an_imported_thread: Any, client: Any) -> None:
    comment = imported_comment(an_imported_thread, 4021)
    response = client.get(f"/api/v1/threads/{an_imported_thread.pk}/comment-anchors/4021")
    assert response.status_code == 200
    assert response.json() == {
        "comment_id": comment.pk,
        "thread_id": an_imported_thread.pk,
        "anchor": f"comment-{comment.pk}",
    }


def test_unknown_hidden_or_other_threads_comments_are_404(
    an_imported_thread: Any, client: Any, a_section: Any
) -> None:
    from masthead.publishing.actions import create_article

    imported_comment(an_imported_thread, 77, approved=False)
    other = create_article(a_section, "Another imported story")
    imported_article(other, post_id="6")
    other_thread = actions.thread_for_page(other)
    imported_comment(other_thread, 88)
    base = f"/api/v1/threads/{an_imported_thread.pk}/comment-anchors"
    for number in (77, 88, 999):
        response = client.get(f"{base}/{number}")
        assert response.status_code == 404, number
        assert response.json()["error"] == "not_found"
    assert client.get(f"{base}/abc").status_code == 400
    assert client.get("/api/v1/threads/999999/comment-anchors/88").status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_old_wordpress_link_scrolls_to_the_imported_comment(
    live_server: Any, page: Any, a_home: Any, settings: Any
) -> None:
    from masthead.publishing.actions import create_article, create_section

    settings.RATELIMIT_ENABLED = False
    section = create_section(a_home, "Local", "local")
    article = create_article(section, "Council passes the harbour budget")
    imported_article(article)
    thread = actions.thread_for_page(article)
    # The oldest of 25: not among the 20 newest the page shows first.
    oldest = imported_comment(thread, 4021, n=0)
    for n in range(1, 25):
        imported_comment(thread, 5000 + n, n=n)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + article.url + "#comment-4021")
    target = page.locator(f"#comment-{oldest.pk}")
    target.wait_for()
    page.wait_for_function("id => location.hash === `#comment-${id}`", arg=oldest.pk)
    assert "comment--highlight" in (target.get_attribute("class") or "")
    assert target.is_visible()
    in_view = page.evaluate(
        "id => { const r = document.getElementById(`comment-${id}`).getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= innerHeight; }",
        oldest.pk,
    )
    assert in_view
    assert errors == []
