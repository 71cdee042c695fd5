"""One `masthead import SOURCE ...`: read the source, write each thread, report, record the run.

`run_import` is what the management command (and the tests) call. Fatal problems with the input
(`SourceError`, an unreadable file) end the run with one line and exit status 1: the threads
written before stay (each is whole), and a re-run resumes. `--dry-run` runs everything inside one
transaction that is rolled back, so it writes nothing, not even the `ImportRun` row.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from typing import Any, TextIO

from django.db import DatabaseError, transaction
from django.utils import timezone

from .models import ImportRun, ImportRunStatus
from .records import Skip
from .report import ImportReport
from .sources import SOURCES, Source, SourceError, load_source
from .writer import ImportWriter


class _RollBack(Exception):
    """Ends a dry run's transaction."""


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="read and write everything, then roll it all back: nothing is written; same report",
    )
    parser.add_argument(
        "--create-stubs",
        action="store_true",
        help="keep a thread whose URL is no article here as a discussion of that external URL",
    )
    parser.add_argument(
        "--site-host",
        action="append",
        default=[],
        metavar="HOST",
        help="a host name whose URLs are this site's (its old address); repeatable",
    )
    parser.add_argument(
        "--no-progress", action="store_true", help="no progress bar, even on a terminal"
    )


def source_parser(name: str) -> tuple[argparse.ArgumentParser, type[Source]]:
    source = load_source(name)
    parser = argparse.ArgumentParser(prog=f"masthead import {name}", description=source.help)
    source.add_arguments(parser)
    add_common_arguments(parser)
    return parser, source


def _json_safe(options: Mapping[str, object]) -> dict[str, Any]:
    safe: dict[str, Any] = {}
    for key, value in options.items():
        try:
            json.dumps(value)
            safe[key] = value
        except TypeError:
            safe[key] = str(value)
    # A database URL may carry a password: never kept.
    if isinstance(safe.get("db"), str) and "@" in safe["db"]:
        safe["db"] = "(given)"
    return safe


def run_import(
    name: str, argv: Sequence[str], stdout: TextIO, stderr: TextIO, progress: bool | None = None
) -> int:
    """Run `masthead import NAME ARGV...`; returns the exit status."""
    if name not in SOURCES:
        stderr.write(f"Unknown source {name!r}: one of {', '.join(sorted(SOURCES))}.\n")
        return 2
    parser, source_class = source_parser(name)
    try:
        options = vars(parser.parse_args(list(argv)))
    except SystemExit as exit_:  # --help, or a usage error argparse already printed
        return int(exit_.code or 0)
    dry_run = bool(options.get("dry_run"))
    report = ImportReport(stream=stderr, progress=False if options["no_progress"] else progress)
    try:
        run = (
            None
            if dry_run
            else ImportRun.objects.create(source=name, arguments=_json_safe(options))
        )
    except DatabaseError as exc:
        stderr.write(f"masthead import {name}: the site's database is not ready ({exc}).\n")
        return 1
    error = ""
    failed_threads = 0
    source: Source | None = None
    try:
        # Each thread is its own transaction; a dry run wraps them all in one that is rolled back.
        with transaction.atomic() if dry_run else nullcontext():
            source = source_class(options)
            writer: ImportWriter | None = None
            for record in source.threads(report):
                if writer is None:
                    # A source may bring its own writer (masthead_json restores what only a
                    # Masthead export carries); every other source uses the shared one.
                    writer_class = getattr(source_class, "writer_class", ImportWriter)
                    writer = writer_class(
                        source.source_key(),
                        report,
                        create_stubs=bool(options.get("create_stubs")),
                        site_hosts=list(options.get("site_host") or []),
                        with_pingbacks=bool(options.get("with_pingbacks")),
                    )
                try:
                    writer.write(record)
                except Exception as exc:  # one thread's failure is reported, not fatal
                    failed_threads += 1
                    reason = f"could not be written ({type(exc).__name__}: {exc})".splitlines()[0]
                    report.skip(Skip("thread", record.source_id, reason[:300]))
                    report.count("thread", "skipped")
                report.thread_done(len(record.comments))
            if dry_run:
                raise _RollBack
    except _RollBack:
        pass
    except SourceError as exc:
        error = str(exc).splitlines()[0] if str(exc) else "the input could not be read"
    except (OSError, UnicodeError) as exc:
        error = f"the input could not be read: {exc}".splitlines()[0]
    finally:
        report.close_progress()
    stdout.write(report.render(dry_run=dry_run, title=f"Import from {name}"))
    if failed_threads:
        stderr.write(
            f"{failed_threads} thread(s) could not be written (see above); a re-run resumes.\n"
        )
    if error:
        stderr.write(f"masthead import {name}: {error}\n")
    if run is not None:
        run.status = (
            ImportRunStatus.FAILED if error or failed_threads else ImportRunStatus.SUCCEEDED
        )
        run.error = error
        run.report = report.as_dict()
        run.finished_at = timezone.now()
        try:
            run.source_key = source.source_key()[:40] if source is not None else ""
        except Exception:  # a source that could not open its input has no key
            run.source_key = ""
        run.save()
    return 1 if error or failed_threads else 0
