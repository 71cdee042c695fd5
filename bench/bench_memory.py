"""Memory: the default `masthead run` stack at rest, per process role, and what each extra web worker adds.

`masthead run` with its default options (SQLite, the task worker on, `--workers` left to its default of
one per core, at most 4) in a scratch data directory holding the demo site; the home page, an article,
its thread and a page of its comments are read until every web worker has served them, then the stack
rests for `BENCH_REST_SECONDS` (3) and every process of its tree is read from /proc: RSS (`VmRSS`),
PSS (`Pss:` of smaps_rollup: each shared page divided among the processes that map it, so the PSS of a
tree adds up to what it costs the machine) and USS (pages no other process maps). The target (issue 17:
the whole default stack at rest ≤ 350 MiB) is on the PSS total; RSS counts shared pages once per
process. Then each page is read under load (wrk, c=16, `BENCH_LOAD_SECONDS` (4) each) and, after
the same rest, read again: a worker writes into pages it shared as it serves. The same again with two
more web workers gives the figure per extra worker.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import time
import urllib.request
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bench.common import (
    PYTHON,
    free_port,
    machine_line,
    process_tree,
    scratch_dir,
    wait_for,
    write_section,
    wrk,
)

REST_SECONDS = float(os.environ.get("BENCH_REST_SECONDS", "3"))
LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "4"))
TARGET_MIB = 350
DEFAULT_WORKERS = min(4, os.cpu_count() or 1)


@dataclass
class ProcessMemory:
    pid: int
    role: str
    rss_kib: int
    pss_kib: int
    uss_kib: int


def role(pid: int, root: int) -> str:
    """What a process of the stack is, from the name `masthead run` gives it (/proc/PID/comm) or, for
    stacks that name none, from its command line."""
    comm = Path(f"/proc/{pid}/comm").read_text().strip()
    if comm.startswith("masthead-"):
        return comm
    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    if pid == root:
        return "masthead-run (supervisor)"
    for marker, name in (
        ("masthead_clock", "clock"),
        ("db_worker", "task worker"),
        ("rqworker", "task worker"),
        ("masthead_worker", "task worker"),
        ("resource_tracker", "resource tracker"),
        ("multiprocessing", "web worker"),
    ):
        if marker in cmdline:
            return name
    return cmdline[:40]


def read_memory(pid: int, root: int) -> ProcessMemory:
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        match = re.match(r"(\w+):\s+(\d+) kB", line)
        if match:
            fields[match.group(1)] = int(match.group(2))
    return ProcessMemory(
        pid,
        role(pid, root),
        fields.get("Rss", 0),
        fields.get("Pss", 0),
        fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0),
    )


def stack_memory(root: int) -> list[ProcessMemory]:
    readings = []
    for pid in process_tree(root):
        with contextlib.suppress(OSError):
            readings.append(read_memory(pid, root))
    return readings


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()  # type: ignore[no-any-return]


def warm_up(base: str, rounds: int) -> list[str]:
    """Read the pages a reader reads, enough times that each web worker serves each of them; returns
    their paths."""
    home = get(base + "/").decode()
    article = next(iter(dict.fromkeys(re.findall(r'href="(/[a-z0-9-]+/[a-z0-9-]+/)"', home))))
    thread = json.loads(get(f"{base}/api/v1/threads?url={article}"))
    paths = [
        "/",
        article,
        f"/api/v1/threads?url={article}",
        f"/api/v1/threads/{thread['id']}/comments",
        f"/api/v1/threads/{thread['id']}/comments?limit=all",
    ]
    for _ in range(rounds):
        for path in paths:
            get(base + path)
    return paths


def load(base: str, paths: list[str]) -> None:
    """Sustained reads of each path (wrk, c=16), as a busy spell would make them."""
    for path in paths:
        wrk(base + path, concurrency=16, seconds=LOAD_SECONDS)


def measure(data_dir: Path, workers: int | None) -> tuple[list[ProcessMemory], list[ProcessMemory]]:
    """The stack's memory at rest after a warm-up, and at rest again after sustained reads."""
    port = free_port()
    command = [PYTHON, "-m", "masthead.cli", "run", "--port", str(port)]
    if workers is not None:
        command += ["--workers", str(workers)]
    env = {**os.environ, "MASTHEAD_DATA_DIR": str(data_dir), "MASTHEAD_RATELIMIT_ENABLED": "0"}
    for name in ("DATABASE_URL", "REDIS_URL", "MASTHEAD_WEB_WORKERS"):
        env.pop(name, None)
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/robots.txt", timeout=180)
        paths = warm_up(base, rounds=10 * (workers or DEFAULT_WORKERS))
        time.sleep(REST_SECONDS)
        at_rest = stack_memory(process.pid)
        load(base, paths)
        time.sleep(REST_SECONDS)
        return at_rest, stack_memory(process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def mib(kib: float) -> str:
    return f"{kib / 1024:,.1f}"


def table(label: str, readings: list[ProcessMemory]) -> list[str]:
    by_role: dict[str, list[ProcessMemory]] = defaultdict(list)
    for reading in readings:
        by_role[reading.role].append(reading)
    lines = [
        label,
        "",
        "| process | count | RSS MiB | PSS MiB | USS MiB |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, group in by_role.items():
        lines.append(
            f"| {name} | {len(group)} | {mib(sum(r.rss_kib for r in group))} | "
            f"{mib(sum(r.pss_kib for r in group))} | {mib(sum(r.uss_kib for r in group))} |"
        )
    lines.append(
        f"| **total** | {len(readings)} | {mib(sum(r.rss_kib for r in readings))} | "
        f"**{mib(sum(r.pss_kib for r in readings))}** | {mib(sum(r.uss_kib for r in readings))} |"
    )
    return lines


def total(readings: list[ProcessMemory], field: str) -> int:
    return sum(getattr(reading, field) for reading in readings)


def main() -> None:
    more = DEFAULT_WORKERS + 2
    with scratch_dir("memory") as scratch:
        template = scratch / "template"
        subprocess.run(
            [PYTHON, "-m", "masthead.cli", "demo"],
            env={**os.environ, "MASTHEAD_DATA_DIR": str(template)},
            check=True,
            stdout=subprocess.DEVNULL,
        )
        # Each run starts from a copy of the same site, its cache empty: a run after another would
        # find its pages already rendered in the shared cache and do (and hold) less.
        shutil.copytree(template, scratch / "default")
        shutil.copytree(template, scratch / "more")
        default, default_loaded = measure(scratch / "default", None)
        extra, extra_loaded = measure(scratch / "more", more)
    lines = table(
        f"`masthead run` with default options (SQLite, task worker on, `--workers` default "
        f"{DEFAULT_WORKERS}), at rest after warm-up:",
        default,
    )
    lines += ["", *table(f"`masthead run --workers {more}`, the same way:", extra)]
    lines += [
        "",
        *table(
            f"The default stack again after {LOAD_SECONDS} s of wrk at c=16 on each of those pages, "
            f"at rest:",
            default_loaded,
        ),
    ]
    per_loaded = (total(extra_loaded, "pss_kib") - total(default_loaded, "pss_kib")) / 2
    per_pss = (total(extra, "pss_kib") - total(default, "pss_kib")) / 2
    per_rss = (total(extra, "rss_kib") - total(default, "rss_kib")) / 2
    default_pss = total(default, "pss_kib") / 1024
    lines += [
        "",
        f"Per extra web worker: PSS {mib(per_pss)} MiB, RSS {mib(per_rss)} MiB "
        f"(({more} workers - {DEFAULT_WORKERS}) / 2); after the same load: PSS "
        f"{mib(per_loaded)} MiB (total {mib(total(extra_loaded, 'pss_kib'))} MiB with {more}).",
        f"Default stack at rest: PSS {default_pss:,.1f} MiB against the target of {TARGET_MIB} MiB "
        f"({'met' if default_pss <= TARGET_MIB else 'not met'}); RSS "
        f"{mib(total(default, 'rss_kib'))} MiB counts shared pages once per process.",
    ]
    for line in lines:
        print(line)
    write_section(
        "## Memory\n\n"
        + f"Machine: {machine_line()} · `uname -m` {os.uname().machine}\n\n"
        + "\n".join(lines)
        + "\n\nRun: `.venv/bin/python -m bench memory` (rest before reading: `BENCH_REST_SECONDS`).\n"
    )
