"""`masthead import SOURCE ...` (the console script routes here): see masthead/migration/run.py."""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandParser

from masthead.migration.run import run_import
from masthead.migration.sources import SOURCES


class Command(BaseCommand):
    help = "Import a site's discussions (and, from WordPress, its articles) from another system."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", choices=sorted(SOURCES), help="what to import from")
        # The source's own options are parsed by the source's parser (`masthead import NAME --help`),
        # so only the source named is imported (lxml, a MySQL driver...).
        parser.add_argument("arguments", nargs=argparse.REMAINDER)

    def handle(self, *args: Any, **options: Any) -> None:
        status = run_import(
            options["source"],
            options["arguments"],
            cast(TextIO, self.stdout._out),
            cast(TextIO, self.stderr._out),
        )
        if status:
            sys.exit(status)
