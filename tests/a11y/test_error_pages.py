"""The error pages lead back to the reader's own edition: an Arabic reader who meets a 404 or a 500
under /ar/ is sent to /ar/, not to the English front page, in a page that reads right to left."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory
from django.utils import translation

from masthead.publishing.views import server_error


@pytest.fixture
def an_arabic_edition(a_home: Any) -> Any:
    from masthead.publishing.actions import translate_page

    return translate_page(a_home, "ar", title="ماستهيد", intro="صحافة مستقلة.")


def test_a_missing_arabic_page_links_to_the_arabic_front_page(
    client: Any, an_arabic_edition: Any
) -> None:
    response = client.get("/ar/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert 'href="/ar/">اذهب إلى الصفحة الأولى</a>' in html
    assert 'action="/ar/search/"' in html


def test_a_missing_english_page_links_to_the_front_page(
    client: Any, an_arabic_edition: Any
) -> None:
    html = client.get("/no-such-page/").content.decode()
    assert 'href="/">Go to the front page</a>' in html
    assert 'action="/search/"' in html


def test_the_server_error_page_speaks_the_edition_language(an_arabic_edition: Any) -> None:
    request = RequestFactory().get("/ar/some-article/")
    request.masthead_edition_path = True  # type: ignore[attr-defined]
    with translation.override("ar"):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="ar" dir="rtl">' in html
    assert '<a href="/ar/">' in html
    with translation.override("en"):
        english = server_error(RequestFactory().get("/x/")).content.decode()
    assert '<a href="/">return to the front page</a>' in english


def test_a_refused_sign_up_field_points_at_its_message(client: Any, a_home: Any) -> None:
    """The sign-up form (allauth's, in the site's templates): the refused field is invalid and
    described by the message that says why."""
    import re

    response = client.post("/accounts/signup/", {"email": "not an address", "password1": "x"})
    html = response.content.decode()
    field = re.search(r'<input[^>]*name="email"[^>]*>', html)
    assert field is not None
    assert 'aria-invalid="true"' in field.group(0)
    described = re.search(r'aria-describedby="([^"]+)"', field.group(0))
    assert described is not None
    for ident in described.group(1).split():
        assert f'id="{ident}"' in html
    error_id = next(ident for ident in described.group(1).split() if ident.endswith("error"))
    assert re.search(rf'id="{error_id}"[^>]*>\s*<li>Enter a valid email address.</li>', html)
