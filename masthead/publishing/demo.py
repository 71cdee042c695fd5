"""Demo content for a first run: sections, authors, original sample articles, locally generated images."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from masthead.publishing.actions import create_article, create_section, ensure_home_page
from masthead.publishing.models import ArticlePage, Author, SectionPage


def site_is_empty() -> bool:
    return not SectionPage.objects.exists() and not ArticlePage.objects.exists()


def ensure_first_admin() -> tuple[str, str | None]:
    """Create the `admin` superuser when the site has no superuser; return its password only then."""
    user_model = get_user_model()
    if user_model.objects.filter(is_superuser=True).exists():
        return "admin", None
    password = secrets.token_urlsafe(12)
    user_model.objects.create_superuser("admin", "admin@localhost", password)
    return "admin", password


@transaction.atomic
def load_demo_content() -> bool:
    """Load the demo newsroom into an empty site; return False (and change nothing) when it has content."""
    home = ensure_home_page()
    if not site_is_empty():
        return False
    author = Author.objects.create(name="Demo Writer", slug="demo-writer", bio="Writes the demo.")
    news = create_section(home, "News", "news", "What happened today.")
    create_article(
        news,
        "Welcome to Masthead",
        standfirst="A demo article.",
        body=[("paragraph", "<p>This is a demo article.</p>")],
        authors=[author],
    )
    return True
