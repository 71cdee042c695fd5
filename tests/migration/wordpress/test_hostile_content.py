"""Hostile post content and titles never reach readers as markup; odd slugs still import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import html as lxml_html

from masthead.migration.models import ImportedObject
from masthead.migration.wordpress.content import PARAGRAPH_TAGS, convert_body
from masthead.publishing.models import ArticlePage
from tests.helpers import hostile_strings

from .conftest import MASTHEAD_EXPORT, run_import

ALLOWED = PARAGRAPH_TAGS | {"div"}  # "div": the wrapper lxml parses the fragments into


def assert_only_allowed_markup(markup: str, line: str) -> None:
    """Parsed as a browser would: only the paragraph's tags, no attribute but a web or mail href."""
    root = lxml_html.fragment_fromstring(markup or "<p></p>", create_parent="div")
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else "comment"
        assert tag in ALLOWED, (line, markup)
        for name, value in element.attrib.items():
            assert (tag, name) == ("a", "href"), (line, markup)
            assert value.lower().startswith(("https://", "http://", "mailto:")), (line, value)


def serialised(blocks: list[tuple[str, Any]]) -> str:
    parts = []
    for kind, value in blocks:
        if kind == "paragraph":
            parts.append(value)
        elif kind == "embed":
            parts.append(value.url)
        elif kind in ("video", "heading", "pull_quote"):
            parts.extend(str(v) for v in value.values() if isinstance(v, str))
    return "\n".join(parts)


def test_every_hostile_string_is_cleaned_in_classic_and_block_content() -> None:
    for line in hostile_strings("xss.txt"):
        for content in (line, f"<!-- wp:paragraph -->\n<p>{line}</p>\n<!-- /wp:paragraph -->", f"<p>intro</p>\n\n{line}\n\nafter"):
            result = convert_body(content, lambda src, attachment: None, "https://news.example.org")
            text = serialised(result.blocks)
            # Markup the paragraph's allow-list does not have never survives; text stays escaped.
            assert_only_allowed_markup(text, line)
            for kind, value in result.blocks:
                if kind in ("embed", "video"):
                    url = value.url if kind == "embed" else value["url"]
                    assert url.startswith(("https://", "http://")), (line, url)


def test_hostile_title_and_odd_slugs_import_and_render_escaped(a_home: Any, tmp_path: Path, client: Any) -> None:
    title = hostile_strings("xss.txt")[0]
    text = MASTHEAD_EXPORT.read_text(encoding="utf-8")
    hostile = tmp_path / "hostile.xml"
    text = text.replace("<title><![CDATA[Council passes the harbour budget]]></title>", f"<title><![CDATA[{title}]]></title>")
    # Two posts with one slug in one section, and WordPress's percent-encoded non-ASCII slug.
    text = text.replace("<wp:post_name><![CDATA[ferry-questions]]>", "<wp:post_name><![CDATA[retracted-story]]>")
    text = text.replace("<wp:post_name><![CDATA[school-meals]]>", "<wp:post_name><![CDATA[%d8%b3%d9%84%d8%a7%d9%85]]>")
    hostile.write_text(text, encoding="utf-8")
    threads, _ = run_import(hostile)
    assert len(threads) == 8

    def article(post_id: str) -> ArticlePage:
        return ArticlePage.objects.get(pk=ImportedObject.objects.get(kind="article", source_id=post_id).object_id)

    page = article("5")
    assert page.title == title
    response = client.get(page.url)
    assert response.status_code == 200
    assert title.encode() not in response.content  # shown escaped, never as a tag
    # The later post in the export gets its WordPress id after the slug.
    assert (article("7").slug, article("12").slug) == ("retracted-story", "retracted-story-12")
    assert article("8").slug == "سلام"
