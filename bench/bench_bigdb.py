"""Big database: first-page reads on PostgreSQL with 1,000 comments in 100 threads, then 1,000,000
comments in 100,000 threads (issue #17: "p99 flat").

A fresh PostgreSQL database (dropped at the end) is migrated with `masthead manage migrate`, then seeded
straight in SQL (`INSERT ... SELECT ... FROM generate_series`: the ORM row by row would take most of an
hour): external-URL threads of 10 comments each, 7 top-level and 3 replies, ~400-character bodies from
bench_discussion's words. The first page of random threads is read (1) in process, uncached: the
thread's light read, the page's two queries and the JSON, as the API view does on a cache miss; and (2)
through `masthead run --workers 2` (disk cache, no Redis) with wrk at c=16, each request a random
seeded thread and a random `limit` from 7 to 100 (the same 7 top-level comments and their replies, but
a distinct cache key), so most reads miss both the fast path and the JSON cache; the hits are counted.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

from bench.bench_discussion import body_text
from bench.common import machine_line, manage, masthead_server, scratch_dir, shell, write_section

SECONDS = int(os.environ.get("BENCH_SECONDS", "6"))
SERVER = os.environ.get("MASTHEAD_BENCH_PG", "postgres://postgres:postgres@127.0.0.1:5432")
SMALL_THREADS = 100
BIG_THREADS = int(os.environ.get("MASTHEAD_BENCH_BIG_THREADS", "100000"))
PER_THREAD = 10  # 7 top-level comments, 3 replies
ROOTS = 7
READS = 1000
ROUNDS = int(os.environ.get("BENCH_BIGDB_ROUNDS", "3"))
URL_PREFIX = "https://news.example/bigdb/"
CHUNK = 20000  # threads per INSERT round while growing (progress, and smaller transactions)


# --- seeding -------------------------------------------------------------------------------------

THREADS_SQL = """
INSERT INTO discussion_thread (page_id, url, title, comment_count, is_closed, version, created_at)
SELECT NULL, %(prefix)s || n, 'Discussion ' || n, %(per)s, false, 1,
       now() - interval '30 days' + n * interval '20 seconds'
FROM generate_series(%(first)s::int, %(last)s::int) AS n
"""

# Top-level comments: the first 3 of each thread get one reply each (reply_count 1).
ROOTS_SQL = """
INSERT INTO discussion_comment (
    thread_id, parent_id, root_id, depth, user_id, guest_key, author_name, author_email,
    author_website, ip_hash, body, html, status, created_at, edited_at, upvotes, downvotes, score,
    is_pinned, reply_count, moderation, target, anchor_state)
SELECT t.id, NULL, NULL, 0, NULL, '', 'Reader ' || ((t.id * 7 + k) %% 97),
       'r' || ((t.id * 7 + k) %% 97) || '@example.com', '', '',
       (%(bodies)s::text[])[1 + (t.id * 7 + k) %% %(nbodies)s],
       '<p>' || ((%(bodies)s::text[])[1 + (t.id * 7 + k) %% %(nbodies)s]) || '</p>',
       'approved', t.created_at + k * interval '10 minutes', NULL,
       k %% 7, k %% 3, k %% 7 - k %% 3, false, CASE WHEN k <= 3 THEN 1 ELSE 0 END, '{}'::jsonb,
       NULL, ''
FROM discussion_thread t CROSS JOIN generate_series(1, %(roots)s::int) AS k
WHERE t.id BETWEEN %(lo)s AND %(hi)s
"""

REPLIES_SQL = """
INSERT INTO discussion_comment (
    thread_id, parent_id, root_id, depth, user_id, guest_key, author_name, author_email,
    author_website, ip_hash, body, html, status, created_at, edited_at, upvotes, downvotes, score,
    is_pinned, reply_count, moderation, target, anchor_state)
SELECT c.thread_id, c.id, c.id, 1, NULL, '', 'Reader ' || ((c.id * 3) %% 97), 'x@example.com', '',
       '', (%(bodies)s::text[])[1 + (c.id * 3) %% %(nbodies)s],
       '<p>' || ((%(bodies)s::text[])[1 + (c.id * 3) %% %(nbodies)s]) || '</p>',
       'approved', c.created_at + interval '3 hours', NULL, 0, 0, 0, false, 0, '{}'::jsonb, NULL, ''
