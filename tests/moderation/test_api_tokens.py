"""API tokens for the moderation API: a script acts as its moderator with `Authorization: Bearer`."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from masthead.core.actors import Actor
from masthead.core.errors import ApiError, ErrorCode
from masthead.core.models import AuditEntry
from masthead.moderation import tokens
from masthead.moderation.models import ApiToken
from tests.helpers import a_moderator_user, hostile_strings

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/moderation/comments?status=pending"
TOKEN_PATTERN = re.compile(r"mh_[0-9a-f]{12}_[A-Za-z0-9_-]{20,}")


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def a_token(a_moderator: Any) -> str:
    _, raw = tokens.create_api_token(Actor.for_user(a_moderator), a_moderator, "desk script")
    return raw


@pytest.fixture
def pending(post: Any) -> Any:
    return post("Read more at https://example.org/report")


def approve(raw: str, comment_id: int, client: Client | None = None) -> Any:
    client = client or Client(enforce_csrf_checks=True)
    return client.post(
        f"/api/v1/moderation/comments/{comment_id}/approve",
        {"reason": "fine"},
        content_type="application/json",
        **bearer(raw),
    )


def test_a_moderator_with_a_token_lists_the_queue_and_approves(
    a_token: str, pending: Any, a_moderator: Any
) -> None:
    client = Client(enforce_csrf_checks=True)  # no cookies, no CSRF token
    listed = client.get(QUEUE, **bearer(a_token))
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()["items"]] == [pending.pk]

    approved = approve(a_token, pending.pk, client)
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved"
    pending.refresh_from_db()
    assert pending.status == "approved"
    entry = AuditEntry.objects.filter(action="comment.approved").get()
    assert entry.actor == a_moderator


def test_bans_work_with_a_token_too(a_token: str, pending: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    created = client.post(
        "/api/v1/moderation/bans",
        {"kind": "email", "value": "spammer@example.com", "days": 7},
        content_type="application/json",
        **bearer(a_token),
    )
    assert created.status_code == 201, created.content
    lifted = client.delete(f"/api/v1/moderation/bans/{created.json()[0]['id']}", **bearer(a_token))
    assert lifted.status_code == 204


def test_a_session_write_without_the_csrf_token_still_fails(a_moderator: Any, pending: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(a_moderator)
    assert client.get(QUEUE).status_code == 200  # reads need no CSRF token
    response = client.post(
        f"/api/v1/moderation/comments/{pending.pk}/approve", {}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    assert "CSRF" in response.json()["message"]
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_the_token_is_used_even_next_to_a_readers_session(
    a_token: str, pending: Any, a_reader: Any
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(a_reader)
    assert approve(a_token, pending.pk, client).status_code == 200


@pytest.mark.parametrize(
    "raw",
    [
        "garbage",
        "mh_",
        "mh_123_abc",
        "mh_0123456789ab_",
        "mh_0123456789ab_not-the-secret",
        "mh_zzzzzzzzzzzz_" + "x" * 43,
        "x" * 5000,
        "mh_0123456789ab_é\u202e\u0000",
    ],
)
def test_a_garbage_token_is_a_401_with_a_json_message(raw: str, pending: Any) -> None:
    response = Client().get(QUEUE, **bearer(raw))
    assert response.status_code == 401
    body = response.json()
    assert body == {
        "error": "not_authenticated",
        "message": "This API token is not valid.",
        "fields": {},
    }
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_hostile_strings_as_tokens_are_refused_never_a_500(pending: Any) -> None:
    client = Client()
    for raw in [*hostile_strings("sqli.txt"), *hostile_strings("xss.txt")[:40]]:
        if "\n" in raw or "\r" in raw:
            continue  # not a valid header value
        response = client.get(QUEUE, **bearer(raw))
        assert response.status_code in (401, 403), (raw, response.status_code)
        assert response.json()["error"] in ("not_authenticated", "forbidden")


def test_the_right_public_id_with_a_wrong_secret_is_refused(a_token: str, pending: Any) -> None:
    forged = a_token[: len("mh_0123456789ab_")] + "A" * 43
    response = Client().get(QUEUE, **bearer(forged))
    assert response.status_code == 401


def test_a_revoked_token_is_refused(a_token: str, a_moderator: Any, pending: Any) -> None:
    token = tokens.find_token(a_token)
    assert token is not None
    tokens.revoke_api_token(Actor.for_user(a_moderator), token)
    response = approve(a_token, pending.pk)
    assert response.status_code == 401
    assert response.json()["message"] == "This API token has been revoked."
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_an_expired_token_is_refused(a_moderator: Any, pending: Any) -> None:
    token, raw = tokens.create_api_token(
        Actor.for_user(a_moderator), a_moderator, "short-lived", days=1
    )
    assert Client().get(QUEUE, **bearer(raw)).status_code == 200
    # A day later:
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = Client().get(QUEUE, **bearer(raw))
    assert response.status_code == 401
    assert response.json()["message"] == "This API token has expired."


def test_a_token_stops_when_its_user_loses_the_moderator_permission(
    a_token: str, a_moderator: Any, pending: Any
) -> None:
    a_moderator.groups.clear()
    response = approve(a_token, pending.pk)
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_a_token_stops_when_its_user_is_deactivated(
    a_token: str, a_moderator: Any, pending: Any
) -> None:
    a_moderator.is_active = False
    a_moderator.save(update_fields=["is_active"])
    response = Client().get(QUEUE, **bearer(a_token))
    assert response.status_code == 401
    assert "deactivated" in response.json()["message"]


def test_readers_cannot_get_a_token(a_reader: Any) -> None:
    with pytest.raises(ApiError) as refused:
        tokens.create_api_token(Actor.for_user(a_reader), a_reader, "mine")
    assert (refused.value.status, refused.value.code) == (403, ErrorCode.FORBIDDEN)
    assert not ApiToken.objects.exists()


def test_only_a_hash_is_stored_and_use_is_recorded(a_token: str) -> None:
    token = ApiToken.objects.get()
    assert token.secret_hash == hashlib.sha256(a_token.encode()).hexdigest()
    assert a_token not in str(list(ApiToken.objects.values()))
    assert a_token not in str(list(AuditEntry.objects.values()))
    assert token.last_used_at is None
    Client().get(QUEUE, **bearer(a_token))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_without_credentials_the_answer_stays_403(pending: Any) -> None:
    response = Client().get(QUEUE)
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


def test_the_openapi_document_names_the_bearer_scheme(client: Any) -> None:
    document = client.get("/api/v1/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    assert schemes["ModeratorToken"]["type"] == "http"
    assert schemes["ModeratorToken"]["scheme"] == "bearer"
    operation = document["paths"]["/api/v1/moderation/comments"]["get"]
    assert {"ModeratorToken": []} in operation["security"]


# --- the admin screen ---------------------------------------------------------------------------


def admin(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_moderator_creates_a_token_in_the_admin_and_sees_it_once(a_moderator: Any) -> None:
    client = admin(a_moderator)
    response = client.post(reverse("moderation_admin:tokens"), {"name": "inbox", "days": "30"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    shown = TOKEN_PATTERN.findall(response.content.decode())
    assert len(shown) == 1
    assert Client().get(QUEUE, **bearer(shown[0])).status_code == 200
    token = ApiToken.objects.get()
    assert token.user == a_moderator
    assert token.expires_at is not None
    again = client.get(reverse("moderation_admin:tokens")).content.decode()
    assert not TOKEN_PATTERN.search(again)
    assert token.prefix in again
    entry = AuditEntry.objects.get(action="moderation.token_create")
    assert entry.actor == a_moderator


def test_the_admin_form_explains_a_missing_name(a_moderator: Any) -> None:
    response = admin(a_moderator).post(reverse("moderation_admin:tokens"), {"name": ""})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_moderator_sees_and_revokes_only_their_own_tokens(a_moderator: Any, a_token: str) -> None:
    other = a_moderator_user("second-moderator")
    theirs = ApiToken.objects.get()
    client = admin(other)
    page = client.get(reverse("moderation_admin:tokens")).content.decode()
    assert theirs.prefix not in page
    refused = client.post(reverse("moderation_admin:token_revoke", args=[theirs.pk]))
    assert refused.status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == "active"

    own = admin(a_moderator).post(reverse("moderation_admin:token_revoke", args=[theirs.pk]))
    assert own.status_code == 302
    theirs.refresh_from_db()
    assert theirs.state == "revoked"
    entry = AuditEntry.objects.get(action="moderation.token_revoke")
    assert entry.actor == a_moderator


def test_a_superuser_sees_and_revokes_every_token(a_token: str) -> None:
    from django.contrib.auth import get_user_model

    boss = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw-boss-123")
    token = ApiToken.objects.get()
    client = admin(boss)
    page = client.get(reverse("moderation_admin:tokens")).content.decode()
    assert token.prefix in page
    assert "moderator" in page  # the owner column
    assert client.post(reverse("moderation_admin:token_revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.state == "revoked"


def test_editors_without_the_permission_are_turned_away_from_the_token_screen(
    an_editor: Any,
) -> None:
    client = admin(an_editor)
    # Wagtail turns PermissionDenied into a redirect to the dashboard with a message.
    assert client.get(reverse("moderation_admin:tokens")).status_code in (302, 403)
    assert client.post(reverse("moderation_admin:tokens"), {"name": "x"}).status_code in (302, 403)
    assert not ApiToken.objects.exists()


def test_token_values_are_escaped_in_the_admin(a_moderator: Any) -> None:
    tokens.create_api_token(Actor.for_user(a_moderator), a_moderator, "<script>alert(1)</script>")
    page = admin(a_moderator).get(reverse("moderation_admin:tokens")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


# --- the management command ---------------------------------------------------------------------


def run(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("moderation_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip()


def test_the_command_creates_lists_and_revokes(a_moderator: Any, pending: Any) -> None:
    raw = run("create", "--user", "MODERATOR@example.com", "--name", "cron", "--days", "7")
    assert TOKEN_PATTERN.fullmatch(raw)
    assert Client().get(QUEUE, **bearer(raw)).status_code == 200
    token = ApiToken.objects.get()
    assert token.user == a_moderator
    assert token.prefix in run("list", "--user", "moderator@example.com")
    assert AuditEntry.objects.get(action="moderation.token_create").actor_label == "system"

    assert run("revoke", token.prefix) == f"Revoked {token.prefix}."
    assert Client().get(QUEUE, **bearer(raw)).status_code == 401
    assert "already revoked" in run("revoke", raw)


def test_the_command_refuses_readers_and_unknown_users(a_reader: Any) -> None:
    with pytest.raises(CommandError, match="moderator permission"):
        run("create", "--user", "reader@example.com", "--name", "x")
    with pytest.raises(CommandError, match="No user"):
        run("create", "--user", "nobody@example.com", "--name", "x")
    with pytest.raises(CommandError, match="1 and 3650"):
        tokens_for_moderator_with_bad_days()


def tokens_for_moderator_with_bad_days() -> None:
    a_moderator_user("desk")
    run("create", "--user", "desk@example.com", "--name", "x", "--days", "0")
