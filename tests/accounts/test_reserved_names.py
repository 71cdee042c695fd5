"""Guests cannot post as a reporter, as staff, as another reader, or as a look-alike of any of them."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.accounts.reserved_names import reserved_name_problem
from tests.helpers import Reader, a_verified_user, assert_error


@pytest.fixture
def a_named_reader(db: Any) -> Any:
    return a_verified_user(
        "lina", "lina@example.com", "correct horse battery", display_name="Lina Park"
    )


def _post_as(thread_id: int, name: str) -> Any:
    return Reader(ip="192.0.2.44").comment(
        thread_id, f"A comment signed {name}.", name=name, email="guest@example.org"
    )


@pytest.mark.parametrize(
    "name",
    [
        "Rana Haddad",  # a byline
        "rana haddad",
        "Rana Haddad (reporter)",  # a byline inside a longer name
        "Rаna Haddad",  # with a Cyrillic а
        "Ｒａｎａ Ｈａｄｄａｄ",  # fullwidth
        "Masthead Moderator",  # the site's name and a staff word
        "admin",
        "Admins",
        "аdmіn",  # Cyrillic а and і
        "The Editor",
        "Official Account",
        "Lina Park",  # a registered reader's display name
        "Lіna Рark",  # Cyrillic і and Р
    ],
)
def test_a_guest_cannot_post_under_a_reserved_name(
    a_thread: Any, a_named_reader: Any, name: str
) -> None:
    response = _post_as(a_thread.pk, name)
    data = assert_error(response, 400, "name_reserved")
    assert set(data["fields"]) == {"name"}
    assert a_thread.comments.count() == 0


@pytest.mark.parametrize("name", ["Sam Okafor", "Rana", "Badminton Fan", "Modesty Blaise"])
def test_a_guest_with_an_ordinary_name_posts(a_thread: Any, a_named_reader: Any, name: str) -> None:
    response = _post_as(a_thread.pk, name)
    assert response.status_code == 201, response.content
    assert response.json()["author"]["name"] == name


def test_a_registered_reader_posts_under_their_own_name(a_thread: Any, a_named_reader: Any) -> None:
    reader = Reader(ip="192.0.2.45")
    reader.client.force_login(a_named_reader)
    response = reader.comment(a_thread.pk, "Signed in, as myself.")
    assert response.status_code == 201, response.content
    assert response.json()["author"]["name"] == "Lina Park"


def test_owners_may_use_their_own_names_and_nobody_else_may(
    a_named_reader: Any, an_author: Any, a_staff_user: Any
) -> None:
    someone = get_user_model().objects.create_user("sam", "sam@example.com", "x" * 20)
    assert reserved_name_problem("Lina Park", user=a_named_reader) is None
    assert reserved_name_problem("Lina Park", user=someone)
    assert reserved_name_problem("Lina Park")
    assert reserved_name_problem("Masthead Moderator", user=someone)
    # Staff may sign as a byline or with a staff word.
    assert reserved_name_problem("Rana Haddad", user=a_staff_user) is None
    assert reserved_name_problem("Masthead Moderator", user=a_staff_user) is None
    assert reserved_name_problem("Sam Okafor", user=someone) is None


def test_a_new_byline_is_reserved_once_it_is_saved_and_a_check_costs_no_query(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from masthead.publishing.models import Author

    assert reserved_name_problem("Noor Saleh") is None
    with CaptureQueriesContext(connection) as queries:
        assert reserved_name_problem("Noor Saleh (correspondent)") is None
    assert len(queries) == 0, "the names are kept between checks"
    with django_capture_on_commit_callbacks(execute=True):
        Author.objects.create(name="Noor Saleh", slug="noor-saleh")
    assert reserved_name_problem("Noor Saleh (correspondent)")
    with django_capture_on_commit_callbacks(execute=True):
        Author.objects.filter(slug="noor-saleh").delete()
    assert reserved_name_problem("Noor Saleh (correspondent)") is None


def test_a_login_does_not_rebuild_the_names(
    a_named_reader: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.contrib.auth.models import update_last_login

    assert reserved_name_problem("Lina Park")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        update_last_login(None, a_named_reader)
    assert callbacks == []
