"""Shared fixtures, named as nouns and set up through real actions (not raw inserts)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.browser import browser, page, screenshot_dir  # noqa: F401 - one browser per test process

BAD_INPUTS = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "bad-inputs"
if (
    not BAD_INPUTS.exists()
):  # CI lays shared/ beside the clone; a developer checkout may have it one level up.
    BAD_INPUTS = Path(__file__).resolve().parents[1] / ".." / "shared" / "testdata" / "bad-inputs"


def hostile_strings(name: str) -> list[str]:
    """Lines of a file in shared/testdata/bad-inputs, read as its README says (never splitlines, never strip)."""
    path = BAD_INPUTS / name
    if not path.exists():
        pytest.skip(f"{path} is not available")
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


@pytest.fixture
def a_home(db: Any) -> Any:
    from masthead.publishing.actions import ensure_home_page

    return ensure_home_page()


@pytest.fixture
def a_section(a_home: Any) -> Any:
    from masthead.publishing.actions import create_section

    return create_section(a_home, "Middle East", "middle-east", "Reporting from the region.")


@pytest.fixture
def an_author(db: Any) -> Any:
    from masthead.publishing.models import Author

    return Author.objects.create(
        name="Rana Haddad", slug="rana-haddad", role="Correspondent", bio="Reports on water."
    )


@pytest.fixture
def an_article(a_section: Any, an_author: Any) -> Any:
    from masthead.publishing.actions import create_article

    return create_article(
        a_section,
        "Water shortages deepen along the river",
        standfirst="Farmers downstream count the cost of a dry season.",
        body=[
            (
                "paragraph",
                "<p>The river has fallen to its lowest level in a decade, farmers say.</p>",
            ),
            ("paragraph", "<p>Irrigation canals that once ran all summer now dry up by June.</p>"),
        ],
        authors=[an_author],
        tags=["water", "agriculture"],
        dateline="Basra",
    )


@pytest.fixture
def a_staff_user(db: Any) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser(
        "editor", "editor@example.com", "correct horse battery"
    )


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get("MASTHEAD_TEST_REDIS_URL", "")
    if not url:
        pytest.skip("MASTHEAD_TEST_REDIS_URL is not set (make test sets it)")
    return url


@pytest.fixture(scope="session", autouse=True)
def migration_data(django_db_setup: Any, django_db_blocker: Any) -> str:
    """The rows migrations made (Wagtail's root page, locale, site; groups; content types), as
    serialized when the test database was created."""
    from django.db import connection

    return str(getattr(connection, "_test_serialized_contents", "") or "")


@pytest.fixture(autouse=True)
def _migration_data_present(request: Any) -> None:
    """Put back the rows migrations made when a flush by an earlier transactional test removed them
    and Django's own serialized rollback did not restore them (a test replaced the connection)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("_django_db_helper")
    from django.db import connection
    from wagtail.models import Page

    if Page.objects.filter(depth=1).exists():
        return
    data = request.getfixturevalue("migration_data")
    if data:
        from django.contrib.contenttypes.models import ContentType
        from django.core.management import call_command

        # Start from empty tables so the snapshot's ids (content types above all) come back as they were.
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(data)
        ContentType.objects.clear_cache()


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Transactional tests (browser, live server) flush every table when they end, which also drops
    the rows that migrations create (Wagtail's root page and locale, the Moderators group). Serialized
    rollback reloads those rows at the start of each transactional test, so test order never matters."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        marker = item.get_closest_marker("django_db")
        transactional = "transactional_db" in fixtures or "live_server" in fixtures
        if marker is not None and marker.kwargs.get("transaction"):
            transactional = True
        if not transactional or (marker is not None and marker.kwargs.get("serialized_rollback")):
            continue
        kwargs = dict(marker.kwargs) if marker is not None else {}
        kwargs.update(transaction=True, serialized_rollback=True)
        item.add_marker(pytest.mark.django_db(**kwargs), append=False)