FROM discussion_comment c
WHERE c.thread_id BETWEEN %(lo)s AND %(hi)s AND c.parent_id IS NULL AND c.reply_count = 1
"""


def bodies() -> list[str]:
    rng = random.Random(7)
    return [body_text(rng) for _ in range(64)]


def add_threads(conn: psycopg.Connection, first: int, last: int) -> tuple[int, int]:
    """Threads number `first`..`last` (external URLs) with their comments; returns their id range."""
    texts = bodies()
    lo = hi = 0
    for start in range(first, last + 1, CHUNK):
        end = min(last, start + CHUNK - 1)
        with conn.transaction(), conn.cursor() as cur:
            cur.execute(
                THREADS_SQL + " RETURNING id",
                {"prefix": URL_PREFIX, "per": PER_THREAD, "first": start, "last": end},
            )
            ids = [row[0] for row in cur.fetchall()]
            chunk_lo, chunk_hi = min(ids), max(ids)
            params = {
                "bodies": texts,
                "nbodies": len(texts),
                "roots": ROOTS,
                "lo": chunk_lo,
                "hi": chunk_hi,
            }
            cur.execute(ROOTS_SQL, params)
            cur.execute(REPLIES_SQL, params)
        lo = lo or chunk_lo
        hi = chunk_hi
        if last - first > CHUNK:
            print(f"  seeded threads {start:,}-{end:,}", flush=True)
    return lo, hi


def settle(conn: psycopg.Connection) -> float:
    """VACUUM (ANALYZE) and a checkpoint, as a database at rest would be: autovacuum and the
    checkpointer then have nothing left to do while the reads are timed. Returns the seconds taken."""
    start = time.monotonic()
    conn.execute("VACUUM (ANALYZE) discussion_thread")
    conn.execute("VACUUM (ANALYZE) discussion_comment")
    conn.execute("CHECKPOINT")
    return time.monotonic() - start


def counts(conn: psycopg.Connection) -> tuple[int, int]:
    row = conn.execute(
        "SELECT (SELECT count(*) FROM discussion_thread), (SELECT count(*) FROM discussion_comment)"
    ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


# --- measuring -----------------------------------------------------------------------------------

IN_PROCESS = """
import json, random, time
from masthead.discussion import queries
from masthead.discussion.serialise import page_payload
def read(thread_id):
    thread, policy = queries.readable_thread(thread_id)
    page = queries.thread_page(thread, "newest", policy.page_size, None, policy.display_depth)
    assert len(page.items) == __ROOTS__, len(page.items)
    return json.dumps(page_payload(page, policy.gravatar), separators=(",", ":"))
