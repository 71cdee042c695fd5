"""Version reads on Redis: what a cached read pays to learn that no counter has moved.

With `REDIS_URL` every process keeps copies of the version counters and drops one when a bump's
message arrives on its subscription (core/cache.py, `VersionWatch`); each read first takes the
messages that have arrived. Measured in process, two counters per read (a thread page's), medians of
20,000 reads, alternating five times between the two ways of looking: a poll(2) of the subscription's
socket first (`core.sockets.has_input`, what runs), and redis-py's own `get_message` every time.

Run: `.venv/bin/python -m bench version_watch` (Redis at BENCH_SCALED_REDIS, default database 13,
emptied); results go to bench/RESULTS.md under "## Version reads on Redis".
"""

from __future__ import annotations

import json
import os
import re

from bench.common import machine_line, scratch_dir, shell, write_section

REDIS_URL = os.environ.get("BENCH_SCALED_REDIS", "redis://127.0.0.1:6379/13")

CODE = r"""
import json, statistics, time
from django.core.cache import caches
from masthead.core import cache_versions
from masthead.core.cache import VersionWatch, version_watch

caches["default"].clear()
KEYS = [("thread", "1"), ("publishing", "")]
watch = version_watch(caches["default"])
looks = {"poll(2) first": VersionWatch._quiet, "redis-py every time": lambda self: False}
found = {name: [] for name in looks}
for _ in range(5):
    for name, look in looks.items():
        VersionWatch._quiet = look
        for _ in range(1000):
            cache_versions.versions(KEYS)
        start = time.perf_counter()
        for _ in range(20000):
            cache_versions.versions(KEYS)
        found[name].append((time.perf_counter() - start) / 20000 * 1e6)
assert watch._pubsub is not None, "not subscribed: the copies were not used"
print("RESULT " + json.dumps({name: statistics.median(values) for name, values in found.items()}))
"""


def main() -> None:
    with scratch_dir("version-watch") as data_dir:
        output = shell(data_dir, CODE, env={"REDIS_URL": REDIS_URL, "DATABASE_URL": ""})
    match = re.search(r"^RESULT (.*)$", output, re.MULTILINE)
    assert match, output
    figures: dict[str, float] = json.loads(match.group(1))
    lines = [
        "## Version reads on Redis",
        "",
        f"`python -m bench version_watch` · {machine_line()} · in process, one thread, two counters "
        "per read; median of five alternating runs of 20,000 reads each.",
        "",
        "| how a read looks for bumps | µs per read |",
        "|---|---:|",
        *[f"| {name} | {value:.1f} |" for name, value in figures.items()],
        "",
        "A post makes ten such reads; a cached page read one or two.",
    ]
    print("\n".join(lines))
    write_section("\n".join(lines))


if __name__ == "__main__":
    main()
