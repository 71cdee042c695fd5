"""Security headers: a strict Content-Security-Policy everywhere (the same from the fast path), HSTS and
Secure cookies behind MASTHEAD_HTTPS=1, no-store on per-reader API answers, and JSON errors for every
/api/v1 refusal."""

from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings

from tests.asgi import asgi_request, run_async
from tests.helpers import Reader, assert_error, make_campaign

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def directives(header: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_strict(header: str) -> dict[str, list[str]]:
    policy = directives(header)
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert not [value for value in policy["script-src"] if value.startswith("'nonce-")]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    return policy


# --- the policy on every kind of answer ------------------------------------------------------------


def test_reader_pages_send_the_strict_policy(
    client: Any, an_article: Any, a_section: Any, a_home: Any
) -> None:
    for url in (an_article.url, a_section.url, a_home.url, "/search/?q=water", "/no-such-page/"):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        policy = assert_strict(response["Content-Security-Policy"])
        assert "'unsafe-inline'" not in policy["style-src"], url
        assert not any("stripe" in value for value in policy.get("script-src", [])), url


@pytest.mark.django_db(transaction=True)  # the served app reads on a thread of its own
def test_a_cached_page_from_the_fast_path_sends_the_same_policy(an_article: Any) -> None:
    first = run_async(lambda: asgi_request("GET", an_article.url))
    again = run_async(lambda: asgi_request("GET", an_article.url))
    assert again.headers.get("x-page-cache") == "hit"
    assert again.body == first.body
    assert again.headers["content-security-policy"] == first.headers["content-security-policy"]
    assert_strict(again.headers["content-security-policy"])


@pytest.mark.django_db(transaction=True)
def test_a_fast_thread_page_sends_the_same_policy(a_thread: Any) -> None:
    path = f"/api/v1/threads/{a_thread.pk}/comments"
    first = run_async(lambda: asgi_request("GET", path))
    again = run_async(lambda: asgi_request("GET", path))
    assert again.headers.get("x-cache") == "hit"
    assert again.headers["content-security-policy"] == first.headers["content-security-policy"]
    assert_strict(again.headers["content-security-policy"])


def test_the_api_sends_the_policy(client: Any, a_thread: Any) -> None:
    response = client.get(f"/api/v1/threads/{a_thread.pk}/me")
    assert_strict(response["Content-Security-Policy"])


def test_the_admin_has_its_own_looser_policy_for_inline_styles_only_there(
    client: Any, a_staff_user: Any
) -> None:
    client.force_login(a_staff_user)
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" in policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]


def test_the_policy_follows_the_settings_and_the_kind_of_page_in_any_order(
    client: Any, a_thread: Any, a_staff_user: Any, settings: Any
) -> None:
    """The header is built once per kind of page (readers', the admin's) and settings in force: an
    answer never carries the other kind's policy, nor one from settings that have changed."""
    api = f"/api/v1/threads/{a_thread.pk}/me"
    client.force_login(a_staff_user)
    for _ in range(2):
        assert (
            "'unsafe-inline'"
            not in directives(client.get(api)["Content-Security-Policy"])["style-src"]
        )
        assert (
            "'unsafe-inline'"
            in directives(client.get("/admin/")["Content-Security-Policy"])["style-src"]
        )
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {
            **settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
            "img-src": ["'self'", "https://images.example"],
        }
    }
    assert (
        "https://images.example"
        in directives(client.get(api)["Content-Security-Policy"])["img-src"]
    )


def test_stripe_is_allowed_on_the_donation_form_only(
    client: Any, an_article: Any, a_home: Any, settings: Any
) -> None:
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_x"
    settings.STRIPE_JS_URL = "https://js.stripe.com/v3/"
    campaign = make_campaign()
    donate = client.get(f"/funding/{campaign.slug}/")
    assert donate.status_code == 200
    policy = assert_strict(donate["Content-Security-Policy"])
    assert "https://js.stripe.com" in policy["script-src"]
    assert "https://js.stripe.com" in policy["frame-src"]
    assert "https://api.stripe.com" in policy["connect-src"]
    article = directives(client.get(an_article.url)["Content-Security-Policy"])
    assert "https://js.stripe.com" not in article["script-src"]
    assert "https://js.stripe.com" not in article["frame-src"]


# --- no inline script anywhere a reader goes ---------------------------------------------------------


