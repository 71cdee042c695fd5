"""The discussion JSON API end to end: status codes, error codes, database effects."""

from __future__ import annotations

from typing import Any

import pytest

from masthead.discussion.models import Comment
from tests.helpers import Reader, assert_error

pytestmark = pytest.mark.django_db


def test_thread_by_url_path_or_absolute_url(a_thread: Any, an_article: Any) -> None:
    reader = Reader()
    for url in (an_article.url, f"http://localhost{an_article.url}", an_article.url.rstrip("/")):
        data = reader.get("/api/v1/threads", url=url).json()
        assert data == {
            "id": a_thread.pk,
            "url": an_article.url,
            "title": an_article.title,
            "comment_count": 0,
            "is_open": True,
        }
    assert_error(reader.get("/api/v1/threads", url="/no/such/page/"), 404, "not_found")


def test_post_then_list_with_nested_reply(a_thread: Any) -> None:
    ada, bob = Reader("192.0.2.10"), Reader("192.0.2.11")
    created = ada.comment(a_thread.pk, "First!")
    assert created.status_code == 201
    item = created.json()
    assert item["status"] == "approved" and item["html"] == "<p>First!</p>"
    assert "email" not in str(item) and "ada@example.com" not in created.content.decode()
    reply = bob.comment(
        a_thread.pk, "A reply", parent_id=item["id"], name="Bob", email="bob@example.com"
    )
    assert reply.status_code == 201
    listing = ada.get(f"/api/v1/threads/{a_thread.pk}/comments").json()
    assert listing["count"] == 2 and listing["next_cursor"] is None
    (top,) = listing["items"]
    assert top["id"] == item["id"] and top["replies"][0]["author"]["name"] == "Bob"
    assert set(top) >= {
        "id",
        "parent_id",
        "author",
        "html",
        "created_at",
        "edited_at",
        "upvotes",
        "downvotes",
        "score",
        "status",
        "replies",
    }
    assert set(top["author"]) >= {"name", "avatar_url", "is_staff"}