rounds = []
for round_number in range(__ROUNDS__):
    rng = random.Random(11 + round_number)
    ids = [rng.randint(__LO__, __HI__) for _ in range(__READS__)]
    for thread_id in ids[:20]:  # connection, policy cache, compiled queries
        read(thread_id)
    times = []
    for thread_id in ids:
        start = time.perf_counter()
        read(thread_id)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    rounds.append({"p50": times[len(times) // 2], "p99": times[int(len(times) * 0.99)]})
print("INPROC " + json.dumps(rounds))
"""

# The queries of one first page (a thread in the middle of the range), each under EXPLAIN ANALYZE: their
# execution time in the database and the indexes they use (a sequential scan of comments would not be flat).
PLANS = """
import json
from django.db import connection
from django.test.utils import CaptureQueriesContext
from masthead.discussion import queries
queries.readable_thread(__ID__)  # the site's policy into the cache first, as on a server at work
with CaptureQueriesContext(connection) as captured:
    thread, policy = queries.readable_thread(__ID__)
    queries.thread_page(thread, "newest", policy.page_size, None, policy.display_depth)
total, scans = 0.0, []
with connection.cursor() as cursor:
    for query in captured.captured_queries:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
        plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        total += plan[0]["Execution Time"]
        nodes = [plan[0]["Plan"]]
        while nodes:
            node = nodes.pop()
            nodes.extend(node.get("Plans", []))
            if node.get("Relation Name", "").startswith("discussion_"):
                scans.append(node.get("Index Name") or node["Node Type"] + " " + node["Relation Name"])
print("PLANS " + json.dumps({"queries": len(captured.captured_queries), "ms": total, "scans": scans}))
"""

LUA = """
local lo, hi = __LO__, __HI__
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  math.randomseed(os.time() + #threads * 7919 + math.floor(os.clock() * 1000000))
  hits = 0
  responses = 0
end
function request()
  local path = "/api/v1/threads/" .. math.random(lo, hi) .. "/comments?limit=" .. math.random(7, 100)
  return wrk.format("GET", path)
end
function response(status, headers, body)
  responses = responses + 1
  for name, value in pairs(headers) do
    if string.lower(name) == "x-cache" and value == "hit" then
      hits = hits + 1
    end
  end
end
function done(summary, latency, requests)
  local h, r = 0, 0
  for _, t in ipairs(threads) do
    h = h + t:get("hits")
    r = r + t:get("responses")
  end
  io.write(string.format("CACHEHITS %d %d\\n", h, r))
end
"""


@dataclass
class Measured:
    label: str
    threads: int
    comments: int
    load: str  # /proc/loadavg's 1-minute figure when the measurement started
    inproc_p50: float
    inproc_p99: float
    inproc_p99s: list[float]
    rps: float
    p50: float
    p99: float
    api_p99s: list[float]
    hits: int
    responses: int
    non_2xx: int
    plan_ms: float
    scans: list[str]


def _ms(text: str | None) -> float:
    match = re.match(r"([\d.]+)(us|ms|s)$", text or "")
    if not match:
        return float("nan")
    return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]


def wrk_random(base: str, lo: int, hi: int) -> tuple[float, float, float, int, int, int]:
    """wrk at c=16 over random threads: req/s, p50, p99, fast-path hits, responses, non-2xx."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA.replace("__LO__", str(lo)).replace("__HI__", str(hi)))
    try:
        output = subprocess.run(
            [
                *("wrk", "--latency", "-t", "2", "-c", "16", "-d", f"{SECONDS}s"),
                *("-s", script.name, f"{base}/api/v1/threads/{lo}/comments"),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    pct = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+(?:us|ms|s))", output, re.MULTILINE))
    hits_match = re.search(r"CACHEHITS (\d+) (\d+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return (
        rps,
        _ms(pct.get("50")),
        _ms(pct.get("99")),
        int(hits_match.group(1)) if hits_match else -1,
        int(hits_match.group(2)) if hits_match else -1,
        int(non_2xx.group(1)) if non_2xx else 0,
    )


def median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def in_process(
    data_dir: Path, env: dict[str, str], label: str, lo: int, hi: int
) -> list[dict[str, float]]:
    """ROUNDS rounds of READS uncached first pages of random threads lo..hi: p50 and p99 of each."""
    code = (
        IN_PROCESS.replace("__LO__", str(lo))
        .replace("__HI__", str(hi))
        .replace("__READS__", str(READS))
        .replace("__ROOTS__", str(ROOTS))
        .replace("__ROUNDS__", str(ROUNDS))
    )
    output = shell(data_dir, code, env=env)
    rounds: list[dict[str, float]] = json.loads(output.split("INPROC ", 1)[1].splitlines()[0])
    for number, one in enumerate(rounds, 1):
        print(
            f"{label}: in process, uncached, {READS} random threads, round {number}: "
            f"p50 {one['p50']:.2f} ms  p99 {one['p99']:.2f} ms",
            flush=True,
        )
    return rounds


def measure(
    data_dir: Path, env: dict[str, str], conn: psycopg.Connection, label: str, lo: int, hi: int
) -> Measured:
    threads, comments = counts(conn)
    load = Path("/proc/loadavg").read_text().split()[0]
    plans = json.loads(
        shell(data_dir, PLANS.replace("__ID__", str((lo + hi) // 2)), env=env)
        .split("PLANS ", 1)[1]
        .splitlines()[0]
    )
    scans = sorted(set(plans["scans"]))
    print(
        f"{label} ({threads:,} threads, {comments:,} comments; load average {load}): one first page: "
        f"{plans['queries']} queries, {plans['ms']:.2f} ms executing in PostgreSQL (EXPLAIN ANALYZE), "
        f"through {', '.join(scans)}",
        flush=True,
    )
    inproc = in_process(data_dir, env, label, lo, hi)
    api = []
    with masthead_server(data_dir, workers=2, env=env) as server:
        for number in range(1, ROUNDS + 1):
            api.append(wrk_random(server.url, lo, hi))
            rps, p50, p99, hits, responses, non_2xx = api[-1]
            print(
                f"{label}: API c=16, random threads, round {number}: {rps:.1f} req/s  "
                f"p50 {p50:.1f} ms  p99 {p99:.1f} ms  fast-path hits {hits}/{responses}  "
                f"non-2xx {non_2xx}",
                flush=True,
            )
    return Measured(
        label,
        threads,
        comments,
        load,
        median([one["p50"] for one in inproc]),
        median([one["p99"] for one in inproc]),
        [one["p99"] for one in inproc],
        median([one[0] for one in api]),
        median([one[1] for one in api]),
        median([one[2] for one in api]),
        [one[2] for one in api],
        sum(one[3] for one in api),
        sum(one[4] for one in api),
        sum(one[5] for one in api),
        plans["ms"],
        scans,
    )


# --- run -----------------------------------------------------------------------------------------


def main() -> None:
    name = f"bench_bigdb_{os.getpid()}"
    admin = psycopg.connect(f"{SERVER}/postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    results: list[Measured] = []
    started = time.monotonic()
    seed_seconds = settle_seconds = 0.0
    control: list[dict[str, float]] = []
    try:
        env = {"DATABASE_URL": f"{SERVER}/{name}"}
        with scratch_dir("bigdb") as data_dir:
            manage(data_dir, "migrate", "--verbosity", "0", env=env)
            with psycopg.connect(f"{SERVER}/{name}", autocommit=True) as conn:
                lo, hi = add_threads(conn, 1, SMALL_THREADS)
                settle(conn)
                results.append(measure(data_dir, env, conn, "small", lo, hi))
                seed_start = time.monotonic()
                _, big_hi = add_threads(conn, SMALL_THREADS + 1, BIG_THREADS)
                seed_seconds = time.monotonic() - seed_start
                settle_seconds = settle(conn)
                threads, comments = counts(conn)
                print(
                    f"grew to {threads:,} threads, {comments:,} comments in {seed_seconds:.0f} s, "
                    f"VACUUM (ANALYZE) and CHECKPOINT {settle_seconds:.0f} s",
                    flush=True,
                )
                results.append(measure(data_dir, env, conn, "big", lo, big_hi))
                # Control: the small run's 100 threads, read again in the big database.
                control = in_process(data_dir, env, "big, the first 100 threads only", lo, hi)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    small, big = results
    ratios = (big.inproc_p99 / small.inproc_p99, big.p99 / small.p99)
    print(f"p99 ratio big/small: in process {ratios[0]:.2f}x, API {ratios[1]:.2f}x")
    write_results(
        results, ratios, control, seed_seconds, settle_seconds, time.monotonic() - started
    )


def write_results(
    results: list[Measured],
    ratios: tuple[float, float],
    control: list[dict[str, float]],
    seed_seconds: float,
    settle_seconds: float,
    total: float,
) -> None:
    table = [
        "| Database | threads | comments | load avg | SQL of one page ms | in process p50 ms | in process p99 ms | API req/s | API p50 ms | API p99 ms | cache hits | non-2xx |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for one in results:
        table.append(  # noqa: PERF401
            f"| {one.label} | {one.threads:,} | {one.comments:,} | {one.load} | {one.plan_ms:.2f} | "
            f"{one.inproc_p50:.2f} | "
            f"{one.inproc_p99:.2f} | {one.rps:.1f} | {one.p50:.1f} | {one.p99:.1f} | "
            f"{one.hits}/{one.responses} | {one.non_2xx} |"
        )
    flat = ratios[0] < 1.5 and ratios[1] < 1.5
    section = "\n".join(
        [
            "## Big database",
            "",
            f"`python -m bench bigdb` · {machine_line()} · PostgreSQL, `masthead run --workers 2`, "
            f"disk cache, {SECONDS} s per wrk run, c=16, medians of {ROUNDS} rounds; whole run "
            f"{total:.0f} s (growing to {results[-1].comments:,} comments: {seed_seconds:.0f} s, then "
            f"VACUUM (ANALYZE) and CHECKPOINT {settle_seconds:.0f} s).",
            "",
            *table,
            "",
            f"- p99 big/small: in process {ratios[0]:.2f}x, through the API {ratios[1]:.2f}x: "
            + ("flat." if flat else "NOT flat (see the rounds and the load average).")
            + " p99 of each round, in process: "
            + "; ".join(
                f"{one.label} " + ", ".join(f"{value:.1f}" for value in one.inproc_p99s)
                for one in results
            )
            + " ms; through the API: "
            + "; ".join(
                f"{one.label} " + ", ".join(f"{value:.0f}" for value in one.api_p99s)
                for one in results
            )
            + " ms. Control, in the big database, the small run's 100 threads only: p50 "
            + f"{median([one['p50'] for one in control]):.2f} ms, p99 "
            + f"{median([one['p99'] for one in control]):.2f} ms (the same rows as the small "
            + "run, in the big database).",
            f"- Each thread: {ROOTS} top-level comments and {PER_THREAD - ROOTS} replies (~400 characters), "
            "external-URL threads seeded in SQL. In process: the first page of "
            f"{READS:,} random threads, uncached (thread read, the page's queries, JSON), as the API view "
            "does on a miss. API: each request a random seeded thread and a random `limit` from 7 to 100 "
            "(the same page, a distinct cache key), so most reads miss the fast path and the JSON cache "
            "(hits counted above from `X-Cache: hit`).",
            "- SQL of one page: the execution times, under EXPLAIN ANALYZE, of the queries of one thread's "
            f"first page; with 1,000,000 comments they go through {', '.join(results[-1].scans)} "
            "(no sequential scan of comments).",
        ]
    )
    write_section(section)


if __name__ == "__main__":
    main()
