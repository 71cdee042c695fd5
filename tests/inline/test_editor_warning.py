"""The Wagtail editor warns before publishing a change that would orphan readers' inline discussions."""

from __future__ import annotations

import copy

from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.test import RequestFactory

from masthead.discussion.wagtail_hooks import publish_impact, warn_before_orphaning_discussions
from masthead.publishing.models import ArticlePage
from tests.helpers import CANALS, post_inline


def without_canals(article):
    draft = ArticlePage.objects.get(pk=article.pk)
    draft.body = [
        block
        for block in copy.deepcopy(list(draft.body.raw_data))
        if CANALS not in str(block["value"])
    ]
    return draft


def test_editor_on_a_draft_that_deletes_a_commented_passage_shows_a_warning(
    client, a_staff_user, an_inline_article, an_inline_thread
):
    post_inline(an_inline_thread, "now dry up by June")
    without_canals(an_inline_article).save_revision(user=a_staff_user)
    client.force_login(a_staff_user)
    response = client.get(f"/admin/pages/{an_inline_article.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 reader discussion(s) would lose their passage" in html
    assert "“now dry up by June”" in html


def test_first_publish_is_held_as_a_draft_and_the_second_confirms(
    a_staff_user, an_inline_article, an_inline_thread
):
    post_inline(an_inline_thread, "now dry up by June")
    draft = without_canals(an_inline_article)
    request = RequestFactory().post(f"/admin/pages/{an_inline_article.pk}/edit/")
    request.user = a_staff_user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)

    held = warn_before_orphaning_discussions(request, draft)
    assert held is not None
    assert held.status_code == 302
    assert held["Location"].endswith(f"/pages/{an_inline_article.pk}/edit/")
    assert "Publish again to confirm" in str(next(iter(get_messages(request))))
    assert warn_before_orphaning_discussions(request, draft) is None


def test_edits_that_keep_passages_publish_without_a_warning(an_inline_article, an_inline_thread):
    post_inline(an_inline_thread, "Prices of wheat")
    draft = without_canals(an_inline_article)
    assert not publish_impact(an_inline_article, draft.body)


def test_markup_in_quotes_is_escaped_in_the_warning(a_staff_user, hostile_quote_article):
    from masthead.discussion.wagtail_hooks import Impact, warning_html

    html = warning_html(Impact([(1, "<script>alert(1)</script>")], []), confirm=False)
    assert "&lt;script&gt;" in html
    assert "<script>" not in html
