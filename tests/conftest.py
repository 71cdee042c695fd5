"""Shared fixtures, named as nouns and set up through real actions (not raw inserts)."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.browser import browser, page, screenshot_dir  # noqa: F401 - one browser per test process
from tests.funding.stripe_support import (  # noqa: F401 - one localstripe per test process
    localstripe_url,
    stripe_keys,
    stripe_live,
)
from tests.helpers import (
    a_moderator_user,
    a_verified_user,
    ensure_wagtail_root,
    guest_actor,
    user_actor,
    verify_address,
)
from tests.notifications.smtp_support import smtp  # noqa: F401 - a mail server per test
from tests.oidc_provider.fixture import an_oidc_provider  # noqa: F401 - a provider process per test


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


@pytest.fixture
def an_inline_article(a_section: Any) -> Any:
    from tests.helpers import inline_article

    return inline_article(a_section)


@pytest.fixture
def an_inline_thread(an_inline_article: Any) -> Any:
    from masthead.discussion.actions import thread_for_page

    return thread_for_page(an_inline_article)


@pytest.fixture
def a_campaign(a_home: Any) -> Any:
    """A running campaign, the default site's."""
    from tests.helpers import make_campaign

    return make_campaign()


@pytest.fixture
def a_staff_user(db: Any) -> Any:
    from django.contrib.auth import get_user_model

    return verify_address(
        get_user_model().objects.create_superuser(
            "editor", "editor@example.com", "correct horse battery"
        )
    )


@pytest.fixture
def a_reader(db: Any) -> Any:
    """A signed-in reader's account, address verified."""
    return a_verified_user("reader", "reader@example.com", display_name="Rea Der")


@pytest.fixture
def a_moderator(db: Any) -> Any:
    """A member of the Moderators group (not a superuser): the same user in every app's tests."""
    return a_moderator_user()


@pytest.fixture
def moderator_actor(a_moderator: Any) -> Any:
    return user_actor(a_moderator)


@pytest.fixture
def a_guest() -> Any:
    return guest_actor("ada")


@pytest.fixture
def another_guest() -> Any:
    return guest_actor("bob")


@pytest.fixture
def no_rate_limits(settings: Any) -> None:
    """Rate limits off: for tests that post more than a reader could (use with usefixtures)."""
    settings.RATELIMIT_ENABLED = False


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    """Rate-limit windows, page versions and cached totals live in the (per-process, local-memory)
    cache; tests reuse primary keys after a rollback, so nothing cached may outlive its test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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
def _wagtail_baseline(request: pytest.FixtureRequest) -> None:
    """Every database test starts with the rows migrations made (root page, root collection, the
    content languages' locales), whichever transactional test ran before it in this process."""
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if not (names & {"db", "transactional_db", "live_server"} or marker is not None):
        return
    transactional = bool(names & {"transactional_db", "live_server"}) or bool(
        marker is not None and marker.kwargs.get("transaction")
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    ensure_wagtail_root()


@pytest.fixture(autouse=True)
def _default_language_after_each_test() -> Any:
    """A test that activates a language in this thread (a middleware or an action called in
    process) must not leave it to the next: a receipt would be written in Arabic."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _no_pages_kept_from_other_tests() -> Any:
    """Tests clear the shared cache between them; the page copies each process keeps go with it."""
    from django.contrib.contenttypes.models import ContentType

    from masthead.accounts.reserved_names import forget_reserved_names
    from masthead.core.cache import clear_local_copies
    from masthead.publishing.page_cache import recent_pages

    ContentType.objects.clear_cache()  # a previous transactional test's flush gave them new ids
    recent_pages.clear()
    clear_local_copies()
    forget_reserved_names()  # names reserved by another test's (rolled back) authors and users
    yield
    recent_pages.clear()
    clear_local_copies()
    # A transactional test's flush re-creates content types under new ids: forget the cached ones,
    # or the next test in this process builds pages with ids that no longer exist.
    ContentType.objects.clear_cache()
