"""The sources `masthead import NAME` reads, and the one shape every reader has.

A source turns its input into a stream of `records.SourceThread`, one thread at a time, and tells
the import's report what it skipped or noted as it goes. The writer (`writer.py`) turns each thread
into rows in its own transaction. `--dry-run` runs the whole import inside one transaction that is
rolled back at the end, so a source that must write first (WordPress creates the articles its
threads belong to, then yields each thread with `page_id` set) needs no dry-run logic of its own.

Sources are named here by import path, so `masthead import --help` lists them without importing
every reader (and lxml or a MySQL driver) up front.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Mapping
from typing import ClassVar, Protocol

from django.utils.module_loading import import_string

from .records import Skip, SourceThread

SOURCES: Mapping[str, str] = {
    "wordpress": "masthead.migration.wordpress.source.WordPressSource",
    "disqus": "masthead.migration.disqus.DisqusSource",
    "isso": "masthead.migration.isso.IssoSource",
    "remark42": "masthead.migration.remark42.Remark42Source",
    "masthead": "masthead.migration.masthead_json.MastheadSource",
}


class SourceError(Exception):
    """A fatal problem with the input: not the format named, truncated, unsafe, unreadable.

    Its message is one line a person can act on; the command prints it and exits 1, no traceback.
    """


class ImportNotes(Protocol):
    """What a source may tell the report while it reads."""

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        """`outcome` is "imported", "updated", "unchanged" or "skipped"."""

    def skip(self, skip: Skip) -> None:
        """Something read and not imported (or imported with a change), and why."""

    def note(self, text: str) -> None:
        """A line for the report that is not about one item (e.g. images kept as remote URLs)."""


class Source(Protocol):
    name: ClassVar[str]
    help: ClassVar[str]

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        """The source's own options (its input path, --uploads, --db, --prefix...)."""

    def __init__(self, options: Mapping[str, object]) -> None: ...

    def source_key(self) -> str:
        """Names the source in `ImportedObject.source`, e.g. "wordpress:news.example.org"."""

    def threads(self, notes: ImportNotes) -> Iterator[SourceThread]:
        """Read the input; raise `SourceError` on a fatal problem, before or while yielding."""


def load_source(name: str) -> type[Source]:
    source: type[Source] = import_string(SOURCES[name])
    return source
