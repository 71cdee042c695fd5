"""Fixtures for the WordPress import: the real exports, a report collector, an imported site."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from masthead.migration.records import Skip, SourceThread

DATA = Path(__file__).resolve().parent / "data"
# WordPress 6.1 on MariaDB, made and exported by data/make_wordpress_export.sh.
MASTHEAD_EXPORT = DATA / "wordpress-6.1-masthead.xml"
UPLOADS = DATA / "uploads"


def shared_export() -> Path:
    """The WordPress 6.1 export in shared/testdata/migration (another site made by the real program)."""
    here = Path(__file__).resolve()
    for base in (here.parents[4] / "shared", here.parents[3] / ".." / "shared"):
        path = base / "testdata" / "migration" / "wordpress-6.1-export.xml"
        if path.exists():
            return path
    pytest.skip("shared/testdata/migration/wordpress-6.1-export.xml is not available")


@dataclass
class Notes:
    """What the report would say: counts per (kind, outcome), skips and notes, as the writer's is told."""

    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    skips: list[Skip] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts[(kind, outcome)] += n

    def skip(self, skip: Skip) -> None:
        self.skips.append(skip)

    def note(self, text: str) -> None:
        self.lines.append(text)

    def skipped(self, kind: str) -> list[Skip]:
        return [skip for skip in self.skips if skip.kind == kind]


def run_import(path: Path, **options: Any) -> tuple[list[SourceThread], Notes]:
    from masthead.migration.wordpress.source import WordPressSource

    notes = Notes()
    source = WordPressSource({"export": path, **options})
    return list(source.threads(notes)), notes


@pytest.fixture
def notes() -> Notes:
    return Notes()


@pytest.fixture
def imported(a_home: Any) -> tuple[dict[str, SourceThread], Notes]:
    """The WordPress-made export imported once, with its uploads: threads by WordPress post id."""
    threads, notes = run_import(MASTHEAD_EXPORT, uploads=UPLOADS)
    return {thread.source_id: thread for thread in threads}, notes
