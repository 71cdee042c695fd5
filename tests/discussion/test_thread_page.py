"""The discussion's own page, /discussion/t/<id>/: an external page's thread shown on this site (the
same region as under an article, its no-JS form coming back to it); an article's thread redirects."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from masthead.core.canonical_url import canonical_url_or_none
from masthead.discussion import actions
from masthead.discussion.models import Comment, CommentStatus
from masthead.discussion.policy import DiscussionSettings, site_settings
from tests.helpers import comment_as, guest_actor, hostile_strings

pytestmark = pytest.mark.django_db

STORY = "https://news.example.org/2024/05/river-report/"


@pytest.fixture
def an_external_thread(db: Any) -> Any:
    return actions.thread_for_external_url(STORY, "The river report")


def page_of(thread: Any) -> str:
    return reverse("discussion:thread_page", args=[thread.pk])


def form_post(
    client: Client, thread: Any, origin: str | None = "http://testserver", **fields: Any
) -> Any:
    data = {"body": "From the form", "name": "Nora", "email": "nora@example.com", **fields}
    headers = {"HTTP_ORIGIN": origin} if origin else {}
    return client.post(reverse("discussion:post_form", args=[thread.pk]), data, **headers)


def premoderate_everything(django_capture_on_commit_callbacks: Any) -> None:
    settings_row = site_settings()
    settings_row.premoderation = "all"
    with django_capture_on_commit_callbacks(execute=True):  # the cached policy goes on commit
        settings_row.save()


def test_the_page_shows_the_title_the_story_link_and_the_discussion(
    an_external_thread: Any,
) -> None:
    top = comment_as(guest_actor("ada"), an_external_thread, "Top *comment*")
    reply = comment_as(guest_actor("bob"), an_external_thread, "A reply", parent_id=top.pk)
    response = Client().get(page_of(an_external_thread))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>The river report — " in html
    assert '<h1 class="article__headline" dir="auto">The river report</h1>' in html
    assert f'<a class="button" href="{STORY}" rel="noopener" data-story-link>' in html
    assert "Read the story on news.example.org" in html
    assert "2 comments" in html and "<span data-count>2</span> Comments" in html
    assert f'<link rel="canonical" href="http://testserver{page_of(an_external_thread)}">' in html
    assert 'name="robots"' not in html
    # The region of the article page: what discussion.js needs, and the no-JS form.
    assert f'data-discussion data-thread-id="{an_external_thread.pk}"' in html
    assert "discussion/discussion.js" in html
    assert f'action="/discussion/threads/{an_external_thread.pk}/post/"' in html
    assert f'id="comment-{top.pk}"' in html and "<p>Top <em>comment</em></p>" in html
    assert f'id="comment-{reply.pk}"' in html and "comment-list--replies" in html
    # Signing in from the form comes back here.
    assert f"/accounts/login/?next={page_of(an_external_thread)}%23respond" in html


def test_pending_comments_are_not_shown(
    an_external_thread: Any, django_capture_on_commit_callbacks: Any
) -> None:
    comment_as(guest_actor("ada"), an_external_thread, "Public words")
    premoderate_everything(django_capture_on_commit_callbacks)
    held = comment_as(guest_actor("eve"), an_external_thread, "Held words")
    assert held.status == CommentStatus.PENDING
    html = Client().get(page_of(an_external_thread)).content.decode()
    assert "<p>Public words</p>" in html
    assert "Held words" not in html and f'id="comment-{held.pk}"' not in html
    assert "1 comment<" in html


def test_page_is_identical_for_anonymous_readers_and_holds_no_csrf_token(
    an_external_thread: Any,
) -> None:
    comment_as(guest_actor("ada"), an_external_thread, "Hello")
    first = Client(REMOTE_ADDR="192.0.2.1").get(page_of(an_external_thread))
    second = Client(REMOTE_ADDR="192.0.2.2", HTTP_USER_AGENT="other").get(
        page_of(an_external_thread)
    )
    assert first.content == second.content
    assert b"csrfmiddlewaretoken" not in first.content and "csrftoken" not in first.cookies


def test_hostile_titles_are_escaped(db: Any) -> None:
    for number, title in enumerate(hostile_strings("xss.txt")):
        thread = actions.thread_for_external_url(f"https://news.example.org/x/{number}/", title)
        shown = thread.display_title
        html = Client().get(page_of(thread)).content.decode()
        assert f'dir="auto">{escape(shown)}</h1>' in html, title
        assert f"<title>{escape(shown)} — " in html, title
        if escape(shown) != shown:
            assert shown not in html, title


def test_a_hostile_story_url_stays_inside_its_attribute(db: Any) -> None:
    for number, line in enumerate(hostile_strings("xss.txt")):
        url = canonical_url_or_none(f"https://news.example.org/{number}/{line}")
        if url is None:  # not a URL a thread could be kept under
            continue
        thread = actions.thread_for_external_url(url, "Story")
        html = Client().get(page_of(thread)).content.decode()
        assert f'href="{escape(thread.url)}" rel="noopener"' in html, line
        assert "Read the story on news.example.org<" in html, line


def test_an_articles_thread_redirects_to_the_articles_comments(
    a_thread: Any, an_article: Any
) -> None:
    response = Client().get(page_of(a_thread))
    assert response.status_code == 302
    assert response["Location"] == f"{an_article.url}#comments"


def test_unknown_unpublished_and_hidden_threads_are_the_sites_404(
    a_thread: Any, an_article: Any
) -> None:
    for path in ("/discussion/t/999999/", "/discussion/t/0/", "/discussion/t/9999999999999999999/"):
        response = Client().get(path)
        assert response.status_code == 404, path
        assert "Page not found" in response.content.decode()
    an_article.comments_mode = "hidden"
    an_article.save_revision().publish()
    response = Client().get(page_of(a_thread))
    assert response.status_code == 404 and "Page not found" in response.content.decode()
    an_article.unpublish()
    assert Client().get(page_of(a_thread)).status_code == 404


def test_a_closed_thread_shows_its_comments_without_the_form(
    an_external_thread: Any, moderator_actor: Any
) -> None:
    comment_as(guest_actor("ada"), an_external_thread, "Said before closing")
    actions.set_thread_closed(moderator_actor, an_external_thread, True)
    html = Client().get(page_of(an_external_thread)).content.decode()
    assert "<p>Said before closing</p>" in html
    assert "Comments are closed" in html and "data-comment-form" not in html


def test_the_form_post_comes_back_to_this_page_with_the_new_comment(
    an_external_thread: Any,
) -> None:
    client = Client()
    response = form_post(client, an_external_thread, body="Posted *without* JavaScript")
    comment = Comment.objects.get()
    assert response.status_code == 303
    assert response["Location"] == (
        f"{page_of(an_external_thread)}?comment={comment.pk}#comment-{comment.pk}"
    )
    page = client.get(response["Location"].split("#")[0])
    assert page.status_code == 200
    assert f'id="comment-{comment.pk}"' in page.content.decode()
    assert "<p>Posted <em>without</em> JavaScript</p>" in page.content.decode()


def test_a_held_form_post_comes_back_to_this_page_with_the_notice(
    an_external_thread: Any, django_capture_on_commit_callbacks: Any
) -> None:
    premoderate_everything(django_capture_on_commit_callbacks)
    client = Client()
    response = form_post(client, an_external_thread, body="Wait for me")
    assert response.status_code == 303
    assert response["Location"] == f"{page_of(an_external_thread)}?posted=pending#comments"
    html = client.get(response["Location"].split("#")[0]).content.decode()
    assert "awaiting moderation" in html and "Wait for me" not in html


def test_a_refused_form_post_links_back_to_this_page(an_external_thread: Any) -> None:
    cross_site = form_post(Client(), an_external_thread, origin="https://evil.example")
    assert cross_site.status_code == 403 and not Comment.objects.exists()
    refused = form_post(Client(), an_external_thread, name="")
    assert refused.status_code == 400
    html = refused.content.decode()
    assert f'href="{page_of(an_external_thread)}#respond"' in html
    assert "From the form</textarea>" in html


def test_an_external_threads_permalink_still_goes_to_the_story(an_external_thread: Any) -> None:
    comment = comment_as(guest_actor("ada"), an_external_thread, "Linked")
    response = Client().get(reverse("discussion:permalink", args=[comment.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"{STORY}?comment={comment.pk}#comment-{comment.pk}"


def test_settings_of_the_site_apply(an_external_thread: Any) -> None:
    DiscussionSettings.objects.filter(pk=site_settings().pk).update(comments_open=False)
    html = Client().get(page_of(an_external_thread)).content.decode()
    assert "Comments are closed" in html