def test_guest_cookie_is_signed_httponly_and_remembers_name(a_thread: Any) -> None:
    ada = Reader()
    response = ada.comment(a_thread.pk, "Hello", name="Ada L", email="ada@example.com")
    cookie = response.cookies["masthead_guest"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    me = ada.me(a_thread.pk)
    assert (me["name"], me["email"]) == ("Ada L", "ada@example.com")
    assert me["editable_ids"] == [response.json()["id"]]
    forged = Reader()
    forged.client.cookies["masthead_guest"] = cookie.value[:-3] + "abc"
    assert forged.me(a_thread.pk)["editable_ids"] == []


def test_writes_without_csrf_token_are_refused(a_thread: Any) -> None:
    reader = Reader()
    response = reader.post(
        f"/api/v1/threads/{a_thread.pk}/comments",
        {"body": "x", "name": "A", "email": "a@example.com"},
    )
    assert_error(response, 403, "csrf_failed")
    assert not Comment.objects.exists()


def test_unknown_client_fields_are_ignored(a_thread: Any) -> None:
    reader = Reader()
    reader.me(a_thread.pk)
    response = reader.post(
        f"/api/v1/threads/{a_thread.pk}/comments",
        {
            "body": "Sneaky",
            "name": "A",
            "email": "a@example.com",
            "status": "approved",
            "score": 99,
            "is_staff": True,
            "thread_id": 999,
            "upvotes": 5,
        },
    )
    assert response.status_code == 201
    comment = Comment.objects.get()
    assert (comment.score, comment.upvotes, comment.thread_id) == (0, 0, a_thread.pk)
    assert response.json()["author"]["is_staff"] is False


@pytest.mark.parametrize(
    ("fields", "status", "code", "field"),
    [
        ({"body": ""}, 400, "invalid", "body"),
        ({"body": "   \n  "}, 400, "invalid", "body"),
        ({"body": "x" * 5001}, 413, "too_large", "body"),
        ({"body": "ok", "name": ""}, 400, "invalid", "name"),
        ({"body": "ok", "name": "\u200b\u202e"}, 400, "invalid", "name"),
        ({"body": "ok", "name": "n" * 51}, 400, "invalid", "name"),
        ({"body": "ok", "email": ""}, 400, "invalid", "email"),
        ({"body": "ok", "email": "not-an-email"}, 400, "invalid", "email"),
        ({"body": "ok", "website": "javascript:alert(1)"}, 400, "invalid", "website"),
        ({"body": "ok", "parent_id": 987654}, 400, "invalid", "parent_id"),
        ({"body": "ok", "parent_id": 10**30}, 400, "invalid", "parent_id"),
        ({"body": "ok", "notify": "everything"}, 400, "invalid", "notify"),
        ({"body": 5}, 400, "invalid", "body"),
    ],
)
def test_bad_comment_input_is_a_clear_4xx(
    a_thread: Any, fields: dict[str, Any], status: int, code: str, field: str
) -> None:
    reader = Reader()
    reader.me(a_thread.pk)
    payload = {"name": "Ada", "email": "ada@example.com", **fields}
    data = assert_error(
        reader.post(f"/api/v1/threads/{a_thread.pk}/comments", payload), status, code
    )
    assert field in data["fields"]
    assert not Comment.objects.exists()


def test_lone_surrogates_and_undecodable_bodies_are_400(a_thread: Any) -> None:
    reader = Reader()
    reader.me(a_thread.pk)
    path = f"/api/v1/threads/{a_thread.pk}/comments"
    assert_error(
        reader.post(path, raw='{"body": "a\\ud800b", "name": "A", "email": "a@example.com"}'),
        400,
        "invalid",
    )
    assert_error(
        reader.post(path, raw='{"body": "ok", "name": "\\udfff", "email": "a@example.com"}'),
        400,
        "invalid",
    )
    assert_error(reader.post(path, raw=b'{"body": "\xff\xfe"}'), 400, "invalid")
    assert_error(reader.post(path, raw="{not json"), 400, "invalid")
    assert not Comment.objects.exists()


def test_oversized_request_is_413_before_parsing(a_thread: Any) -> None:
    reader = Reader()
    reader.me(a_thread.pk)
    huge = '{"body": "' + "x" * 200_000 + '"}'
    assert_error(reader.post(f"/api/v1/threads/{a_thread.pk}/comments", raw=huge), 413, "too_large")


def test_duplicate_is_409_and_honeypot_is_refused(a_thread: Any) -> None:
    reader = Reader()
    assert reader.comment(a_thread.pk, "Same").status_code == 201
    assert_error(reader.comment(a_thread.pk, "Same"), 409, "duplicate")
    assert_error(
        reader.comment(a_thread.pk, "Bot", honeypot="http://spam.invalid"), 400, "rejected"
    )
    assert Comment.objects.count() == 1


def test_rate_limit_is_429_with_retry_after(a_thread: Any, settings: Any) -> None:
    settings.DISCUSSION_RATES = {"post_identity": "2/m"}
    reader = Reader()
    assert reader.comment(a_thread.pk, "one").status_code == 201
    assert reader.comment(a_thread.pk, "two").status_code == 201
    response = reader.comment(a_thread.pk, "three")
    assert_error(response, 429, "rate_limited")
    assert int(response["Retry-After"]) > 0


def test_rate_limits_can_be_switched_off(a_thread: Any, settings: Any) -> None:
    settings.DISCUSSION_RATES = {"post_identity": "1/m"}
    settings.RATELIMIT_ENABLED = False
    reader = Reader()
    assert [reader.comment(a_thread.pk, f"c{n}").status_code for n in range(3)] == [201] * 3


def test_x_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(
    a_thread: Any, settings: Any
) -> None:
    settings.DISCUSSION_RATES = {"post_ip": "1/m"}
    spoofer = Reader("192.0.2.50")
    assert (
        spoofer.comment(a_thread.pk, "one", HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 201
    )
    other = Reader("192.0.2.50", HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert_error(other.comment(a_thread.pk, "two"), 429, "rate_limited")
    settings.TRUSTED_PROXIES = ["192.0.2.0/24"]
    proxied = Reader("192.0.2.50", HTTP_X_FORWARDED_FOR="203.0.113.3")
    assert proxied.comment(a_thread.pk, "three").status_code == 201


def test_edit_and_delete_own_comment_only(a_thread: Any) -> None:
    ada, eve = Reader("192.0.2.10"), Reader("192.0.2.66")
    item = ada.comment(a_thread.pk, "Draft").json()
    eve.me(a_thread.pk)
    assert_error(
        eve.patch(f"/api/v1/comments/{item['id']}", {"body": "Mine now"}), 403, "forbidden"
    )
    assert_error(eve.delete(f"/api/v1/comments/{item['id']}"), 403, "forbidden")
    edited = ada.patch(f"/api/v1/comments/{item['id']}", {"body": "Final *text*"})
    assert edited.status_code == 200 and edited.json()["edited_at"] is not None
    assert edited.json()["html"] == "<p>Final <em>text</em></p>"
    assert ada.delete(f"/api/v1/comments/{item['id']}").status_code == 204
    assert not Comment.objects.exists()


def test_votes_return_new_counts(a_thread: Any) -> None:
    ada, bob = Reader("192.0.2.10"), Reader("192.0.2.11")
    item = ada.comment(a_thread.pk, "Vote").json()
    assert_error(ada.put(f"/api/v1/comments/{item['id']}/vote", {"value": 1}), 403, "own_comment")
    bob.me(a_thread.pk)
    response = bob.put(f"/api/v1/comments/{item['id']}/vote", {"value": 1})
    assert response.json() == {
        "id": item["id"],
        "upvotes": 1,
        "downvotes": 0,
        "score": 1,
        "my_vote": 1,
    }
    assert bob.me(a_thread.pk)["votes"] == {str(item["id"]): 1}
    assert bob.put(f"/api/v1/comments/{item['id']}/vote", {"value": -1}).json()["score"] == -1
    assert bob.put(f"/api/v1/comments/{item['id']}/vote", {"value": 0}).json()["score"] == 0
    assert_error(bob.put(f"/api/v1/comments/{item['id']}/vote", {"value": 2}), 400, "invalid")
    assert_error(bob.put("/api/v1/comments/999999/vote", {"value": 1}), 404, "not_found")


def test_preview_renders_without_posting(a_thread: Any) -> None:
    reader = Reader()
    reader.me(a_thread.pk)
    response = reader.post("/api/v1/comments/preview", {"body": "**bold** <script>x</script>"})
    assert response.json() == {
        "html": "<p><strong>bold</strong> &lt;script&gt;x&lt;/script&gt;</p>"
    }
    assert not Comment.objects.exists()


def test_openapi_document_lists_discussion_endpoints(db: Any) -> None:
    paths = Reader().get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/threads",
        "/api/v1/threads/{thread_id}/comments",
        "/api/v1/threads/{thread_id}/me",
        "/api/v1/comments/{comment_id}",
        "/api/v1/comments/{comment_id}/vote",
    ):
        assert path in paths


def test_registration_required_refuses_guests_but_not_members(a_thread: Any, a_reader: Any) -> None:
    from masthead.discussion.policy import DiscussionSettings, site_settings

    site = site_settings(a_thread.page)
    DiscussionSettings.objects.filter(pk=site.pk).update(require_registration=True)
    assert_error(Reader().comment(a_thread.pk, "Guest"), 403, "registration_required")
    member = Reader("192.0.2.30")
    member.client.force_login(a_reader)
    response = member.comment(a_thread.pk, "Member", name="ignored", email="")
    assert response.status_code == 201 and response.json()["author"]["name"] == "Rea Der"
    assert Comment.objects.get().author_email == "reader@example.com"


def test_likes_mode_refuses_down_votes(a_thread: Any) -> None:
    from masthead.discussion.policy import DiscussionSettings, site_settings

    DiscussionSettings.objects.filter(pk=site_settings(a_thread.page).pk).update(votes_mode="likes")
    item = Reader("192.0.2.10").comment(a_thread.pk, "Like me").json()
    bob = Reader("192.0.2.11")
    bob.me(a_thread.pk)
    assert_error(bob.put(f"/api/v1/comments/{item['id']}/vote", {"value": -1}), 400, "invalid")
    assert bob.put(f"/api/v1/comments/{item['id']}/vote", {"value": 1}).json()["upvotes"] == 1


def test_staff_edit_and_delete_any_comment_and_are_logged(a_thread: Any, a_staff_user: Any) -> None:
    from masthead.core.models import AuditEntry

    item = Reader("192.0.2.10").comment(a_thread.pk, "Original").json()
    staff = Reader("192.0.2.40")
    staff.client.force_login(a_staff_user)
    staff.me(a_thread.pk)
    assert (
        staff.patch(f"/api/v1/comments/{item['id']}", {"body": "Edited by staff"}).status_code
        == 200
    )
    assert staff.delete(f"/api/v1/comments/{item['id']}").status_code == 204
    actions = set(
        AuditEntry.objects.filter(object_id=str(item["id"])).values_list("action", "actor_label")
    )
    assert {("comment.edit", "editor"), ("comment.delete", "editor")} <= actions


def test_own_pending_comment_comes_back_from_me_only(a_thread: Any, an_article: Any) -> None:
    an_article.comments_premoderation = "all"
    an_article.save_revision().publish()
    ada = Reader()
    item = ada.comment(a_thread.pk, "Held for review").json()
    assert item["status"] == "pending"
    assert [hidden["id"] for hidden in ada.me(a_thread.pk)["hidden"]] == [item["id"]]
    assert Reader("192.0.2.99").me(a_thread.pk)["hidden"] == []
    assert ada.get(f"/api/v1/threads/{a_thread.pk}/comments").json()["items"] == []


def test_private_or_unpublished_threads_are_404(a_thread: Any, an_article: Any) -> None:
    an_article.unpublish()
    reader = Reader()
    assert_error(reader.get(f"/api/v1/threads/{a_thread.pk}/comments"), 404, "not_found")
    assert_error(reader.get("/api/v1/threads", url=an_article.url), 404, "not_found")


def test_staff_without_the_moderation_permission_gets_no_moderator_tools(
    a_thread: Any, a_staff_user: Any
) -> None:
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.create_user(
        "desk-editor", "desk@example.com", "correct horse battery", is_staff=True
    )
    as_editor, as_admin = Reader(), Reader("192.0.2.12")
    as_editor.client.force_login(editor)
    as_admin.client.force_login(a_staff_user)
    item = Reader("192.0.2.13").comment(a_thread.pk, "Not yours to change.").json()
    assert as_editor.me(a_thread.pk)["is_moderator"] is False
    path = f"/api/v1/comments/{item['id']}"
    assert_error(as_editor.patch(path, {"body": "Changed by an editor."}), 403, "forbidden")
    assert_error(as_editor.delete(path), 403, "forbidden")
    assert as_admin.me(a_thread.pk)["is_moderator"] is True
    assert as_admin.patch(path, {"body": "Edited by a moderator."}).status_code == 200
