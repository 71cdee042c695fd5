"""Members-only commenting: the policy's "who may comment" (article > section > site), enforced on
posting with a clear error code, and told to the reader by /me and the form."""

from __future__ import annotations

from typing import Any

import pytest

from masthead.discussion.models import Comment
from masthead.discussion.policy import DiscussionSettings, effective_policy, site_settings
from masthead.publishing.models import ArticlePage, SectionPage
from tests.helpers import Reader, assert_error

pytestmark = pytest.mark.django_db


def _site(thread: Any, **values: Any) -> None:
    DiscussionSettings.objects.filter(pk=site_settings(thread.page).pk).update(**values)


def _supporter(user: Any) -> None:
    type(user).objects.filter(pk=user.pk).update(is_supporter=True)
    user.refresh_from_db()


def test_the_policy_resolves_article_then_section_then_site(a_thread: Any, a_section: Any) -> None:
    article = a_thread.page.specific
    assert effective_policy(article).who_may_comment == "everyone"
    _site(a_thread, who_may_comment="signed_in")
    assert effective_policy(article).who_may_comment == "signed_in"
    SectionPage.objects.filter(pk=a_section.pk).update(comments_who="supporters")
    assert effective_policy(ArticlePage.objects.get(pk=article.pk)).who_may_comment == "supporters"
    ArticlePage.objects.filter(pk=article.pk).update(comments_who="everyone")
    policy = effective_policy(ArticlePage.objects.get(pk=article.pk))
    assert policy.who_may_comment == "everyone" and not policy.require_registration


def test_the_older_registration_setting_means_signed_in(a_thread: Any) -> None:
    _site(a_thread, require_registration=True)
    assert effective_policy(a_thread.page).who_may_comment == "signed_in"


def test_signed_in_only_refuses_guests(a_thread: Any, a_reader: Any) -> None:
    _site(a_thread, who_may_comment="signed_in")
    guest = Reader()
    assert guest.me(a_thread.pk)["comment_refusal"] == "registration_required"
    assert_error(guest.comment(a_thread.pk, "Guest"), 403, "registration_required")
    member = Reader("192.0.2.31")
    member.client.force_login(a_reader)
    assert member.me(a_thread.pk)["can_comment"] is True
    assert member.comment(a_thread.pk, "Member", email="").status_code == 201


def test_supporters_only_refuses_guests_and_readers_who_do_not_support(
    a_thread: Any, a_reader: Any
) -> None:
    _site(a_thread, who_may_comment="supporters")
    assert_error(Reader().comment(a_thread.pk, "Guest"), 403, "supporters_only")
    member = Reader("192.0.2.32")
    member.client.force_login(a_reader)
    me = member.me(a_thread.pk)
    assert (me["can_comment"], me["comment_refusal"]) == (False, "supporters_only")
    response = assert_error(
        member.comment(a_thread.pk, "Not yet", email=""), 403, "supporters_only"
    )
    assert "supporters" in response["message"]
    _supporter(a_reader)
    assert member.me(a_thread.pk)["can_comment"] is True
    assert member.comment(a_thread.pk, "Now I give monthly", email="").status_code == 201
    assert Comment.objects.count() == 1


def test_the_form_shows_a_supporter_prompt_and_the_no_js_post_is_refused(
    a_thread: Any, client: Any
) -> None:
    _site(a_thread, who_may_comment="supporters")
    html = client.get(a_thread.page.url).content.decode()
    assert "Comments here are open to supporters" in html
    assert 'href="/account/#supporter"' in html and "comment-form--members" in html
    response = client.post(
        f"/discussion/threads/{a_thread.pk}/post/",
        {"body": "No JS", "name": "G", "email": "g@example.com"},
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()
