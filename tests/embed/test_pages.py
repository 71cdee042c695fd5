"""The embed's pages and tools on the news site: the sign-in popup, /embed.js, the admin's list of
allowed websites and `masthead manage embed_site`."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.embed.conftest import HOST, HostPage
from tests.helpers import PASSWORD, assert_error

SIGN_IN = "/embed/sign-in/"


def test_the_sign_in_popup_sends_a_signed_in_reader_back_with_a_token(
    client: Any, a_reader: Any, host_page: HostPage
) -> None:
    anonymous = client.get(SIGN_IN, {"origin": HOST})
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/?next=")
    # The popup keeps its opener through the sign-in pages (the site's default policy cuts it).
    assert anonymous["Cross-Origin-Opener-Policy"] == "unsafe-none"
    login_page = client.get(anonymous["Location"])
    assert login_page["Cross-Origin-Opener-Policy"] == "unsafe-none"
    assert Client().get("/accounts/login/")["Cross-Origin-Opener-Policy"] == "same-origin"

    assert client.login(username=a_reader.username, password=PASSWORD)
    page = client.get(SIGN_IN, {"origin": HOST})
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    html = page.content.decode()
    assert f'data-origin="{HOST}"' in html
    token = re.search(r'data-token="([^"]+)"', html)
    assert token is not None

    thread_id = host_page.discussion().json()["thread"]["id"]
    host_page.token = token.group(1)
    me = host_page.get(f"/api/v1/threads/{thread_id}/me").json()
    assert me["authenticated"] is True and me["name"] == a_reader.public_name


@pytest.mark.parametrize("origin", ["https://stranger.example", "not an origin", ""])
def test_the_sign_in_popup_serves_only_allowed_sites(
    client: Any, a_reader: Any, an_allowed_site: Any, origin: str
) -> None:
    client.login(username=a_reader.username, password=PASSWORD)
    response = client.get(SIGN_IN, {"origin": origin})
    assert response.status_code == 400
    assert b"data-token" not in response.content


def test_embed_js_is_served_at_a_fixed_address_and_revalidated(client: Any, db: Any) -> None:
    response = client.get("/embed.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "public, max-age=300"
    assert b"data-masthead-discussion" in response.content
    again = client.get("/embed.js", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_the_command_adds_lists_and_removes_allowed_sites(db: Any) -> None:
    from masthead.embed.models import EmbedSite

    out = StringIO()
    call_command("embed_site", "add", "HTTPS://Blog.Example:443/", "--name", "The blog", stdout=out)
    assert "https://blog.example" in out.getvalue()
    assert EmbedSite.objects.get().origin_list == ["https://blog.example"]
    with pytest.raises(CommandError, match="already allowed"):
        call_command("embed_site", "add", "https://blog.example", stdout=StringIO())
    with pytest.raises(CommandError, match="without a path"):
        call_command("embed_site", "add", "https://blog.example/news/", stdout=StringIO())
    with pytest.raises(CommandError, match="32 characters"):
        call_command("embed_site", "add", "https://b.example", "--sso-secret", "short")
    listed = StringIO()
    call_command("embed_site", "list", stdout=listed)
    assert "The blog: https://blog.example" in listed.getvalue()
    call_command("embed_site", "remove", "https://blog.example", stdout=StringIO())
    assert not EmbedSite.objects.exists()


def test_editors_manage_allowed_sites_in_the_admin(admin_user_client: Client) -> None:
    from masthead.embed.models import EmbedSite

    form = {
        "name": "Partner",
        "origins": "https://partner.example/\nhttp://localhost:4000",
        "comments_mode": "",
        "premoderation": "",
        "kept_query": "p, page_id",
        "sso_secret": "",
    }
    response = admin_user_client.post("/admin/embed_sites/new/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    site = EmbedSite.objects.get()
    assert site.origin_list == ["https://partner.example", "http://localhost:4000"]
    assert site.kept_query == "p,page_id"

    clash = admin_user_client.post("/admin/embed_sites/new/", {**form, "name": "Copy"})
    assert clash.status_code == 200 and b"already allowed" in clash.content
    bad = admin_user_client.post(
        "/admin/embed_sites/new/", {**form, "origins": "ftp://x.example", "name": "Bad"}
    )
    assert bad.status_code == 200 and b"http://" in bad.content
    assert EmbedSite.objects.count() == 1


@pytest.fixture
def admin_user_client(a_staff_user: Any) -> Client:
    client = Client()
    client.force_login(a_staff_user)
    return client


def test_a_stranger_cannot_read_the_api_by_claiming_a_token(client: Any, db: Any) -> None:
    response = client.get(
        "/api/v1/embed/counts",
        {"url": "https://x.example/"},
        HTTP_ORIGIN="https://x.example",
        HTTP_AUTHORIZATION="Bearer embed.nonsense",
    )
    assert_error(response, 401, "token_invalid")


def test_the_example_page_is_another_origin_of_the_same_server(client: Any, db: Any) -> None:
    response = client.get("/embed/example/", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<script src="http://localhost:8000/embed.js" async>' in html
    assert '<link rel="canonical" href="http://localhost:8000/embed/example/">' in html
    policy = response["Content-Security-Policy"]
    for directive in ("script-src", "connect-src", "img-src"):
        assert "http://localhost:8000" in policy.split(directive, 1)[1].split(";")[0]
    other = client.get("/embed/example/", HTTP_HOST="localhost:8000").content.decode()
    assert '<script src="http://127.0.0.1:8000/embed.js" async>' in other
    assert '<link rel="canonical" href="http://localhost:8000/embed/example/">' in other


def test_the_noscript_link_leads_to_the_discussions_own_page(
    client: Any, host_page: HostPage
) -> None:
    thread_id = host_page.discussion(url=f"{HOST}/story/").json()["thread"]["id"]
    found = client.get("/embed/discussion/", {"url": f"{HOST}/story/?utm_source=x"})
    assert found.status_code == 302
    assert found["Location"] == f"/discussion/t/{thread_id}/"
    assert client.get("/embed/discussion/", {"url": f"{HOST}/never/"}).status_code == 404
    assert client.get("/embed/discussion/", {"url": "javascript:alert(1)"}).status_code == 404


def test_embed_js_stays_within_its_budget() -> None:
    """Under 20 KB compressed (issue #18's budget; `make bench` reports the figure), and nothing
    fetched from anywhere but the news site the script came from."""
    import gzip
    import re as regex

    from masthead.embed.views import SCRIPT

    source = SCRIPT.read_bytes()
    assert len(gzip.compress(source, 9)) < 20 * 1024
    text = source.decode()
    assert not regex.search(r"\bimport\s*\(|importScripts|https?://(?!www\.w3\.org/2000/svg)", text)


def test_the_noscript_link_keeps_the_query_that_names_a_page(
    client: Any, host_page: HostPage, an_allowed_site: Any
) -> None:
    from masthead.embed.queries import forget_cached_sites

    an_allowed_site.kept_query = "p"
    an_allowed_site.save()
    forget_cached_sites()
    first = host_page.discussion(url=f"{HOST}/?p=12").json()["thread"]["id"]
    second = host_page.discussion(url=f"{HOST}/?p=13&utm_source=feed").json()["thread"]["id"]
    assert first != second
    found = client.get("/embed/discussion/", {"url": f"{HOST}/?utm_source=x&p=13"})
    assert found["Location"] == f"/discussion/t/{second}/"
