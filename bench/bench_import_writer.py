"""Import writer: N comments on 2,000 threads written through `migration.writer.ImportWriter`.

The records are generated as a stream (a source's shape: one thread at a time), so what is measured
is the writer: tree resolution, bulk inserts, ImportedObject rows, counters, one transaction per
thread. Each size runs in a fresh process on a fresh SQLite site; peak RSS is that process's VmHWM.
A re-run of the same records (everything unchanged) is timed too.

Run: `.venv/bin/python -m bench import_writer` (sizes from `BENCH_IMPORT_SIZES`, default
10000,100000); results go to bench/RESULTS.md under "## Import writer".
"""

from __future__ import annotations

import json
import os

from bench.common import machine_line, manage, scratch_dir, shell, write_section

SIZES = [int(size) for size in os.environ.get("BENCH_IMPORT_SIZES", "10000,100000").split(",")]
THREADS = 2000

CODE = r"""
import datetime as dt, io, json, re, resource, time
from masthead.migration.records import SourceComment, SourceThread, ImportedStatus
from masthead.migration.report import ImportReport
from masthead.migration.writer import ImportWriter

TOTAL, THREADS = __TOTAL__, __THREADS__
PER = TOTAL // THREADS
BASE = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def records():
    for t in range(THREADS):
        thread = SourceThread(source_id=f"t{t}", url=f"https://old.example.org/{t}/", title=f"Post {t}")
        for n in range(PER):
            # Groups of four: a top-level comment, two replies to it, a reply to the second.
            parent = None if n % 4 == 0 else f"t{t}c{n - n % 4 if n % 4 < 3 else n - 1}"
            thread.comments.append(
                SourceComment(
                    source_id=f"t{t}c{n}",
                    parent_id=parent,
                    author_name=f"Reader {n % 97}",
                    author_email=f"reader{n % 97}@example.org",
                    author_ip=f"198.51.100.{n % 250}",
                    body=f"<p>Comment {n} on thread {t}: a few words of text, like a reader's.</p>",
                    created_at=BASE + dt.timedelta(minutes=t * PER + n),
                    status=ImportedStatus.APPROVED if n % 20 else ImportedStatus.PENDING,
                    upvotes=n % 5,
                )
            )
        yield thread


def write():
    report = ImportReport(stream=io.StringIO(), progress=False)
    writer = ImportWriter("bench:writer", report, create_stubs=True)
    start = time.perf_counter()
    for record in records():
        writer.write(record)
    return time.perf_counter() - start, report


first, report = write()
again, report_again = write()
peak = 0
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        peak = int(line.split()[1]) / 1024
print("RESULT " + json.dumps({
    "comments": TOTAL, "first": first, "again": again, "peak_rss_mb": peak,
    "imported": report.counts["comment"]["imported"],
    "unchanged": report_again.counts["comment"]["unchanged"],
}))
"""


def run_one(size: int) -> dict[str, float]:
    with scratch_dir("import") as data_dir:
        env = {"MASTHEAD_RATELIMIT_ENABLED": "0"}
        manage(data_dir, "migrate", "--verbosity", "0", env=env)
        code = CODE.replace("__TOTAL__", str(size)).replace("__THREADS__", str(THREADS))
        output = shell(data_dir, code, env=env)
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    result: dict[str, float] = json.loads(line.removeprefix("RESULT "))
    return result


def main() -> None:
    results = [run_one(size) for size in SIZES]
    load = os.getloadavg()
    for result in results:
        print(result)
    lines = [
        f"Machine: {machine_line()}",
        "",
        f"N comments on {THREADS:,} threads (external-URL threads, replies two levels deep, 1 in 20",
        "pending), generated as a stream and written by `ImportWriter` on SQLite, one transaction per",
        "thread; then the same records again (everything unchanged: read and compared, nothing written).",
        "",
        "| comments | first import | comments/s | re-run (unchanged) | peak RSS |",
        "|---:|---:|---:|---:|---:|",
        *(
            f"| {int(r['comments']):,} | {r['first']:.1f} s | {r['comments'] / r['first']:,.0f} | "
            f"{r['again']:.1f} s | {r['peak_rss_mb']:.0f} MiB |"
            for r in results
        ),
        "",
        "Memory: peak RSS "
        + " vs ".join(f"{r['peak_rss_mb']:.0f} MiB" for r in results)
        + " (flat in the number of comments: records stream, one thread in memory at a time).",
        f"Load average at the end of the run: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on "
        f"{os.cpu_count()} cores (other helpers' tests were running on the same machine).",
        "Run: `.venv/bin/python -m bench import_writer` (sizes from `BENCH_IMPORT_SIZES`).",
    ]
    write_section("## Import writer\n\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
