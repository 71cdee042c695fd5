"""Live updates are on by default, switchable per site, section and article, and pause on quiet
threads; the stream refuses what it must (204 not followed, caps, moderators only)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from masthead.core.errors import ApiError, ErrorCode
from masthead.discussion.models import Comment, Thread
from tests.helpers import Reader, assert_error, comment_as, guest_actor


def live_attribute(article: Any) -> str:
    html = Client().get(article.url).content.decode()
    marker = 'data-live="'
    start = html.index(marker) + len(marker)
    return html[start : start + 1]


def events(thread: Any) -> Any:
    return Reader().get(f"/api/v1/threads/{thread.pk}/events")


def test_live_is_on_by_default_and_an_article_can_switch_it_off(
    a_thread: Any, an_article: Any
) -> None:
    assert live_attribute(an_article) == "1"
    an_article.comments_live = "off"
    an_article.save_revision().publish()
    assert live_attribute(an_article) == "0"
    response = events(a_thread)
    assert response.status_code == 204  # EventSource stops; the page does not follow live


def test_the_site_default_and_the_sections_choice_are_inherited(
    a_thread: Any, an_article: Any, a_section: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from masthead.discussion.policy import DiscussionSettings, site_settings

    DiscussionSettings.objects.filter(pk=site_settings(an_article).pk).update(live_updates=False)
    assert live_attribute(an_article) == "0"
    assert events(a_thread).status_code == 204
    a_section.comments_live = "on"
    with django_capture_on_commit_callbacks(execute=True):
        a_section.save_revision().publish()
    assert live_attribute(an_article) == "1"


def test_a_thread_quiet_for_two_weeks_is_not_followed_until_someone_comments(
    a_thread: Any, an_article: Any
) -> None:
    long_ago = timezone.now() - timedelta(days=15)
    comment = comment_as(guest_actor("ada"), a_thread, "An old remark.")
    Comment.objects.filter(pk=comment.pk).update(created_at=long_ago)
    Thread.objects.filter(pk=a_thread.pk).update(created_at=long_ago)
    assert events(a_thread).status_code == 204
    comment_as(guest_actor("bo"), a_thread, "Back to life.")
    assert live_attribute(an_article) == "1"


def test_a_hidden_or_unknown_discussion_has_no_stream(a_thread: Any, an_article: Any) -> None:
    assert_error(Reader().get("/api/v1/threads/999999/events"), 404, "not_found")
    an_article.comments_mode = "hidden"
    an_article.save_revision().publish()
    assert_error(events(a_thread), 404, "not_found")


def test_the_moderators_stream_is_for_moderators_only(a_reader: Any) -> None:
    assert_error(Reader().get("/api/v1/moderation/events"), 403, "forbidden")
    reader = Reader()
    reader.client.force_login(a_reader)
    assert_error(reader.get("/api/v1/moderation/events"), 403, "forbidden")


def test_the_process_wide_cap_answers_503_with_retry_after(settings: Any) -> None:
    from masthead.core.streams import open_streams

    settings.LIVE_MAX_STREAMS = open_streams.total + 1
    open_streams.take("192.0.2.1")
    try:
        with pytest.raises(ApiError) as refused:
            open_streams.take("192.0.2.2")
        assert refused.value.code == ErrorCode.UNAVAILABLE
        assert refused.value.status == 503
        assert refused.value.headers == {"Retry-After": "30"}
    finally:
        open_streams.give_back("192.0.2.1")
    open_streams.take("192.0.2.2")  # the place was given back
    open_streams.give_back("192.0.2.2")


def test_a_wsgi_server_answers_503_so_the_page_polls(a_thread: Any) -> None:
    """Django's test client, like any WSGI server, cannot stream forever: the page polls instead."""
    response = events(a_thread)
    assert_error(response, 503, "unavailable")
    assert response["Retry-After"] == "30"
