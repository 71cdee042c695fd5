"""`{% js_catalog_url %}`: the JavaScript catalog of the active language (core/js_catalog.py);
`|names_list`: people's names joined as the language joins a list."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.text import get_text_list
from django.utils.translation import gettext

from masthead.core.js_catalog import catalog_url

register = template.Library()


@register.simple_tag
def js_catalog_url() -> str:
    return catalog_url()


@register.filter
def names_list(people: Iterable[object]) -> str:
    """ "A", "A and B", "A, B and C" in the active language (each person's `name`)."""
    names = [str(getattr(person, "name", person)) for person in people]
    return str(get_text_list(names, gettext("and")))
