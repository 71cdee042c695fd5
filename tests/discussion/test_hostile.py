"""Hostile input from shared/testdata/bad-inputs through the renderer, the API, the form and the page."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from masthead.discussion import actions
from masthead.discussion.models import Comment
from masthead.discussion.rendering import render_markdown, sanitise
from tests.helpers import Reader, comment_input, guest_actor, hostile_strings

FORBIDDEN = {
    "script",
    "style",
    "svg",
    "math",
    "iframe",
    "object",
    "embed",
    "form",
    "base",
    "meta",
    "link",
    "img",
}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
REL = "nofollow ugc noopener noreferrer"


class Inspector(HTMLParser):
    """Collects every problem the README's XSS oracle names."""

    def __init__(self, allow: set[str] | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.allow = allow or set()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN - self.allow:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag}@{name}")
            cleaned = "".join((value or "").split()).lower()
            if name in ("href", "src", "action", "formaction", "xlink:href") and cleaned.startswith(
                BAD_SCHEMES
            ):
                self.problems.append(f"{tag}@{name}={value}")
        links_out = tag == "a" and (dict(attrs).get("href") or "").startswith(("http", "mailto"))
        if links_out and dict(attrs).get("rel") != REL:
            self.problems.append(f"a without rel: {attrs}")


def problems_in(html: str, allow: set[str] | None = None) -> list[str]:
    inspector = Inspector(allow)
    inspector.feed(html)
    inspector.close()
    return inspector.problems


def all_xss() -> list[str]:
    return hostile_strings("xss.txt") + hostile_strings("markdown-xss.txt")


def test_rendered_hostile_markdown_is_inert_and_stable_under_resanitising() -> None:
    for text in all_xss() + [f"[x]({line})" for line in hostile_strings("xss.txt")[102:116]]:
        html = render_markdown(text)
        assert problems_in(html) == [], (text, html)
        assert sanitise(html) == html, text


@pytest.mark.django_db
def test_hostile_bodies_names_and_websites_through_the_api_and_page(
    a_thread: Any, an_article: Any, settings: Any
) -> None:
    settings.RATELIMIT_ENABLED = False
    reader = Reader("192.0.2.77")
    reader.me(a_thread.pk)
    for n, text in enumerate(all_xss()):
        response = reader.post(
            f"/api/v1/threads/{a_thread.pk}/comments",
            {
                "body": f"{text} {n}",
                "name": text[:50],
                "email": f"x{n}@example.com",
                "website": text[:200],
            },
        )
        assert response.status_code < 500, (text, response.content[:300])
        if response.status_code == 400 and response.json()["fields"].get("website"):
            response = reader.post(
                f"/api/v1/threads/{a_thread.pk}/comments",
                {"body": f"{text} {n}", "name": text[:50], "email": f"x{n}@example.com"},
            )
        assert response.status_code in (201, 400, 409), (text, response.content[:300])
    stored = list(Comment.objects.all())
    assert len(stored) > 100
    for comment in stored:
        assert problems_in(comment.html) == [], comment.body
        assert sanitise(comment.html) == comment.html
        if comment.author_website:
            assert comment.author_website.startswith(("http://", "https://"))
            assert not any(char in comment.author_website for char in "\"'<> `")
    page = Client().get(an_article.url, {"comments": "all"}).content.decode()
    region = page[page.index("data-comment-list") : page.rindex("</section>")]
    assert problems_in(region, allow={"img", "svg"}) == []  # our avatars and vote icons
    listing = reader.get(f"/api/v1/threads/{a_thread.pk}/comments", limit="all").json()
    for item in listing["items"]:
        assert problems_in(item["html"]) == []


@pytest.mark.django_db
def test_hostile_strings_through_the_form_post(a_thread: Any, settings: Any) -> None:
    settings.RATELIMIT_ENABLED = False
    client = Client()
    for n, text in enumerate(hostile_strings("markdown-xss.txt") + hostile_strings("xss.txt")[:40]):
        response = client.post(
            f"/discussion/threads/{a_thread.pk}/post/",
            {
                "body": f"{text} {n}",
                "name": text[:50] or "x",
                "email": f"f{n}@example.com",
                "website": text[:200],
            },
            HTTP_ORIGIN="http://testserver",
        )
        assert response.status_code in (303, 400, 409), (text, response.status_code)
        if response.status_code == 400:
            assert (
                problems_in(response.content.decode(), allow={"link", "meta", "script", "form"})
                == []
            )
    for comment in Comment.objects.all():
        assert problems_in(comment.html) == []


@pytest.mark.django_db
def test_sql_injection_probes_in_every_parameter(a_thread: Any, an_article: Any) -> None:
    actions.post_comment(guest_actor("ada"), a_thread, comment_input("Benign"))
    reader = Reader()
    base = f"/api/v1/threads/{a_thread.pk}/comments"
    benign = reader.get(base).json()
    for probe in hostile_strings("sqli.txt"):
        for params in ({"sort": probe}, {"cursor": probe}, {"limit": probe}, {"around": probe}):
            response = reader.get(base, **params)
            assert response.status_code in (200, 400), (params, response.status_code)
            if response.status_code == 200:
                assert response.json() == benign
            else:
                assert response.json()["error"] == "invalid"
            assert (
                b"sqlite" not in response.content.lower()
                and b"syntax" not in response.content.lower()
            )
        response = reader.get("/api/v1/threads", url=probe)
        assert response.status_code == 404, probe
        for path in (f"/api/v1/threads/{probe}/comments", f"/api/v1/threads/{probe}/me"):
            assert reader.client.get(path.replace("#", "%23").replace("?", "%3F")).status_code in (
                400,
                404,
                405,
            )
        page = Client().get(an_article.url, {"dsort": probe, "comment": probe, "reply": probe})
        # A comment id that is no whole number is a 400 page saying so (core.inputs).
        assert page.status_code == 400, probe
        assert "whole number" in page.content.decode()
        assert Client().get(an_article.url, {"dsort": probe}).status_code == 200


@pytest.mark.django_db
def test_cursor_tampering_is_a_400(a_thread: Any, settings: Any) -> None:
    import base64

    settings.RATELIMIT_ENABLED = False
    for n in range(3):
        actions.post_comment(guest_actor(f"c{n}"), a_thread, comment_input(f"Comment {n}"))
    reader = Reader()
    first = reader.get(f"/api/v1/threads/{a_thread.pk}/comments", limit="1").json()
    cursor = first["next_cursor"]
    data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    for change in (
        {"i": "1 OR 1=1"},
        {"c": "yesterday"},
        {"v": 10**40},
        {"s": "oldest"},
        {"i": 10**30},
    ):
        forged = base64.urlsafe_b64encode(json.dumps({**data, **change}).encode()).decode()
        response = reader.get(f"/api/v1/threads/{a_thread.pk}/comments", limit="1", cursor=forged)
        assert response.status_code == 400 and response.json()["error"] == "invalid", change
