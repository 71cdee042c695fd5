"""`masthead export OUT.json[.gz]`: the hook the export lands in (not available yet)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Export everything a site holds about discussion and funding (docs/export.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("arguments", nargs=argparse.REMAINDER)

    def handle(self, *args: Any, **options: Any) -> None:
        # Replaced by the export (masthead/migration/masthead_json.py) when it lands.
        self.stderr.write("masthead export: not available yet.")
        sys.exit(1)
