from __future__ import annotations

from typing import Any


def test_article_page_shows_headline_byline_and_section(client: Any, an_article: Any) -> None:
    response = client.get(an_article.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Water shortages deepen along the river" in html
    assert "Rana Haddad" in html
    assert 'href="/middle-east/"' in html
    assert '<link rel="canonical"' in html
    assert '"@type": "NewsArticle"' in html


def test_unknown_page_is_a_styled_404(client: Any, a_home: Any) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
