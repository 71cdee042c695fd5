"""Reader pages render their fields and every body block, and bad input or missing media never gives a 500."""

from __future__ import annotations

import json
import re
from typing import Any

from masthead.publishing.actions import create_article


def html_of(client: Any, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_article_page_shows_every_field(client: Any, a_video_article: Any) -> None:
    html = html_of(client, a_video_article.url)
    assert '<h1 class="article__headline">In Video: Boats wait for the evening tide</h1>' in html
    assert "Fishing crews set out later every year." in html
    assert re.search(
        r"By <span[^>]*>Rana Haddad</span>\s+and\s+<span[^>]*>Sami Khoury</span>", html
    )
    assert "Nasiriyah" in html
    assert 'class="kicker"><a href="/middle-east/">Middle East</a>' in html
    assert 'href="/tags/rivers/"' in html and 'href="/tags/video/"' in html
    assert "Boats at the quay before dusk." in html and "Photo: Masthead" in html
    assert re.search(r'Published <time datetime="\d{4}-\d\d-\d\dT', html)
    assert "Video journalist" in html  # author bios under the article


def test_article_page_renders_all_body_blocks(client: Any, a_video_article: Any) -> None:
    html = html_of(client, a_video_article.url)
    assert "The crews leave when the wind drops" in html
    assert '<h2 class="body-heading">How the catch is sold</h2>' in html
    assert "Nets drying in the sun." in html
    assert '<figure class="pull-quote"><blockquote><p>The river simply leaves' in html
    video = re.search(r"<video[^>]*>.*?</video>", html, re.DOTALL)
    assert video is not None
    assert re.search(r'poster="/media/images/[^"]+"', video.group(0))
    assert re.search(
        r'<source src="/media/documents/river-at-dusk[^"]*\.webm" type="video/webm">',
        video.group(0),
    )
    assert re.search(
        r'<track kind="captions" src="/media/documents/river-at-dusk[^"]*\.vtt" srclang="en"',
        video.group(0),
    )


def test_provider_video_and_embed_degrade_to_link_cards_when_offline(
    client: Any, a_video_article: Any
) -> None:
    html = html_of(client, a_video_article.url)
    assert (
        'class="link-card link-card--video" href="https://www.youtube.com/watch?v=MastheadDmo"'
        in html
    )
    assert 'class="link-card" href="https://vimeo.com/76979871"' in html
    assert "<iframe" not in html


def test_article_page_has_sharing_and_structured_data(client: Any, a_video_article: Any) -> None:
    html = html_of(client, a_video_article.url)
    assert '<link rel="canonical" href="http' in html
    assert '<meta property="og:title" content="In Video: Boats wait for the evening tide">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)
    )  # type: ignore[union-attr]
    assert data["@type"] == "NewsArticle"
    assert [author["name"] for author in data["author"]] == ["Rana Haddad", "Sami Khoury"]


def test_home_and_section_list_a_published_article(client: Any, an_article: Any) -> None:
    for url in ("/", "/middle-east/"):
        html = html_of(client, url)
        assert "Water shortages deepen along the river" in html
        assert f'href="{an_article.url}"' in html


def test_every_reader_page_announces_feeds(client: Any, an_article: Any) -> None:
    for url in ("/", "/middle-east/", an_article.url, "/tags/water/", "/search/?q=river"):
        html = html_of(client, url)
        assert '<link rel="alternate" type="application/rss+xml"' in html, url
        assert 'href="/feeds/atom.xml"' in html, url
    section_html = html_of(client, "/middle-east/")
    assert 'href="/feeds/middle-east/rss.xml"' in section_html


def test_tag_page_lists_tagged_articles_and_unknown_tag_is_404(
    client: Any, an_article: Any
) -> None:
    html = html_of(client, "/tags/agriculture/")
    assert "Water shortages deepen along the river" in html
    html_of(client, "/tags/no-such-tag/", status=404)


def test_malformed_page_numbers_never_fail(client: Any, a_section: Any, an_author: Any) -> None:
    for number in range(13):
        create_article(
            a_section, f"Dispatch number {number}", authors=[an_author], tags=["dispatch"]
        )
    for url in ("/middle-east/", "/tags/dispatch/", "/search/?q=dispatch"):
        for page in ("abc", "99999", "-1", "0", "1.5", "%00", "2"):
            response = client.get(url, {"page": page})
            assert response.status_code in (200, 404), (url, page)
    assert "Page 2 of 2" in html_of(client, "/middle-east/?page=99999")
    assert "Page 1 of 2" in html_of(client, "/middle-east/?page=abc")


def test_unknown_path_is_the_styled_404(client: Any, a_home: Any) -> None:
    html = html_of(client, "/no/such/page/", status=404)
    assert "Page not found" in html
    assert 'class="site-header"' in html


def test_missing_image_files_do_not_break_pages(
    client: Any, a_video_article: Any, an_image: Any
) -> None:
    an_image.file.storage.delete(an_image.file.name)
    an_image.renditions.all().delete()
    for url in (a_video_article.url, "/", "/middle-east/", "/feeds/rss.xml"):
        assert client.get(url).status_code == 200, url


def test_missing_video_file_shows_a_notice_instead_of_a_player(
    client: Any, a_video_article: Any, a_video: Any
) -> None:
    a_video.file.storage.delete(a_video.file.name)
    html = html_of(client, a_video_article.url + "?v=2")
    assert "<video" not in html
    assert "This video is not available." in html
