"""The embed's API as another website's page uses it: a thread per page made on its first visit,
CORS only for allowed websites, identity by bearer token instead of cookies, SSO, counts, support."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest

from tests.embed.conftest import HOST, SSO_SECRET, HostPage
from tests.helpers import assert_error

STORY = f"{HOST}/2026/12/story/"


def sso_token(secret: str = SSO_SECRET, **claims: Any) -> str:
    values = {
        "sub": "host-reader-42",
        "name": "Hana Host",
        "email": "hana@other.example",
        "exp": int(time.time()) + 600,
    }
    values.update(claims)
    return jwt.encode({k: v for k, v in values.items() if v is not None}, secret, "HS256")


# --- threads -------------------------------------------------------------------------------------


def test_a_pages_first_visit_makes_its_discussion_and_every_spelling_finds_it(
    host_page: HostPage,
) -> None:
    from masthead.discussion.models import Thread

    first = host_page.discussion(title="Story title")
    assert first.status_code == 200, first.content
    assert first["Access-Control-Allow-Origin"] == HOST
    body = first.json()
    assert body["thread"]["title"] == "Story title"
    assert body["thread"]["url"] == STORY
    assert body["thread"]["count_label"] == "0 comments"
    assert body["thread"]["page_url"].endswith(f"/discussion/t/{body['thread']['id']}/")
    assert body["comments"] == {"count": 0, "items": [], "next_cursor": None}
    assert body["lang"] == "en" and body["dir"] == "ltr"
    assert body["strings"], "the widget's words come with the first answer"
    assert body["sign_in_url"].endswith("/embed/sign-in/?origin=https%3A%2F%2Fother.example")

    again = host_page.discussion(
        url="HTTPS://Other.Example:443/2026/12/story/?utm_source=feed#comments", title="Other"
    )
    assert again.json()["thread"]["id"] == body["thread"]["id"]
    assert again.json()["thread"]["title"] == "Story title"
    assert Thread.objects.filter(url=STORY).count() == 1


def test_an_origin_not_on_the_list_gets_no_thread_and_no_cors(client: Any, db: Any) -> None:
    from masthead.discussion.models import Thread

    stranger = HostPage(client, origin="https://stranger.example")
    response = stranger.discussion(url="https://stranger.example/a/")
    body = assert_error(response, 403, "origin_not_allowed")
    assert "https://stranger.example" in body["message"]
    # The refusal alone is readable by the page (so the embed can say why in the console)...
    assert response["Access-Control-Allow-Origin"] == "*"
    # ...and nothing else the API says.
    thread_page = stranger.get("/api/v1/threads/1/comments")
    assert "Access-Control-Allow-Origin" not in thread_page
    assert not Thread.objects.exists()


def test_an_allowed_site_makes_threads_only_for_its_own_pages(host_page: HostPage) -> None:
    from masthead.discussion.models import Thread

    response = host_page.discussion(url="https://elsewhere.example/story/")
    assert_error(response, 403, "origin_not_allowed")
    assert_error(host_page.discussion(url="javascript:alert(1)"), 400, "invalid")
    assert not Thread.objects.exists()
    # Its other origin is its own too.
    assert host_page.discussion(url="https://www.other.example/x/").status_code == 200


def test_data_id_names_several_discussions_on_one_page(host_page: HostPage) -> None:
    one = host_page.discussion(id="poll-1", title="Poll").json()["thread"]["id"]
    two = host_page.discussion(id="poll-2", title="Poll two").json()["thread"]["id"]
    plain = host_page.discussion().json()["thread"]["id"]
    assert len({one, two, plain}) == 3
    assert host_page.discussion(id="poll-1").json()["thread"]["id"] == one


def test_new_pages_are_rate_limited_per_address(host_page: HostPage) -> None:
    statuses = [host_page.discussion(url=f"{HOST}/page-{n}/").status_code for n in range(62)]
    assert statuses[:60] == [200] * 60
    assert statuses[-1] == 429
    # A page that already has its discussion still loads.
    assert host_page.discussion(url=f"{HOST}/page-1/").status_code == 200


def test_arabic_readers_get_the_widget_right_to_left(host_page: HostPage) -> None:
    response = host_page.client.get(
        "/api/v1/embed/threads", {"url": STORY}, **host_page.headers(HTTP_ACCEPT_LANGUAGE="ar")
    )
    body = response.json()
    assert (body["lang"], body["dir"]) == ("ar", "rtl")
    english = host_page.discussion().json()["strings"]
    assert english["post"] == "Post comment"
    assert body["strings"]["post"] != english["post"]
    assert body["thread"]["count_label"] != "0 comments"
    assert "Accept-Language" in response["Vary"] and "Origin" in response["Vary"]


def test_the_site_policy_applies_to_its_pages(host_page: HostPage, an_allowed_site: Any) -> None:
    from masthead.embed.queries import forget_cached_sites

    an_allowed_site.comments_mode = "closed"
    an_allowed_site.save()
    forget_cached_sites()
    body = host_page.discussion().json()
    assert body["thread"]["is_open"] is False
    host_page.start_session()
    response = host_page.send(
        "post",
        f"/api/v1/threads/{body['thread']['id']}/comments",
        {"body": "Hello", "name": "Guest Reader", "email": "g@example.com"},
    )
    assert_error(response, 403, "closed")


# --- CORS ----------------------------------------------------------------------------------------


def test_preflight_is_answered_for_allowed_origins_only(client: Any, an_allowed_site: Any) -> None:
    allowed = client.options(
        "/api/v1/threads/1/comments",
        HTTP_ORIGIN=HOST,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )
    assert allowed.status_code == 204
    assert allowed["Access-Control-Allow-Origin"] == HOST
    assert "POST" in allowed["Access-Control-Allow-Methods"]
    assert "Authorization" in allowed["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in allowed
    refused = client.options(
        "/api/v1/threads/1/comments",
        HTTP_ORIGIN="https://stranger.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert "Access-Control-Allow-Origin" not in refused


def test_cached_comment_pages_answer_allowed_origins_too(host_page: HostPage) -> None:
    from masthead.core.fastpath import FastPathMiddleware

    thread_id = host_page.discussion().json()["thread"]["id"]
    path = f"/api/v1/threads/{thread_id}/comments"
    assert host_page.get(path)["Access-Control-Allow-Origin"] == HOST  # full stack, now cached
    request = host_page.client.get(path, **host_page.headers()).wsgi_request
    assert request is not None
    answer = FastPathMiddleware(lambda r: None)._fast_answer(request)
    assert answer is not None, "the second read comes from the fast path"
    assert answer["Access-Control-Allow-Origin"] == HOST


# --- identity ------------------------------------------------------------------------------------


def _post(page: HostPage, thread_id: int, body: str = "From the other site.", **extra: Any) -> Any:
    data = {"body": body, "name": "Guest Reader", "email": "guest@example.com", **extra}
    return page.send("post", f"/api/v1/threads/{thread_id}/comments", data)


def test_a_guest_posts_edits_and_votes_with_a_token_and_no_cookies(
    host_page: HostPage, client: Any
) -> None:
    thread_id = host_page.discussion().json()["thread"]["id"]
    assert_error(_post(host_page, thread_id), 403, "csrf_failed")  # no token: no cross-site write

    session = host_page.start_session()
    assert session.status_code == 200
    assert session.json()["authenticated"] is False
    host_page.client.cookies.clear()  # third-party cookies blocked: nothing but the token
    posted = _post(host_page, thread_id)
    assert posted.status_code == 201, posted.content
    assert posted["Access-Control-Allow-Origin"] == HOST
    comment_id = posted.json()["id"]

    me = host_page.get(f"/api/v1/threads/{thread_id}/me").json()
    assert me["editable_ids"] == [comment_id]
    edited = host_page.send("patch", f"/api/v1/comments/{comment_id}", {"body": "Edited."})
    assert edited.status_code == 200 and "Edited." in edited.json()["html"]

    other = HostPage(client, ip="198.51.100.8")
    other.start_session()
    assert other.get(f"/api/v1/threads/{thread_id}/me").json()["editable_ids"] == []
    assert_error(
        other.send("patch", f"/api/v1/comments/{comment_id}", {"body": "Not mine."}),
        403,
        "forbidden",
    )
    vote = other.send("put", f"/api/v1/comments/{comment_id}/vote", {"value": 1})
    assert vote.status_code == 200 and vote.json()["upvotes"] == 1
    assert_error(
        host_page.send("put", f"/api/v1/comments/{comment_id}/vote", {"value": 1}),
        403,
        "own_comment",
    )
    listed = host_page.get(f"/api/v1/threads/{thread_id}/comments").json()
    assert [item["id"] for item in listed["items"]] == [comment_id]


def test_a_token_works_only_where_it_was_issued_and_until_it_expires(
    host_page: HostPage, client: Any, an_allowed_site: Any
) -> None:
    from datetime import timedelta

    from masthead.embed import identity

    thread_id = host_page.discussion().json()["thread"]["id"]
    host_page.start_session()
    token = host_page.token

    elsewhere = HostPage(client, origin="https://www.other.example")
    elsewhere.token = token
    assert_error(_post(elsewhere, thread_id), 401, "token_invalid")

    forged = HostPage(client)
    forged.token = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    stranger = HostPage(client)
    stranger.token = "embed.nonsense"
    assert_error(_post(stranger, thread_id), 401, "token_invalid")
    assert_error(_post(forged, thread_id), 401, "token_invalid")

    expired = HostPage(client)
    expired.token, _ = identity.issue(
        an_allowed_site.pk, HOST, guest_key="k" * 32, lifetime=timedelta(seconds=-1)
    )
    assert_error(_post(expired, thread_id), 401, "token_invalid")


def test_removing_a_site_ends_its_sessions(host_page: HostPage, an_allowed_site: Any) -> None:
    from masthead.core.actors import Actor
    from masthead.embed import actions
    from masthead.embed.queries import forget_cached_sites

    thread_id = host_page.discussion().json()["thread"]["id"]
    host_page.start_session()
    actions.remove_site(Actor.system(), an_allowed_site)
    forget_cached_sites()
    assert_error(_post(host_page, thread_id), 401, "token_invalid")
    host_page.token = ""
    assert_error(host_page.discussion(), 403, "origin_not_allowed")


def test_moderation_applies_as_on_the_news_site(host_page: HostPage, an_allowed_site: Any) -> None:
    from masthead.embed.queries import forget_cached_sites

    an_allowed_site.premoderation = "all"
    an_allowed_site.save()
    forget_cached_sites()
    thread_id = host_page.discussion().json()["thread"]["id"]
    host_page.start_session()
    posted = _post(host_page, thread_id)
    assert posted.status_code == 201 and posted.json()["status"] == "pending"
    assert host_page.get(f"/api/v1/threads/{thread_id}/comments").json()["items"] == []
    mine = host_page.get(f"/api/v1/threads/{thread_id}/me").json()["hidden"]
    assert [item["id"] for item in mine] == [posted.json()["id"]]


# --- SSO -----------------------------------------------------------------------------------------


def test_a_host_sites_sso_token_signs_its_reader_in(host_page: HostPage) -> None:
    thread_id = host_page.discussion().json()["thread"]["id"]
    session = host_page.start_session(sso=sso_token())
    assert session.status_code == 200, session.content
    assert session.json()["authenticated"] is True
    assert session.json()["name"] == "Hana Host"
    me = host_page.get(f"/api/v1/threads/{thread_id}/me").json()
    assert me["authenticated"] is True and me["can_comment"] is True
    posted = host_page.send("post", f"/api/v1/threads/{thread_id}/comments", {"body": "Hi."})
    assert posted.status_code == 201, posted.content
    assert posted.json()["author"]["name"] == "Hana Host"

    # Signing in again is the same member, with the host's current name.
    host_page.start_session(sso=sso_token(name="Hana H. Host"))
    again = host_page.send("post", f"/api/v1/threads/{thread_id}/comments", {"body": "Again."})
    assert again.json()["author"]["name"] == "Hana H. Host"
    from masthead.embed.models import EmbedMember

    assert EmbedMember.objects.count() == 1


@pytest.mark.parametrize(
    ("token", "why"),
    [
        (lambda: sso_token(secret="not-the-secret-of-this-site-at-all-0123"), "signature"),
        (lambda: sso_token(exp=int(time.time()) - 120), "expired"),
        (lambda: sso_token(name=None), "name"),
        (lambda: sso_token(exp=None), "exp"),
        (lambda: jwt.encode({"sub": "x", "name": "X", "exp": 2**31}, SSO_SECRET, "HS512"), "alg"),
        (lambda: "not.a.jwt", "garbage"),
    ],
)
def test_a_forged_expired_or_incomplete_sso_token_is_refused(
    host_page: HostPage, token: Any, why: str
) -> None:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.count()
    assert_error(host_page.start_session(sso=token()), 403, "sso_invalid")
    assert get_user_model().objects.count() == users


def test_sso_never_takes_over_a_news_site_readers_verified_address(
    host_page: HostPage, a_reader: Any
) -> None:
    from masthead.accounts.verified import verified_email

    session = host_page.start_session(sso=sso_token(email=a_reader.email))
    assert session.status_code == 200
    from masthead.embed.models import EmbedMember

    member = EmbedMember.objects.get().user
    assert member.pk != a_reader.pk
    assert verified_email(member) == ""
    assert verified_email(a_reader) == a_reader.email


# --- counts and support ----------------------------------------------------------------------------


def test_counts_of_many_pages_come_in_one_request(host_page: HostPage) -> None:
    thread_id = host_page.discussion().json()["thread"]["id"]
    host_page.start_session()
    _post(host_page, thread_id)
    host_page.discussion(url=f"{HOST}/quiet/")
    response = host_page.client.get(
        "/api/v1/embed/counts",
        {"url": [f"{STORY}#comments", f"{HOST}/quiet/", f"{HOST}/never-visited/", "nonsense"]},
        **host_page.headers(),
    )
    assert response.status_code == 200
    assert response.json()["counts"] == {
        f"{STORY}#comments": {"count": 1, "label": "1 comment"},
        f"{HOST}/quiet/": {"count": 0, "label": "0 comments"},
    }
    too_many = host_page.client.get(
        "/api/v1/embed/counts", {"url": [f"{HOST}/{n}/" for n in range(51)]}, **host_page.headers()
    )
    assert_error(too_many, 400, "invalid")


def test_the_support_block_gets_the_goal_bar(host_page: HostPage, a_campaign: Any) -> None:
    response = host_page.get(f"/api/v1/embed/campaigns/{a_campaign.slug}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == a_campaign.title
    assert body["raised_text"] and body["goal_text"] and body["half_text"]
    assert body["donate_url"].startswith("http://testserver/")
    assert_error(host_page.get("/api/v1/embed/campaigns/no-such-drive"), 404, "not_found")


@pytest.mark.parametrize("name", ["Admin", "Rana Haddad"])
def test_an_sso_name_that_is_someone_elses_here_is_refused(
    host_page: HostPage, an_author: Any, name: str
) -> None:
    from masthead.accounts.reserved_names import forget_reserved_names
    from masthead.embed.models import EmbedMember

    forget_reserved_names()
    body = assert_error(host_page.start_session(sso=sso_token(name=name)), 403, "sso_invalid")
    assert body["fields"]["name"]
    assert not EmbedMember.objects.exists()