class _InlineFinder(HTMLParser):
    DATA_TYPES = ("application/json", "application/ld+json")

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "style":
                self.problems.append(f"<{tag} style={value!r}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            self._in_script = "src" not in found and found.get("type") not in self.DATA_TYPES

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append(f"inline script: {data.strip()[:80]!r}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False


def inline_code(html: str) -> list[str]:
    finder = _InlineFinder()
    finder.feed(html)
    return finder.problems


def test_no_reader_page_carries_inline_script_or_style(
    client: Any, an_article: Any, a_section: Any, a_home: Any, settings: Any
) -> None:
    from masthead.discussion import actions
    from tests.helpers import comment_input, guest_actor

    settings.STRIPE_SECRET_KEY = "sk_test_x"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_x"
    campaign = make_campaign()
    thread = actions.thread_for_page(an_article)
    actions.post_comment(guest_actor("ada"), thread, comment_input("A *first* comment."))
    pages = {
        "article": an_article.url,
        "section": a_section.url,
        "home": a_home.url,
        "donate": f"/funding/{campaign.slug}/",
        "search": "/search/?q=water",
        "not found": "/no-such-page/",
    }
    for name, url in pages.items():
        html = client.get(url).content.decode()
        assert "<script" in html or name not in ("article", "donate"), name
        assert inline_code(html) == [], name


def test_the_finder_finds_inline_code() -> None:
    assert inline_code('<p onclick="x()">') and inline_code("<script>alert(1)</script>")
    assert inline_code('<span style="width: 5%">') and inline_code("<style>p{}</style>")
    assert not inline_code('<script type="application/json">{"a": 1}</script><script src="/a.js">')


# --- HSTS and Secure cookies, only with MASTHEAD_HTTPS=1 ---------------------------------------------

PROBE = """
import json, django
from django.conf import settings as s
django.setup()
print(json.dumps({"hsts": s.SECURE_HSTS_SECONDS, "subdomains": s.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "session": s.SESSION_COOKIE_SECURE, "csrf": s.CSRF_COOKIE_SECURE,
    "proxy": s.SECURE_PROXY_SSL_HEADER}))
"""


def https_settings(tmp_path: Path, https: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "masthead.settings.base",
            "MASTHEAD_DATA_DIR": str(tmp_path),
            "MASTHEAD_HTTPS": https,
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_hsts_and_secure_cookies_come_with_masthead_https_only(tmp_path: Path) -> None:
    on = https_settings(tmp_path, "1")
    assert on["hsts"] >= 31_536_000 and on["subdomains"] is True
    assert on["session"] is True and on["csrf"] is True
    off = https_settings(tmp_path, "0")
    assert off["hsts"] == 0 and off["session"] is False and off["csrf"] is False


@override_settings(
    SECURE_HSTS_SECONDS=31_536_000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    TRUSTED_PROXIES=["127.0.0.1"],
)
def test_behind_https_every_answer_has_hsts_and_every_cookie_is_secure(
    a_thread: Any, an_article: Any
) -> None:
    reader = Reader(
        ip="127.0.0.1",
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_HOST="testserver",  # no :80 added to the host of an https request
        HTTP_REFERER=f"https://testserver{an_article.url}",  # Django's CSRF check under https
    )
    me = reader.client.get(f"/api/v1/threads/{a_thread.pk}/me")
    assert me["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert me.cookies["csrftoken"]["secure"] is True
    reader.token = me.cookies["csrftoken"].value
    posted = reader.comment(a_thread.pk, "Over https.", name="Ada Okafor")
    assert posted.status_code == 201, posted.content
    assert posted.cookies["masthead_guest"]["secure"] is True
    reader.client.get(an_article.url)
    hit = reader.client.get(an_article.url)
    assert hit["X-Page-Cache"] == "hit"
    assert hit["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    # Plain http from a client that is not a trusted proxy: no HSTS (it would be ignored anyway).
    plain = Client(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_PROTO="https").get(an_article.url)
    assert "Strict-Transport-Security" not in plain


# --- per-reader API answers are never stored ----------------------------------------------------------


def test_per_reader_api_answers_are_private_and_not_stored(
    a_thread: Any, a_staff_user: Any
) -> None:
    from masthead.moderation.groups import ensure_moderators_group

    a_staff_user.groups.add(ensure_moderators_group())
    client = Client()
    client.force_login(a_staff_user)
    for path in (
        "/api/v1/subscriptions",
        f"/api/v1/threads/{a_thread.pk}/me",
        "/api/v1/moderation/comments",
    ):
        response = client.get(path)
        assert response.status_code == 200, (path, response.content)
        assert response["Cache-Control"] == "private, no-store", path
    # Errors of per-reader endpoints are not stored either.
    anonymous = Client().get("/api/v1/subscriptions")
    assert anonymous["Cache-Control"] == "private, no-store"


# --- every /api/v1 error is the JSON error shape --------------------------------------------------------


def test_a_ten_megabyte_body_is_a_413_in_the_json_shape(a_thread: Any) -> None:
    body = b'{"body": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    client = Client()
    for path in (
        f"/api/v1/threads/{a_thread.pk}/comments",
        "/api/v1/moderation/comments/1/approve",
        "/api/v1/subscriptions",
    ):
        response = client.post(path, body, content_type="application/json")
        assert_error(response, 413, "too_large")


def test_a_ten_megabyte_body_through_the_served_app_is_a_413_in_the_json_shape() -> None:
    body = b'{"body": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    answer = run_async(
        lambda: asgi_request(
            "POST",
            "/api/v1/moderation/comments/1/approve",
            headers={"content-type": "application/json"},
            body=body,
        )
    )
    assert answer.status == 413
    assert json.loads(answer.body)["error"] == "too_large"


def test_unknown_api_paths_and_wrong_methods_answer_in_the_json_shape(db: Any) -> None:
    client = Client()
    assert_error(client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert_error(client.get("/api/v1/threads/1/comments/extra/"), 404, "not_found")
    assert_error(client.delete("/api/v1/campaigns"), 405, "method_not_allowed")
