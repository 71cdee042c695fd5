"""The server-rendered discussion region under an article, and the comment form without JavaScript."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from masthead.discussion import actions
from masthead.discussion.models import Comment
from tests.helpers import comment_input, guest_actor

pytestmark = pytest.mark.django_db


def form_post(
    client: Client, thread_id: int, origin: str | None = "http://testserver", **fields: Any
) -> Any:
    data = {
        "body": "From the form",
        "name": "Nora",
        "email": "nora@example.com",
        "notify": "replies",
        **fields,
    }
    headers = {"HTTP_ORIGIN": origin} if origin else {}
    return client.post(f"/discussion/threads/{thread_id}/post/", data, **headers)


def test_region_shows_count_form_sort_tabs_and_comments(a_thread: Any, an_article: Any) -> None:
    ada = guest_actor("ada")
    top = actions.post_comment(ada, a_thread, comment_input("Top *comment*"))
    actions.post_comment(
        guest_actor("bob"), a_thread, comment_input("Reply", parent_id=top.pk, name="Bob")
    )
    html = Client().get(an_article.url).content.decode()
    assert 'id="comments"' in html and "<span data-count>2</span> Comments" in html
    assert "Would love your thoughts, please comment." in html
    assert 'name="notify"' in html and "all new follow-up comments" in html
    for label in ("Newest", "Oldest", "Most voted"):
        assert label in html
    assert f'id="comment-{top.pk}"' in html and "<p>Top <em>comment</em></p>" in html
    assert "comment-list--replies" in html


def test_page_is_identical_for_anonymous_readers_and_holds_no_csrf_token(
    a_thread: Any, an_article: Any
) -> None:
    actions.post_comment(guest_actor("ada"), a_thread, comment_input("Hello"))
    first = Client(REMOTE_ADDR="192.0.2.1").get(an_article.url)
    second = Client(REMOTE_ADDR="192.0.2.2", HTTP_USER_AGENT="other").get(an_article.url)
    assert first.content == second.content
    assert b"csrfmiddlewaretoken" not in first.content and b"csrftoken" not in first.content
    assert "csrftoken" not in first.cookies


def test_form_post_redirects_to_the_new_comment(a_thread: Any, an_article: Any) -> None:
    client = Client()
    response = form_post(client, a_thread.pk)
    comment = Comment.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"{an_article.url}?comment={comment.pk}#comment-{comment.pk}"
    assert "masthead_guest" in response.cookies
    page = client.get(response["Location"].split("#")[0]).content.decode()
    assert f'id="comment-{comment.pk}"' in page


def test_form_post_reply_and_errors_keep_the_text(a_thread: Any) -> None:
    client = Client()
    form_post(client, a_thread.pk, body="Parent")
    parent = Comment.objects.get()
    assert form_post(client, a_thread.pk, body="Child", parent_id=str(parent.pk)).status_code == 303
    assert Comment.objects.get(body="Child").parent_id == parent.pk
    refused = form_post(client, a_thread.pk, body="Child", name="")
    assert refused.status_code == 400
    assert "Your comment was not posted" in refused.content.decode()
    assert "Child</textarea>" in refused.content.decode()


def test_form_post_from_another_origin_is_refused(a_thread: Any) -> None:
    assert form_post(Client(), a_thread.pk, origin="http://evil.example").status_code == 403
    assert form_post(Client(), a_thread.pk, origin=None).status_code == 403
    assert not Comment.objects.exists()


def test_pending_form_post_says_awaiting_moderation(a_thread: Any, an_article: Any) -> None:
    an_article.comments_premoderation = "all"
    an_article.save_revision().publish()
    response = form_post(Client(), a_thread.pk)
    assert response["Location"] == f"{an_article.url}?posted=pending#comments"
    assert (
        "awaiting moderation" in Client().get(f"{an_article.url}?posted=pending").content.decode()
    )
    assert Comment.objects.get().status == "pending"


def test_closed_and_hidden_discussions(a_thread: Any, an_article: Any) -> None:
    an_article.comments_mode = "closed"
    an_article.save_revision().publish()
    html = Client().get(an_article.url).content.decode()
    assert "Comments are closed" in html and "data-comment-form" not in html
    assert form_post(Client(), a_thread.pk).status_code == 403
    an_article.comments_mode = "hidden"
    an_article.save_revision().publish()
    assert 'id="comments"' not in Client().get(an_article.url).content.decode()


def test_section_policy_applies_unless_the_article_overrides(
    a_thread: Any, an_article: Any, a_section: Any
) -> None:
    from masthead.discussion.policy import effective_policy

    a_section.comments_mode = "closed"
    a_section.save_revision().publish()
    assert not effective_policy(an_article).is_open
    an_article.comments_mode = "open"
    an_article.save_revision().publish()
    assert effective_policy(an_article).is_open


def test_auto_close_after_n_days(an_article: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from masthead.discussion.policy import effective_policy
    from masthead.publishing.models import ArticlePage

    an_article.comments_auto_close_days = 3
    an_article.save_revision().publish()
    assert effective_policy(an_article).is_open
    ArticlePage.objects.filter(pk=an_article.pk).update(
        first_published_at=timezone.now() - timedelta(days=4)
    )
    assert not effective_policy(ArticlePage.objects.get(pk=an_article.pk)).is_open


def test_deep_link_opens_the_page_holding_the_comment(
    a_thread: Any, an_article: Any, settings: Any
) -> None:
    settings.RATELIMIT_ENABLED = False
    ada = guest_actor("ada")
    first = actions.post_comment(ada, a_thread, comment_input("The oldest one"))
    for n in range(21):
        actions.post_comment(ada, a_thread, comment_input(f"Comment {n}"))
    plain = Client().get(an_article.url).content.decode()
    assert f'id="comment-{first.pk}"' not in plain and "Load more comments" in plain
    linked = Client().get(f"{an_article.url}?comment={first.pk}").content.decode()
    assert f'id="comment-{first.pk}"' in linked
    everything = Client().get(f"{an_article.url}?comments=all").content.decode()
    assert len(re.findall(r'id="comment-\d+"', everything)) == 22
    permalink = Client().get(f"/discussion/comments/{first.pk}/")
    assert permalink["Location"] == f"{an_article.url}?comment={first.pk}#comment-{first.pk}"


def test_deleted_placeholder_and_edited_marker_render(a_thread: Any, an_article: Any) -> None:
    ada, bob = guest_actor("ada"), guest_actor("bob")
    top = actions.post_comment(ada, a_thread, comment_input("Will go"))
    reply = actions.post_comment(bob, a_thread, comment_input("Stays", parent_id=top.pk))
    actions.edit_comment(bob, reply, "Stays, edited")
    actions.delete_comment(ada, top)
    html = Client().get(an_article.url).content.decode()
    assert "[deleted]" in html and "Will go" not in html
    assert "Stays, edited" in html and 'class="comment__edited"' in html


def test_long_reply_lists_are_windowed(a_thread: Any, an_article: Any, settings: Any) -> None:
    settings.RATELIMIT_ENABLED = False
    top = actions.post_comment(guest_actor("ada"), a_thread, comment_input("Top"))
    for n in range(8):
        actions.post_comment(
            guest_actor(f"r{n}"), a_thread, comment_input(f"Reply {n}", parent_id=top.pk)
        )
    html = Client().get(an_article.url).content.decode()
    assert "Show 3 more replies" in html and "Reply 7" in html


def test_avatar_is_a_local_svg(db: Any) -> None:
    response = Client().get("/discussion/avatars/0123456789abcdef.svg", {"i": "<b>"})
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert b"<b>" not in response.content and b">B<" in response.content
