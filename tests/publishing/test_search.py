"""Site search finds articles by words in their body and treats hostile queries as plain text."""

from __future__ import annotations

import html
from typing import Any

from tests.helpers import hostile_strings


def test_search_finds_an_article_by_a_word_in_its_body(client: Any, an_article: Any) -> None:
    response = client.get("/search/", {"q": "irrigation"})
    assert response.status_code == 200
    assert "Water shortages deepen along the river" in response.content.decode()


def test_search_without_match_says_so(client: Any, an_article: Any) -> None:
    response = client.get("/search/", {"q": "volcano"})
    assert response.status_code == 200
    assert "No articles match" in response.content.decode()


def test_hostile_queries_never_fail_and_are_escaped(client: Any, an_article: Any) -> None:
    for query in hostile_strings("sqli.txt") + hostile_strings("xss.txt"):
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200, query
        body = response.content.decode()
        shown = query.strip()[:200]
        if "<" in shown:
            assert shown not in body, query  # echoed only in escaped form
            assert html.escape(shown, quote=False) in body or html.escape(shown) in body, query
        assert "Traceback" not in body and "syntax error" not in body.lower(), query
