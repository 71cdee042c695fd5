"""A right-to-left page keeps a left-to-right name and a date whole: an article card's byline in the
Arabic edition reads "Rana Haddad · 07/12/2026" from right to left, not a date cut in two around
the name."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from tests.a11y.support import sqlite_only

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), sqlite_only]


def test_an_arabic_card_keeps_the_authors_name_and_the_date_whole(
    live_server: Any, page: Any, an_arabic_article: Any
) -> None:
    page.goto(live_server.url + "/ar/")
    meta = page.locator(".card .meta").first
    meta.wait_for()
    assert "Rana Haddad" in meta.inner_text()
    boxes = meta.evaluate(
        """meta => {
            const time = meta.querySelector('time');
            const range = document.createRange();
            range.selectNodeContents(time);
            const name = document.createRange();
            name.setStart(meta, 0);
            name.setEndBefore(time);
            const pieces = (r) => [...r.getClientRects()].filter(b => b.width > 0).map(b => [b.left, b.right]);
            return {time: pieces(range), before: pieces(name)};
        }"""
    )
    # One run of glyphs: the date's pieces (its digits and slashes) touch, with no name between them.
    pieces = sorted(boxes["time"])
    gaps = [left - right for (_, right), (left, _) in itertools.pairwise(pieces)]
    assert all(abs(gap) < 0.5 for gap in gaps), f"the date is drawn in pieces apart: {pieces}"
    date_right = pieces[-1][1]
    # Right to left: the name (and its separator) come first, on the right; the date after, on the left.
    assert all(left >= date_right - 0.5 for left, _ in boxes["before"]), boxes
