"""What an import did, told as it goes (a progress bar on a terminal) and at the end (the report).

`ImportReport` is the `sources.ImportNotes` every source and the writer write to: counts per kind
("comment", "thread", "user", ...) and outcome ("imported", "updated", "unchanged", "skipped"), each
skip with its reason (grouped, with a few examples), and free notes. `render()` is the text the
command prints; `as_dict()` is what `ImportRun.report` keeps.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from typing import Any, TextIO

from .records import Skip

OUTCOMES = ("imported", "updated", "unchanged", "skipped")
EXAMPLES_PER_REASON = 3


class ImportReport:
    def __init__(self, stream: TextIO | None = None, progress: bool | None = None) -> None:
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)
        self.skip_counts: Counter[tuple[str, str]] = Counter()
        self.skip_examples: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.notes: list[str] = []
        self.stream = stream if stream is not None else sys.stderr
        # A bar only for a person watching: never into a pipe, a log file or a test's buffer.
        self.show_progress = self.stream.isatty() if progress is None else progress
        self._bar: Any = None

    # --- ImportNotes -------------------------------------------------------------------------

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        if n:
            self.counts[kind][outcome] += n

    def skip(self, skip: Skip) -> None:
        key = (skip.kind, skip.reason)
        self.skip_counts[key] += 1
        if len(self.skip_examples[key]) < EXAMPLES_PER_REASON and skip.source_id:
            self.skip_examples[key].append(skip.source_id)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    # --- progress ----------------------------------------------------------------------------

    def thread_done(self, comments: int) -> None:
        """One thread written (or skipped): advance the bar, if there is one."""
        if not self.show_progress:
            return
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(file=self.stream, unit=" threads", dynamic_ncols=True, leave=False)
        self._bar.update(1)
        total = sum(self.counts["comment"].values())
        self._bar.set_postfix_str(f"{total + comments} comments", refresh=False)

    def close_progress(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    # --- the report --------------------------------------------------------------------------

    def as_dict(self) -> dict[str, Any]:
        return {
            "counts": {kind: dict(outcomes) for kind, outcomes in sorted(self.counts.items())},
            "skips": [
                {
                    "kind": kind,
                    "reason": reason,
                    "count": count,
                    "examples": self.skip_examples[(kind, reason)],
                }
                for (kind, reason), count in sorted(
                    self.skip_counts.items(), key=lambda item: (-item[1], item[0])
                )
            ],
            "notes": list(self.notes),
        }

    def render(self, *, dry_run: bool = False, title: str = "Import") -> str:
        lines = [f"{title}{' (dry run: nothing was written)' if dry_run else ''}"]
        if not self.counts:
            lines.append("  nothing was read")
        width = max((len(kind) for kind in self.counts), default=0)
        for kind, outcomes in sorted(self.counts.items()):
            parts = [f"{outcomes[outcome]} {outcome}" for outcome in OUTCOMES if outcomes[outcome]]
            lines.append(f"  {kind.ljust(width)}  {', '.join(parts)}")
        if self.skip_counts:
            lines.append("Skipped or changed, and why:")
            for item in self.as_dict()["skips"]:
                examples = ", ".join(item["examples"])
                suffix = f" (e.g. {examples})" if examples else ""
                lines.append(f"  {item['count']} {item['kind']}: {item['reason']}{suffix}")
        if self.notes:
            lines.append("Notes:")
            lines.extend(f"  {note}" for note in self.notes)
        return "\n".join(lines) + "\n"
