"""The Wagtail admin queue: who may see it, what a row shows, hostile strings inert, bulk and one-click."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from masthead.discussion.models import Comment, CommentStatus
from masthead.moderation import actions
from masthead.moderation.models import OneClickToken
from tests.helpers import hostile_strings

pytestmark = pytest.mark.django_db


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_queue_is_for_moderators_only(a_moderator: Any, an_editor: Any, a_reader: Any) -> None:
    url = reverse("moderation_admin:queue")
    assert logged_in(a_moderator).get(url).status_code == 200
    assert logged_in(an_editor).get(url).status_code in (302, 403)
    assert logged_in(a_reader).get(url).status_code in (302, 403)
    assert Client().get(url).status_code == 302
    act = reverse("moderation_admin:act")
    assert logged_in(an_editor).post(act, {"decision": "approve", "comment": "1"}).status_code in (
        302,
        403,
    )


def test_audit_log_is_for_administrators(a_moderator: Any, a_staff_user: Any, post: Any) -> None:
    comment = post("x https://example.org")
    actions.approve_comment(actions_actor(a_staff_user), comment)
    url = reverse("moderation_admin:audit")
    refused = logged_in(a_moderator).get(url)
    assert refused.status_code in (302, 403)
    assert b"comment.approved" not in refused.content
    response = logged_in(a_staff_user).get(url)
    assert response.status_code == 200
    assert b"comment.approved" in response.content


def actions_actor(user: Any) -> Any:
    from tests.helpers import user_actor

    return user_actor(user)


def test_a_row_shows_context_author_history_and_why(post: Any, a_moderator: Any) -> None:
    parent = post("The parent comment, approved.")
    reply = post(
        "A reply with a link https://example.org/x",
        parent_id=parent.pk,
        name="Sam",
        email="sam@example.com",
    )
    response = logged_in(a_moderator).get(reverse("moderation_admin:queue"))
    html = response.content.decode()
    assert f'id="mq-{reply.pk}"' in html
    assert "Water shortages deepen along the river" in html
    assert "replying to" in html
    assert "sam@example.com" in html
    assert "Link from a new commenter" in html
    assert "0 approved" in html
    assert "net #" in html


def test_hostile_strings_are_inert_in_the_queue(post: Any, a_moderator: Any, a_thread: Any) -> None:
    strings = hostile_strings("xss.txt") + hostile_strings("markdown-xss.txt")
    for number, text in enumerate(strings):
        # Straight rows (as if the discussion sanitiser had let something through): the queue must
        # still escape names and re-sanitise HTML.
        Comment.objects.create(
            thread=a_thread,
            author_name=text[:50],
            author_email=f"x{number}@example.com",
            author_website="https://example.org/" + str(number),
            body=text,
            html=text,
            status=CommentStatus.PENDING,
            moderation={"rule": "spam_score", "reason": text, "scorer": text[:20]},
        )
    client = logged_in(a_moderator)
    page_size = 50
    for page in range(1, len(strings) // page_size + 2):
        html = client.get(reverse("moderation_admin:queue"), {"p": page}).content.decode()
        rows = html.split('<ol class="mq-list">', 1)[1].split("</ol>", 1)[0]
        assert not re.search(
            r"<(script|iframe|svg|math|object|embed|base|meta|style|link|img)\b", rows, re.I
        )
        for tag in re.findall(r"<[a-zA-Z][^>]*>", rows):
            assert not re.search(r"\son[a-z]+\s*=", tag, re.I), tag
            assert not re.search(
                r"(href|src|action)\s*=\s*[\"']?\s*(javascript|vbscript|data):", tag, re.I
            ), tag
        forms = re.findall(r"<form\b[^>]*>", rows)
        assert all('class="mq-actions"' in form for form in forms), forms


def test_bulk_approve(post: Any, a_moderator: Any) -> None:
    comments = [post(f"Pending {n} https://example.org/{n}") for n in range(3)]
    response = logged_in(a_moderator).post(
        reverse("moderation_admin:act"),
        {"decision": "approve", "comment": [c.pk for c in comments], "next": "//evil.example"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("moderation_admin:queue")
    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}


def test_ban_and_close_thread_from_the_queue(post: Any, a_moderator: Any, a_thread: Any) -> None:
    comment = post("Troll https://example.org", email="troll@example.com")
    client = logged_in(a_moderator)
    client.post(
        reverse("moderation_admin:act"),
        {"decision": "ban", "comment": comment.pk, "mode": "shadow", "days": "7", "also": "spam"},
    )
    comment.refresh_from_db()
    assert comment.status == "spam"
    client.post(reverse("moderation_admin:act"), {"decision": "close", "comment": comment.pk})
    a_thread.refresh_from_db()
    assert a_thread.is_closed


def test_filters_narrow_the_queue(post: Any, a_moderator: Any) -> None:
    post("From Pat https://example.org", name="Pat")
    post("From Lee https://example.org/2", name="Lee")
    html = (
        logged_in(a_moderator)
        .get(
            reverse("moderation_admin:queue"),
            {"author": "Lee", "rule": "first_time_link", "since": "bad-date"},
        )
        .content.decode()
    )
    assert "From Lee" in html
    assert "From Pat" not in html


def test_one_click_link_shows_a_page_then_acts_once(post: Any, a_moderator: Any) -> None:
    comment = post("Approve me by email https://example.org")
    links = actions.one_click_links(comment, moderator=a_moderator)
    path = links["approve"].split("://", 1)[1].split("/", 1)[1]
    client = Client()
    page = client.get("/" + path)
    assert page.status_code == 200
    comment.refresh_from_db()
    assert comment.status == "pending"  # GET never acts (mail scanners prefetch links)
    done = client.post("/" + path)
    assert done.status_code == 200
    comment.refresh_from_db()
    assert comment.status == "approved"
    assert client.post("/" + path).status_code == 410
    reject = links["remove"].split("://", 1)[1].split("/", 1)[1]
    assert client.post("/" + reject).status_code == 410  # the decision is made: both links die
    assert OneClickToken.objects.filter(used_at__isnull=True).count() == 0


def test_forged_and_expired_one_click_links_do_nothing(post: Any, a_moderator: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    comment = post("Reject me by email https://example.org")
    assert Client().post("/moderation/act/forged-token/").status_code == 404
    links = actions.one_click_links(comment)
    OneClickToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    path = "/" + links["remove"].split("://", 1)[1].split("/", 1)[1]
    assert Client().post(path).status_code == 410
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_moderators_edit_rule_lists_in_the_admin(a_moderator: Any, post: Any) -> None:
    from masthead.moderation.models import WordRule

    client = logged_in(a_moderator)
    assert client.get(reverse("moderation_words:index")).status_code == 200
    assert client.get(reverse("moderation_domains:index")).status_code == 200
    assert client.get(reverse("moderation_bans:index")).status_code == 200
    bad = client.post(
        reverse("moderation_words:add"),
        {"kind": "banned", "pattern": "(unclosed", "is_regex": "on"},
    )
    assert bad.status_code == 200
    assert not WordRule.objects.exists()
    client.post(
        reverse("moderation_words:add"),
        {"kind": "banned", "pattern": "spamword", "is_enabled": "on"},
    )
    assert WordRule.objects.filter(pattern="spamword").exists()
    from masthead.core.errors import ApiError, ErrorCode

    with pytest.raises(ApiError) as refused:
        post("This has a spаmword in it")  # the new rule applies at once
    assert refused.value.code == ErrorCode.REJECTED
