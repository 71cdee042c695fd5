"""Text folding and link extraction see through the disguises spammers use."""

from __future__ import annotations

import pytest

from masthead.moderation.links import domain_matches, extract_links
from masthead.moderation.normalise import fingerprint, fold, has_mixed_script_word


@pytest.mark.parametrize(
    "disguised",
    [
        "VІАGRА",  # Cyrillic capitals
        "v\u200di\u200da\u200dg\u200dr\u200da",  # zero-width joiners
        "v1agr@",  # leet
        "ｖｉａｇｒａ",  # fullwidth
        "𝐯𝐢𝐚𝐠𝐫𝐚",  # mathematical bold
        "v.i.a.g.r.a",  # spaced out
        "v̷i̷a̷g̷r̷a̷",  # combining marks
        "vіаgrа",  # mixed Latin and Cyrillic
    ],
)
def test_disguised_words_fold_to_the_plain_word(disguised: str) -> None:
    assert "viagra" in fold(f"buy {disguised} today")


def test_folding_leaves_ordinary_numbers_and_words_alone() -> None:
    assert (
        fold("In 2024 I had 3 cats and a class assessment")
        == "in 2024 i had 3 cats and a class assessment"
    )


def test_mixed_script_words_are_noticed() -> None:
    assert has_mixed_script_word("pаypal")  # Cyrillic а
    assert not has_mixed_script_word("Привет, hello")  # two scripts, but not inside one word


@pytest.mark.parametrize(
    ("text", "host"),
    [
        ("see https://Example.com/x", "example.com"),
        ("hxxps://evil[.]example/path", "evil.example"),
        ("h**p://bad(dot)ru", "bad.ru"),
        ("visit cheap-pills dot com today", "cheap-pills.com"),
        ("go to www.spam.biz", "www.spam.biz"),
        ("pаypal.com/login", "xn--pypal-4ve.com"),
        ("xn--pypal-4ve.com", "xn--pypal-4ve.com"),
        ("[x](http://a.b.example.org/q?x=1)", "a.b.example.org"),
        ("spam\u200b.\u200bcom", "spam.com"),
    ],
)
def test_links_are_found_through_obfuscation(text: str, host: str) -> None:
    assert host in [link.host for link in extract_links(text)]


def test_sentences_and_emails_are_not_links() -> None:
    assert extract_links("It ended.Then we left, e.g. at 5.30 — write to a@b.com") == []


def test_lookalike_and_punycode_domains_match_the_real_domain_rule() -> None:
    for text in ("pаypal.com", "xn--pypal-4ve.com", "login.paypal.com"):
        (link,) = extract_links(text)
        assert domain_matches(link, "paypal.com")
    (link,) = extract_links("notpaypal.com")
    assert not domain_matches(link, "paypal.com")


def test_copies_with_different_spacing_and_homoglyphs_share_a_fingerprint() -> None:
    assert fingerprint("Buy cheap pills at my site") == fingerprint("buy  CHEAP pіlls, at my site!")
