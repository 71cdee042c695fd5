"""`masthead export OUT.json[.gz]`: the site's discussion and funding as one document (docs/export.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

from masthead.migration.export import export_site


class Command(BaseCommand):
    help = (
        "Export everything the site holds about discussion and funding that is not secret, "
        "as JSON lines (gzip when OUT ends in .gz); see docs/export.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("output", metavar="OUT.json[.gz]", help="the file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["output"])
        if target.is_dir():
            self.stderr.write(f"masthead export: {target} is a directory.")
            sys.exit(1)
        if not target.parent.is_dir():
            self.stderr.write(f"masthead export: no directory {target.parent} to write into.")
            sys.exit(1)
        try:
            counts = export_site(target)
        except OSError as exc:
            self.stderr.write(f"masthead export: could not write {target}: {exc.strerror or exc}.")
            sys.exit(1)
        except DatabaseError as exc:
            self.stderr.write(f"masthead export: the site's database is not ready ({exc}).")
            sys.exit(1)
        kinds = ("reader", "address", "thread", "comment", "subscription", "campaign", "donation")
        summary = ", ".join(f"{counts[kind]} {kind}s" for kind in kinds)
        self.stdout.write(f"Exported {summary} to {target}.")
        left_out = counts["thread left out: its page is in no site"]
        if left_out:
            self.stderr.write(f"{left_out} thread(s) left out: their page is in no site (no URL).")
