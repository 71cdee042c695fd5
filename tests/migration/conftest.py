"""Running imports in the test process, as `masthead import` does, with what they print."""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from masthead.migration.run import run_import

DATA = Path(__file__).parent / "data"
SHARED = Path("/work/shared/testdata/migration")


@dataclass
class Outcome:
    status: int
    out: str
    err: str


def run(name: str, *args: str) -> Outcome:
    out, err = io.StringIO(), io.StringIO()
    status = run_import(name, [*args, "--no-progress"], out, err)
    return Outcome(status, out.getvalue(), err.getvalue())


@pytest.fixture
def data_copy(tmp_path: Path) -> Any:
    """A writable copy of a test file (the tests change some of them)."""

    def _copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copy(DATA / name, target)
        return target

    return _copy
