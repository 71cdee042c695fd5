"""Origins as editors type them become the origins browsers send; anything else is refused."""

from __future__ import annotations

import pytest

from masthead.embed.origins import NotAnOrigin, normalise_origin, origin_of_url
from tests.helpers import hostile_strings


@pytest.mark.parametrize(
    ("typed", "origin"),
    [
        ("HTTPS://Other.Example:443/", "https://other.example"),
        ("  http://localhost:4000 ", "http://localhost:4000"),
        ("https://bücher.example", "https://xn--bcher-kva.example"),
        ("http://[::1]:8000", "http://[::1]:8000"),
        ("http://127.0.0.2:5000/", "http://127.0.0.2:5000"),
    ],
)
def test_typed_origins_are_spelled_as_browsers_send_them(typed: str, origin: str) -> None:
    assert normalise_origin(typed) == origin


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("https://x.example/news/", "without a path"),
        ("https://x.example/?a=1", "without a path"),
        ("ftp://x.example", "http:// or https://"),
        ("x.example", "http:// or https://"),
        ("https://x.example:99999", "port"),
        ("https://user:pw@x.example", "user name"),
        ("", "such as"),
        ("https://x.ex\x00ample", "such as"),
    ],
)
def test_what_is_not_an_origin_is_refused_with_a_reason(typed: str, why: str) -> None:
    with pytest.raises(NotAnOrigin, match=why.replace("?", r"\?")):
        normalise_origin(typed)


def test_hostile_strings_never_pass_as_an_origin_nor_crash() -> None:
    for text in hostile_strings("xss.txt") + hostile_strings("open-redirect.txt"):
        try:
            origin = normalise_origin(text)
        except NotAnOrigin:
            continue
        assert origin.startswith(("http://", "https://")) and "/" not in origin.split("//", 1)[1]
        assert origin_of_url(origin + "/page") == origin
