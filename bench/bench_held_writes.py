"""A post's writes held and sent as one statement on PostgreSQL (core/db/held_writes.py), A/B in process.

One PostgreSQL + Redis (as `bench scaled`), one worker thread posting readers' comments (~400
characters, a distinct reader each, 30 % replies) through Django's test client to the 1,000-comment
thread of `bench discussion`'s seed. Alternating five times, 200 posts each way: with the post's
writes combined (what runs: `transaction_combined`, one statement without BEGIN and COMMIT), and
with it replaced by a plain `transaction.atomic()` that holds nothing (each write its own
statement). Per post: statements sent to PostgreSQL (BEGIN and COMMIT included, read from libpq's
trace: the median of nine posts, a reply sending one more), the worker's CPU, the PostgreSQL
backend's CPU (from /proc), wall time; medians.

Run: `.venv/bin/python -m bench held_writes` (~2 min with the seeding); results go to
bench/RESULTS.md under "## Held writes on PostgreSQL".
"""

from __future__ import annotations

import json
import re

from bench import bench_scaled
from bench.common import machine_line, scratch_dir, shell, write_section

CODE = r"""
import json, os, random, statistics, tempfile, time
from django.db import connection, transaction
from django.test import Client
from psycopg import pq
from masthead.discussion import actions
from masthead.discussion.models import Comment
from bench.bench_discussion import WORDS

THREAD = __THREAD__
parents = list(Comment.objects.filter(thread_id=THREAD, status="approved").values_list("pk", flat=True)[:200])
rng = random.Random(7)
client = Client(HTTP_HOST="127.0.0.1")
made = [0]

def post():
    made[0] += 1
    words, length = [], 0
    while length < 400:
        word = rng.choice(WORDS); words.append(word); length += len(word) + 1
    who = f"{made[0]}-{time.time_ns()}"
    data = {"body": " ".join(words) + ".", "name": f"Reader {who}", "email": f"reader{who}@example.org"}
    if rng.random() < 0.3:
        data["parent_id"] = rng.choice(parents)
    client.cookies.clear()  # a new reader: no guest cookie, so the duplicate check finds no history
    answer = client.post(f"/api/v1/threads/{THREAD}/comments", json.dumps(data), content_type="application/json")
    assert answer.status_code == 201, (answer.status_code, answer.content[:300])

with connection.cursor() as cursor:
    cursor.execute("SELECT pg_backend_pid()")
    backend = cursor.fetchone()[0]

def backend_cpu():
    fields = open(f"/proc/{backend}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

def statements_sent():
    # Statements one post sends, BEGIN and COMMIT included (libpq's trace of the connection).
    pgconn = connection.connection.pgconn
    with tempfile.TemporaryFile("w+") as trace:
        pgconn.trace(trace.fileno())
        pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        try:
            post()
        finally:
            pgconn.untrace()
        trace.seek(0)
        return sum(
            1
            for line in trace.read().splitlines()
            if line.split("\t")[0] == "F" and line.split("\t")[2:3] in (["Query"], ["Execute"])
        )

combined = actions.transaction_combined
ways = {"combined": combined, "each write its own statement": transaction.atomic}
found = {name: {"statements": [], "worker": [], "postgresql": [], "wall": []} for name in ways}
for _ in range(30):
    post()
for _ in range(5):
    for name, block in ways.items():
        actions.transaction_combined = block
        found[name]["statements"].append(statistics.median(statements_sent() for _ in range(9)))
        cpu, database, wall = time.thread_time(), backend_cpu(), time.perf_counter()
        for _ in range(200):
            post()
        found[name]["worker"].append((time.thread_time() - cpu) / 200 * 1000)
        found[name]["postgresql"].append((backend_cpu() - database) / 200 * 1000)
        found[name]["wall"].append((time.perf_counter() - wall) / 200 * 1000)
actions.transaction_combined = combined
print("RESULT " + json.dumps({name: {k: statistics.median(v) for k, v in values.items()} for name, values in found.items()}))
"""


def main() -> None:
    with scratch_dir("held-writes") as data_dir, bench_scaled.postgres_and_redis() as env:
        config = bench_scaled.prepare("PostgreSQL + Redis", env, data_dir)
        code = CODE.replace("__THREAD__", str(config.threads["1000"]["thread"]))
        output = shell(data_dir, code, env=env)
    match = re.search(r"^RESULT (.*)$", output, re.MULTILINE)
    assert match, output
    figures: dict[str, dict[str, float]] = json.loads(match.group(1))
    lines = [
        "## Held writes on PostgreSQL",
        "",
        f"`python -m bench held_writes` · {machine_line()} · in process, one thread, readers' posts "
        "(~400 characters, a distinct reader each, 30% replies) to a 1,000-comment thread on "
        "PostgreSQL + Redis; medians of five alternating runs of 200 posts each way.",
        "",
        "| a post's writes | statements a post | worker CPU ms | PostgreSQL CPU ms | wall ms |",
        "|---|---:|---:|---:|---:|",
        *[
            f"| {name} | {one['statements']:.0f} | {one['worker']:.2f} | {one['postgresql']:.2f} "
            f"| {one['wall']:.2f} |"
            for name, one in figures.items()
        ],
        "",
        "Statements: what one post sends, BEGIN and COMMIT counted (libpq's trace; the median of "
        "nine posts: a reply adds the parent's lookup). CPU: the posting thread's, and the "
        "PostgreSQL backend serving it, per post.",
    ]
    print("\n".join(lines))
    write_section("\n".join(lines))


if __name__ == "__main__":
    main()
