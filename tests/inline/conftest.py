"""Helpers for inline-feedback tests: article texts built from paragraphs, as article_text() builds them."""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache

from masthead.discussion.inline.matching import ArticleText, BlockSpan


def text_of(*paragraphs: str | tuple[str, str]) -> ArticleText:
    """An ArticleText of paragraphs; a (block id, text) pair keeps a block's id across edits."""
    parts: list[str] = []
    spans: list[BlockSpan] = []
    position = 0
    for number, paragraph in enumerate(paragraphs):
        block_id, text = (
            paragraph if isinstance(paragraph, tuple) else (f"block-{number}", paragraph)
        )
        if parts:
            position += 2
        spans.append(BlockSpan(block_id, "paragraph", position, position + len(text)))
        parts.append(text)
        position += len(text)
    return ArticleText("\n\n".join(parts), spans)


def quote(exact: str) -> dict:
    return {"selector": [{"type": "TextQuoteSelector", "exact": exact}]}


RIVER = "The river has fallen to its lowest level in a decade, farmers say."
CANALS = "Irrigation canals that once ran all summer now dry up by June."
PRICES = "Prices of wheat in the local market have doubled since spring."
_addresses = itertools.count(10)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    """Rate-limit windows, page versions and annotation collections live in the cache."""
    cache.clear()
    yield
    cache.clear()


def a_guest(name: str = "Ada") -> Any:
    from masthead.core.actors import Actor
    from masthead.core.clientip import hash_ip

    ip = f"198.51.100.{next(_addresses) % 250 + 1}"
    return Actor(guest_key=f"key-{name}-{ip}", ip=ip, ip_hash=hash_ip(ip))


@pytest.fixture
def an_inline_article(a_section: Any) -> Any:
    return inline_article(a_section)


def inline_article(a_section: Any) -> Any:
    """A published article open to reader highlights, with an editor prompt."""
    from masthead.publishing.actions import create_article

    article = create_article(
        a_section,
        "Drought on the river",
        body=[
            ("paragraph", f"<p>{RIVER}</p>"),
            ("heading", {"text": "The canals", "level": "h2"}),
            ("paragraph", f"<p>{CANALS}</p>"),
            (
                "feedback_prompt",
                {
                    "paragraph": "<p>Farmers say the dam upstream holds back the spring floods.</p>",
                    "passage": "the dam upstream holds back the spring floods",
                    "question": "Has the dam changed your season?",
                },
            ),
            ("paragraph", f"<p>{PRICES}</p>"),
        ],
    )
    article.inline_highlights = "on"
    article.save_revision().publish()
    article.refresh_from_db()
    return article


@pytest.fixture
def an_inline_thread(an_inline_article: Any) -> Any:
    from masthead.discussion.actions import thread_for_page

    return thread_for_page(an_inline_article)


def post_inline(thread: Any, target: Any, body: str = "Is this right?", name: str = "Ada") -> Any:
    """Post an inline comment through the real actions, its target completed as the API does."""
    from masthead.discussion.actions import post_comment
    from masthead.discussion.inline.reanchoring import complete_comment_target
    from masthead.discussion.inputs import CommentInput

    if isinstance(target, str):
        target = quote(target)
    data = CommentInput(
        body=body,
        name=name,
        email="ada@example.com",
        target=complete_comment_target(thread, target),
    )
    return post_comment(a_guest(name), thread, data)


def publish_edit(article: Any, edit: Callable[[list[dict]], list[dict]]) -> Any:
    """Publish a new revision whose body is `edit(raw blocks)`; blocks keep their ids unless replaced."""
    from masthead.publishing.models import ArticlePage

    article = ArticlePage.objects.get(pk=article.pk)
    article.body = edit(copy.deepcopy(list(article.body.raw_data)))
    revision = article.save_revision()
    revision.publish()
    return ArticlePage.objects.get(pk=article.pk)


def paragraph(text: str) -> dict:
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


@pytest.fixture
def hostile_quote_article(a_section: Any) -> tuple[Any, str]:
    """An article whose text contains markup-looking passages (escaped by the editor), and its thread."""
    from masthead.discussion.actions import thread_for_page
    from masthead.publishing.actions import create_article

    article = create_article(
        a_section,
        "Markup in the text",
        body=[
            (
                "paragraph",
                '<p>The filter let &lt;script&gt;alert(1)&lt;/script&gt; through, and "quotes" too.</p>',
            )
        ],
    )
    article.inline_highlights = "on"
    article.save_revision().publish()
    return thread_for_page(article), '<script>alert(1)</script> through, and "quotes"'
