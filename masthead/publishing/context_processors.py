from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def navigation(request: HttpRequest) -> dict[str, object]:
    """Sections for the site header, queried only when a template uses them."""
    from masthead.publishing.queries import sections

    return {"site_sections": SimpleLazyObject(lambda: list(sections()))}
