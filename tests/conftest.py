"""Shared fixtures, named as nouns and set up through real actions (not raw inserts)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.browser import browser, page, screenshot_dir  # noqa: F401 - one browser per test process
from tests.oidc_provider.fixture import an_oidc_provider  # noqa: F401 - a provider process per test

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


def ensure_wagtail_root() -> None:
    """Transactional tests (browser, live server) flush every table when they end, which also drops
    the rows migrations made: Wagtail's root page, root collection and locale. Put them back for the next test."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Collection, Locale, Page

    if Page.objects.filter(depth=1).exists():
        return
    ContentType.objects.clear_cache()  # the flush re-created content types with new ids
    Locale.objects.get_or_create(language_code="en")
    Page.add_root(instance=Page(title="Root", slug="root"))
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")


@pytest.fixture
def a_home(db: Any) -> Any:
    from masthead.publishing.actions import ensure_home_page

    ensure_wagtail_root()
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
def a_thread(an_article: Any) -> Any:
    from masthead.discussion.actions import thread_for_page

    return thread_for_page(an_article)


def verify_address(user: Any) -> Any:
    """Mark the user's address verified, as a completed sign-up (allauth's EmailAddress) leaves it."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email.lower(), defaults={"verified": True, "primary": True}
    )
    return user


def a_verified_user(
    username: str, email: str, password: str = "correct horse battery", **extra: Any
) -> Any:
    """A reader account whose address is verified (what signing up and entering the code makes)."""
    from django.contrib.auth import get_user_model

    return verify_address(get_user_model().objects.create_user(username, email, password, **extra))


@pytest.fixture
def a_staff_user(db: Any) -> Any:
    from django.contrib.auth import get_user_model

    return verify_address(
        get_user_model().objects.create_superuser(
            "editor", "editor@example.com", "correct horse battery"
        )
    )


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get("MASTHEAD_TEST_REDIS_URL", "")
    if not url:
        pytest.skip("MASTHEAD_TEST_REDIS_URL is not set (make test sets it)")
    return url


@pytest.fixture(autouse=True)
def _app_registry_left_as_found() -> Any:
    """An app left without its models module is skipped by every later post_migrate in the process,
    the flush after each transactional test included: its content types and permissions are never
    made again, and a test far away fails (a moderator without permissions, say). Fail the test that
    did it instead, and put the registry back for the others."""
    from django.apps import apps

    before = {config.label: config.models_module for config in apps.get_app_configs()}
    yield
    changed = []
    for config in apps.get_app_configs():
        if config.models_module is not before.get(config.label):
            changed.append(config.label)
            config.models_module = before.get(config.label)
    assert not changed, f"the test changed the models module of these apps: {', '.join(changed)}"


@pytest.fixture(autouse=True)
def _no_pages_kept_from_other_tests() -> Any:
    """Tests clear the shared cache between them; the page copies each process keeps go with it."""
    from django.contrib.contenttypes.models import ContentType

    from masthead.accounts.reserved_names import forget_reserved_names
    from masthead.publishing.page_cache import recent_pages

    ContentType.objects.clear_cache()  # a previous transactional test's flush gave them new ids
    recent_pages.clear()
    forget_reserved_names()  # names reserved by another test's (rolled back) authors and users
    yield
    recent_pages.clear()
    # A transactional test's flush re-creates content types under new ids: forget the cached ones,
    # or the next test in this process builds pages with ids that no longer exist.
    ContentType.objects.clear_cache()
