"""Checks on gettext catalogs that the tests run over the committed ones (and over a broken sample)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parents[2] / "masthead" / "locale"
LANGUAGES = ("ar", "es", "fr", "ru", "tr")
DOMAINS = ("django", "djangojs")
# %(name)s / %(count)d, bare %s / %d, {name} / {} (str.format, format_html); "%%" is a literal percent.
PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[sdif]|%[sdif]|\{[A-Za-z_]\w*\}|\{\}")
# A plural form may leave out the number itself ("تعليق واحد", "one comment") but nothing else.
COUNT_NAMES = {"%(count)s", "%(count)d", "%(counter)s", "%(counter)d", "%(n)s", "%(n)d"}


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


def catalog(language: str, domain: str, directory: Path = LOCALE_DIR) -> Catalog:
    with (directory / language / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
        return read_po(handle, locale=language)


def entries(po: Catalog) -> Iterable[Message]:
    return (message for message in po if message.id)


def untranslated_or_fuzzy(po: Catalog) -> list[str]:
    # A fuzzy header is left out of the .mo by msgfmt, and the plural rules with it.
    problems = ["fuzzy header"] if po.fuzzy else []
    for message in entries(po):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        elif not all(strings):
            problems.append(f"untranslated: {message.id!r}")
    return problems


def broken_placeholders(po: Catalog) -> list[str]:
    """Entries whose translation lost, added or misspelt a placeholder of its source text."""
    problems = []
    for message in entries(po):
        if isinstance(message.id, tuple):
            expected = set(placeholders(message.id[1])) | set(placeholders(message.id[0]))
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            for form in forms:
                found = set(placeholders(form))
                if not form:
                    continue
                if found - expected or (expected - found) - COUNT_NAMES:
                    problems.append(f"{message.id[0]!r}: {form!r}")
        elif message.string and placeholders(message.id) != placeholders(message.string):
            problems.append(f"{message.id!r}: {message.string!r}")
    return problems
