from __future__ import annotations

import pytest

from masthead.core.text import UndecodableText, clean_line, clean_text


def test_names_lose_invisible_and_bidi_characters_and_are_nfkc_normalised() -> None:
    assert clean_line("  Ｒａｎａ\u200b  \u202eHaddad\u0007 ") == "Rana Haddad"


def test_lone_surrogates_are_refused() -> None:
    with pytest.raises(UndecodableText):
        clean_text("hello \ud800 world")


def test_bodies_keep_their_line_breaks() -> None:
    assert clean_text("first\r\n\r\nsecond\u200f") == "first\n\nsecond"
