"""`make bench` rewrites its own section of bench/RESULTS.md and keeps what people wrote by hand."""

from pathlib import Path

import pytest

from bench.common import KEPT_MARKER, write_section

BEFORE = """# Benchmark results

## Funding

old funding table

## Discussion

old discussion table

KEPT

Targets: met, with the history of how.

## Publishing: article page

written by hand, no generator
"""


def results(tmp_path: Path) -> Path:
    path = tmp_path / "RESULTS.md"
    path.write_text(BEFORE.replace("KEPT", KEPT_MARKER))
    return path


def test_a_run_replaces_its_section_and_keeps_the_notes_below_its_marker(tmp_path: Path) -> None:
    path = results(tmp_path)
    write_section("## Discussion\n\nnew discussion table\n", path)
    write_section("## Discussion\n\nnewer discussion table", path)
    text = path.read_text()
    assert "old discussion table" not in text
    assert "new discussion table" not in text
    discussion = text.split("## Discussion\n", 1)[1].split("\n## ", 1)[0]
    assert discussion.index("newer discussion table") < discussion.index(KEPT_MARKER)
    assert discussion.count("Targets: met, with the history of how.") == 1
    assert "## Funding\n\nold funding table\n" in text
    assert text.endswith("## Publishing: article page\n\nwritten by hand, no generator\n")


def test_a_section_without_a_marker_is_replaced_whole_and_gets_one(tmp_path: Path) -> None:
    path = results(tmp_path)
    write_section("## Funding\n\nnew funding table\n", path)
    funding = path.read_text().split("## Funding\n", 1)[1].split("\n## ", 1)[0]
    assert "old funding table" not in funding
    assert funding.strip() == f"new funding table\n\n{KEPT_MARKER}"


def test_a_new_section_goes_at_the_end(tmp_path: Path) -> None:
    path = results(tmp_path)
    write_section("## Core\n\nfigures", path)
    text = path.read_text()
    assert text.endswith(f"## Core\n\nfigures\n\n{KEPT_MARKER}\n")
    assert text.startswith(BEFORE.replace("KEPT", KEPT_MARKER).rstrip("\n"))


def test_a_section_must_start_with_its_heading(tmp_path: Path) -> None:
    path = results(tmp_path)
    with pytest.raises(ValueError, match="heading"):
        write_section("Discussion\n\ntable", path)
    assert path.read_text() == BEFORE.replace("KEPT", KEPT_MARKER)
