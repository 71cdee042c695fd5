"""The import as a whole: one transaction per thread, failures leave nothing half-written, re-runs
resume, dry runs write nothing, and the console script routes `masthead import|export`."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from masthead.discussion.models import Comment, Thread
from masthead.migration.models import ImportedObject, ImportRun
from masthead.migration.writer import ImportWriter
from tests.migration.conftest import DATA, run

pytestmark = pytest.mark.django_db


def big_backup(path: Path, per_thread: int = 300) -> Path:
    lines: list[object] = [{"version": 1, "users": [], "posts": []}]
    for thread in ("a", "b"):
        lines.extend(
            {
                "id": f"{thread}{n}",
                "pid": f"{thread}{n - 1}" if n % 3 else "",
                "text": f"<p>Comment {n} with some text to compress {os.urandom(8).hex()}</p>",
                "user": {"name": f"Reader {n % 7}", "id": f"u{n % 7}"},
                "locator": {"site": "s", "url": f"https://blog.example.net/{thread}/"},
                "time": "2021-01-01T00:00:00Z",
            }
            for n in range(per_thread)
        )
    with gzip.open(path, "wb") as handle:
        handle.write(b"".join(json.dumps(line).encode() + b"\n" for line in lines))
    return path


def test_a_truncated_file_keeps_whole_threads_only_and_a_rerun_resumes(tmp_path: Path) -> None:
    full = big_backup(tmp_path / "full.gz")
    data = full.read_bytes()
    cut = tmp_path / "cut.gz"
    cut.write_bytes(data[: len(data) - 2000])
    outcome = run("remark42", str(cut), "--create-stubs")
    assert outcome.status == 1 and "truncated" in outcome.err
    assert "Traceback" not in outcome.err
    # Thread a was whole and is written; thread b was still being read: nothing of it.
    assert Comment.objects.filter(thread__url__endswith="/a/").count() == 300
    assert not Thread.objects.filter(url__endswith="/b/").exists()
    assert ImportRun.objects.get().status == "failed"
    resumed = run("remark42", str(full), "--create-stubs")
    assert resumed.status == 0
    assert "300 imported, 300 unchanged" in resumed.out
    assert Comment.objects.count() == 600
    assert ImportedObject.objects.filter(kind="comment").count() == 600


def test_a_failure_while_writing_a_thread_leaves_nothing_of_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = ImportWriter._write_votes

    def failing(self: ImportWriter, comments: Any, *args: Any) -> None:
        original(self, comments, *args)
        if any(comment.votes for comment in comments):
            raise RuntimeError("disk full")

    monkeypatch.setattr(ImportWriter, "_write_votes", failing)
    outcome = run("remark42", str(DATA / "remark42-backup.gz"), "--create-stubs")
    assert outcome.status == 1
    assert "could not be written (RuntimeError: disk full)" in outcome.out
    assert "a re-run resumes" in outcome.err
    # The open thread (the one with votes) failed after its comments were written: all rolled back.
    assert not Thread.objects.filter(url__endswith="/open/").exists()
    assert not ImportedObject.objects.filter(source_id__in=["a1", "a2"]).exists()
    assert Comment.objects.count() == 2  # the closed thread's two comments
    monkeypatch.undo()
    resumed = run("remark42", str(DATA / "remark42-backup.gz"), "--create-stubs")
    assert resumed.status == 0
    assert Comment.objects.count() == 7 and Thread.objects.count() == 2


def test_dry_run_of_a_source_with_a_fatal_error_also_writes_nothing(tmp_path: Path) -> None:
    full = big_backup(tmp_path / "full.gz", per_thread=50)
    outcome = run("remark42", str(full), "--create-stubs", "--dry-run")
    assert outcome.status == 0 and "100 imported" in outcome.out
    assert not Comment.objects.exists() and not ImportRun.objects.exists()


def masthead(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MASTHEAD_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "masthead.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_console_script_routes_import_and_export(tmp_path: Path) -> None:
    helped = masthead("import", "isso", "--help", data_dir=tmp_path)
    assert helped.returncode == 0 and "--site-url" in helped.stdout and "--dry-run" in helped.stdout
    unknown = masthead("import", "typepad", "x.xml", data_dir=tmp_path)
    assert unknown.returncode != 0 and "typepad" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    # A data directory never migrated: one readable line, no traceback, no half-written file.
    export = masthead("export", str(tmp_path / "out.json"), data_dir=tmp_path)
    assert export.returncode == 1 and "database is not ready" in export.stderr
    assert "Traceback" not in export.stderr and not (tmp_path / "out.json").exists()
