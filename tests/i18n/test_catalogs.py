"""The catalogs are complete, consistent and compiled: what `makemessages` finds is translated into
every language, no translation breaks a placeholder, and the committed .mo files say what the .po do."""

from __future__ import annotations

import gettext
import io
import shutil
import textwrap
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.core.management import call_command
from django.test import override_settings

from tests.i18n.catalog_checks import (
    DOMAINS,
    LANGUAGES,
    LOCALE_DIR,
    broken_placeholders,
    catalog,
    entries,
    untranslated_or_fuzzy,
)

PACKAGE = LOCALE_DIR.parent


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """makemessages run over a copy of the package: the committed catalogs merged with every string
    the code marks today (a newly wrapped string shows up here untranslated)."""
    if shutil.which("xgettext") is None:
        pytest.fail("makemessages needs gettext (scripts/ensure-services.sh installs it)")
    copy = tmp_path_factory.mktemp("messages") / "masthead"
    shutil.copytree(
        PACKAGE,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "migrations", "*.mo", "demo_media", "*.png"),
    )
    previous = Path.cwd()
    try:
        import os

        os.chdir(copy)
        with override_settings(LOCALE_PATHS=[str(copy / "locale")]):
            for domain in DOMAINS:
                call_command(
                    "makemessages",
                    locale=list(LANGUAGES),
                    domain=domain,
                    no_location=True,
                    no_obsolete=True,
                    ignore_patterns=["migrations/*"],
                    verbosity=0,
                )
    finally:
        os.chdir(previous)
    return copy / "locale"


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_makemessages_leaves_nothing_untranslated_or_fuzzy(
    extracted: Path, language: str, domain: str
) -> None:
    po = catalog(language, domain, extracted)
    assert len(list(entries(po))) > (400 if domain == "django" else 40)
    assert untranslated_or_fuzzy(po) == []


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translation_keeps_its_placeholders(language: str, domain: str) -> None:
    assert broken_placeholders(catalog(language, domain)) == []


def test_a_catalog_with_a_broken_placeholder_is_caught() -> None:
    broken = textwrap.dedent(
        """\
        msgid ""
        msgstr ""
        "Content-Type: text/plain; charset=UTF-8\\n"
        "Plural-Forms: nplurals=2; plural=(n != 1);\\n"

        msgid "Give between %(minimum)s and %(maximum)s."
        msgstr "Dona entre %(minimo)s y %(maximum)s."

        msgid "Thanks, {name}."
        msgstr "Gracias."

        msgid "%(counter)s comment is stored with %(email)s."
        msgid_plural "%(counter)s comments are stored with %(email)s."
        msgstr[0] "Un comentario guardado."
        msgstr[1] "%(counter)s comentarios guardados con %(email)s."

        msgid "Fine: %(title)s"
        msgstr "Bien : %(title)s"
        """
    )
    po = read_po(io.BytesIO(broken.encode()), locale="es")
    problems = broken_placeholders(po)
    assert len(problems) == 3, problems
    assert not any("Fine" in problem for problem in problems)


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_files_are_compiled_from_the_po(language: str, domain: str) -> None:
    po = catalog(language, domain)
    with (LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.mo").open("rb") as handle:
        mo = gettext.GNUTranslations(handle)
    for message in entries(po):
        context = f"{message.context}\x04" if message.context else ""
        if isinstance(message.id, tuple):
            for index, form in enumerate(message.string):
                assert mo._catalog[(context + message.id[0], index)] == form  # type: ignore[attr-defined]
        else:
            assert mo._catalog[context + message.id] == message.string  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_follow_the_language(language: str) -> None:
    expected = {"ar": 6, "es": 3, "fr": 2, "ru": 4, "tr": 2}[language]
    assert catalog(language, "django").num_plurals == expected
