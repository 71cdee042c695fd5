"""The scaled configuration: the discussion reads and posting on PostgreSQL + Redis beside SQLite.

In one sitting, the read scenarios of `bench discussion` ((a') first page of a 20-comment thread,
(a) first page and (b) View all of a 1,000-comment thread, (c) the article page with 1,000 comments)
and its cheap posting mix run twice, each on a fresh `masthead run --workers 2`: first on SQLite (the
default: diskcache in the data directory), then on `DATABASE_URL` (a fresh PostgreSQL database,
`bench_scaled_<pid>`, dropped afterwards) + `REDIS_URL` (database 13, flushed before and after). For
each scenario: req/s, p50/p99, the ratio PostgreSQL/SQLite, and the CPU time Masthead's own processes
spent per request (utime + stime of the server's process tree from /proc, before and after the run).

Environment: BENCH_SECONDS (per run, default 6), BENCH_SCALED_CONCURRENCY (reads, default "16"),
BENCH_SCALED_PG (the server, default postgres://postgres:postgres@127.0.0.1:5432),
BENCH_SCALED_REDIS (default redis://127.0.0.1:6379/13), BENCH_POST_ROUNDS (default 3: posting runs in
alternate rounds, each on a fresh server, and each side's median round is reported), BENCH_READ_ROUNDS
(default 3: both servers up at once, each read scenario run on one then the other, medians reported).
"""

from __future__ import annotations

import contextlib
import os
import re
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.bench_discussion import (
    ISSO_POST_LUA,
    POST_LUA,
    SECONDS,
    csrf_cookie,
    ensure_isso,
    isso_server,
    realistic_lua,
    seed,
    seed_isso,
    wrk_post,
)
from bench.common import (
    LoadResult,
    machine_line,
    manage,
    masthead_server,
    process_tree,
    scratch_dir,
    write_section,
    wrk,
)

READ_CONCURRENCY = [
    int(value) for value in os.environ.get("BENCH_SCALED_CONCURRENCY", "16").split(",") if value
]
POST_CONCURRENCY = [4]
POST_ROUNDS = int(os.environ.get("BENCH_POST_ROUNDS", "3"))
READ_ROUNDS = int(os.environ.get("BENCH_READ_ROUNDS", "3"))
PG_SERVER = os.environ.get("BENCH_SCALED_PG", "postgres://postgres:postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_SCALED_REDIS", "redis://127.0.0.1:6379/13")
TICKS = os.sysconf("SC_CLK_TCK")
ISSO_FIGURES: dict[tuple[str, int], Measured] = {}  # the posting rounds against Isso (run_all)


def cpu_seconds(pid: int) -> float:
    """utime + stime of the process tree under `pid`, in seconds."""
    total = 0
    for one in process_tree(pid):
        with contextlib.suppress(OSError):
            # The command name (field 2) may hold spaces: split after its closing parenthesis.
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / TICKS


@dataclass
class Measured:
    result: LoadResult
    cpu_ms_per_request: float


def measured(pid: int, run: object) -> Measured:
    before = cpu_seconds(pid)
    result: LoadResult = run()  # type: ignore[operator]
    spent = cpu_seconds(pid) - before
    requests = max(1.0, result.requests_per_second * SECONDS)
    return Measured(result, spent / requests * 1000)


@contextlib.contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """`values` in os.environ for the seeding shells and the server (bench.common passes it on)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _admin_sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(statement)  # type: ignore[arg-type]


def _flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


@contextlib.contextmanager
def postgres_and_redis() -> Iterator[dict[str, str]]:
    name = f"bench_scaled_{os.getpid()}"
    _admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _admin_sql(f"CREATE DATABASE {name}")
    if os.environ.get("BENCH_SCALED_PG_SYNCHRONOUS_COMMIT"):  # an A/B knob for the server's setting
        setting = os.environ["BENCH_SCALED_PG_SYNCHRONOUS_COMMIT"]
        _admin_sql(f"ALTER DATABASE {name} SET synchronous_commit = {setting}")
    _flush_redis()
    try:
        yield {"DATABASE_URL": f"{PG_SERVER}/{name}", "REDIS_URL": REDIS_URL}
    finally:
        _admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        _flush_redis()


@dataclass
class Configuration:
    name: str
    env: dict[str, str]
    data_dir: Path
    threads: dict[str, dict[str, object]]


def prepare(name: str, env: dict[str, str], data_dir: Path) -> Configuration:
    with environment(env):
        manage(data_dir, "migrate", "--verbosity", "0")
        return Configuration(name, env, data_dir, seed(data_dir, [20, 1000], "a"))


def read_paths(config: Configuration) -> list[tuple[str, str, str]]:
    t20, t1000 = config.threads["20"], config.threads["1000"]
    return [
        ("(a')", "API first page, 20-comment thread", f"/api/v1/threads/{t20['thread']}/comments"),
        (
            "(a)",
            "API first page, 1,000-comment thread",
            f"/api/v1/threads/{t1000['thread']}/comments",
        ),
        (
            "(b)",
            "API View all, 1,000-comment thread",
            f"/api/v1/threads/{t1000['thread']}/comments?limit=all",
        ),
        ("(c)", "article page, 1,000 comments", str(t1000["path"])),
    ]


def run_reads(configs: list[Configuration]) -> dict[str, dict[tuple[str, int], Measured]]:
    """The read scenarios with a server of each configuration up at once, each scenario run on one
    and then the other, READ_ROUNDS times; each side's median round by configuration name."""
    rounds: dict[tuple[str, str, int], list[Measured]] = {}
    labels: dict[str, str] = {}
    with contextlib.ExitStack() as stack:
        servers = []
        for config in configs:
            with environment(config.env):
                server = stack.enter_context(masthead_server(config.data_dir, workers=2))
            servers.append((config, server))
            for _, _, path in read_paths(config):  # one read of each first: warm caches
                with urllib.request.urlopen(f"{server.url}{path}", timeout=60) as response:
                    response.read()
        for round_number in range(1, READ_ROUNDS + 1):
            for concurrency in READ_CONCURRENCY:
                for index in range(len(read_paths(configs[0]))):
                    for config, server in servers:
                        key, label, path = read_paths(config)[index]
                        labels[key] = label
                        url = f"{server.url}{path}"
                        one = measured(
                            server.process.pid,
                            lambda url=url, c=concurrency, text=(f"{key} {label} ({config.name}), round {round_number}"): (
                                wrk(url, concurrency=c, seconds=SECONDS, label=text)
                            ),
                        )
                        print(_line(one), flush=True)
                        rounds.setdefault((config.name, key, concurrency), []).append(one)
    found: dict[str, dict[tuple[str, int], Measured]] = {config.name: {} for config in configs}
    for (name, key, concurrency), measured_rounds in rounds.items():
        found[name][(key, concurrency)] = median_measured(
            measured_rounds, f"{key} {labels[key]}, median of {READ_ROUNDS} ({name})"
        )
    return found


def run_posting(config: Configuration, round_number: int) -> dict[tuple[str, int], Measured]:
    """One round of posting, the cheap mix (d) and readers' realistic mix (f), on a fresh server;
    keyed by (mix, concurrency)."""
    found: dict[tuple[str, int], Measured] = {}
    thread_id = config.threads["20"]["thread"]
    parents = [int(pk) for pk in config.threads["replyable"]["20"]]  # type: ignore[call-overload, index]
    mixes = [
        ("(d)", "POST comment", POST_LUA),
        ("(f)", "POST realistic comment", realistic_lua(parents, isso=False)),
    ]
    with environment(config.env), masthead_server(config.data_dir, workers=2) as server:
        token = csrf_cookie(server.url, thread_id)
        headers = {
            "Content-Type": "application/json",
            "Cookie": f"csrftoken={token}",
            "X-CSRFToken": token,
        }
        for key, what, lua in mixes:
            for concurrency in POST_CONCURRENCY:
                url = f"{server.url}/api/v1/threads/{thread_id}/comments"
                label = f"{key} API {what} ({config.name}), round {round_number}"
                one = measured(
                    server.process.pid,
                    lambda url=url, c=concurrency, label=label, lua=lua: wrk_post(
                        url, c, lua, headers, label
                    ),
                )
                print(_line(one), flush=True)
                found[(key, concurrency)] = one
    return found


def run_isso_posting(
    isso: Path, seeded: Path, parents: list[int], round_number: int
) -> dict[tuple[str, int], LoadResult]:
    """The same two mixes against Isso (guard and moderation off), on a fresh copy of its database."""
    import shutil
    import tempfile

    found: dict[tuple[str, int], LoadResult] = {}
    with tempfile.TemporaryDirectory(prefix="masthead-bench-isso-") as work_name:
        work = Path(work_name)
        shutil.copy(seeded / "comments.db", work / "comments.db")
        with isso_server(isso, work) as url:
            for key, what, lua in (
                ("(d)", "POST comment", ISSO_POST_LUA),
                ("(f)", "POST realistic comment", realistic_lua(parents, isso=True)),
            ):
                for concurrency in POST_CONCURRENCY:
                    result = wrk_post(
                        f"{url}/new?uri=/t20",
                        concurrency,
                        lua,
                        {"Content-Type": "application/json", "Referer": url + "/t20"},
                        f"Isso {key} {what}, round {round_number}",
                    )
                    print(result.line(), flush=True)
                    found[(key, concurrency)] = result
    return found


def median_measured(rounds: list[Measured], label: str) -> Measured:
    """The round with the median throughput (its latencies and CPU are that round's)."""
    ordered = sorted(rounds, key=lambda one: one.result.requests_per_second)
    middle = ordered[len(ordered) // 2]
    result = middle.result
    return Measured(
        LoadResult(
            label,
            result.concurrency,
            result.requests_per_second,
            result.p50_ms,
            result.p99_ms,
            sum(one.result.errors for one in rounds),
            sum(one.result.non_2xx for one in rounds),
        ),
        middle.cpu_ms_per_request,
    )


def run_all() -> tuple[dict[tuple[str, int], Measured], dict[tuple[str, int], Measured]]:
    """Reads on each configuration, then posting in alternate rounds (a slow spell of this shared
    machine falls on both); the posting figures are each side's median round."""
    with contextlib.ExitStack() as stack:
        sqlite = prepare(
            "SQLite",
            {"DATABASE_URL": "", "REDIS_URL": ""},
            stack.enter_context(scratch_dir("scaled-sqlite")),
        )
        scaled = prepare(
            "PostgreSQL + Redis",
            stack.enter_context(postgres_and_redis()),
            stack.enter_context(scratch_dir("scaled-pg")),
        )
        figures = run_reads([sqlite, scaled])
        isso = ensure_isso()
        isso_parents: list[int] = []
        seeded = stack.enter_context(scratch_dir("scaled-isso"))
        if isso is not None:
            with isso_server(isso, seeded) as url:
                isso_parents = seed_isso(url, "/t20", 20)
        rounds: dict[tuple[str, str, int], list[Measured]] = {}
        for round_number in range(1, POST_ROUNDS + 1):
            for config in (sqlite, scaled):
                for (key, concurrency), one in run_posting(config, round_number).items():
                    rounds.setdefault((config.name, key, concurrency), []).append(one)
            if isso is not None:
                for (key, concurrency), result in run_isso_posting(
                    isso, seeded, isso_parents, round_number
                ).items():
                    rounds.setdefault(("Isso", key, concurrency), []).append(Measured(result, 0.0))
        figures["Isso"] = {}
        for (name, key, concurrency), measured_rounds in rounds.items():
            what = "POST comment" if key == "(d)" else "POST realistic comment"
            figures[name][(key, concurrency)] = median_measured(
                measured_rounds, f"{key} API {what}, median of {POST_ROUNDS} ({name})"
            )
        ISSO_FIGURES.clear()
        ISSO_FIGURES.update(figures["Isso"])
        return figures[sqlite.name], figures[scaled.name]


def _line(one: Measured) -> str:
    return f"{one.result.line()}  cpu {one.cpu_ms_per_request:.2f} ms/req"


def main() -> None:
    sqlite, scaled = run_all()
    report(
        sqlite, scaled, "scaled", "## Scaled configuration (PostgreSQL + Redis beside SQLite)", ""
    )


def report(
    sqlite: dict[tuple[str, int], Measured],
    scaled: dict[tuple[str, int], Measured],
    command: str,
    heading: str,
    where: str,
) -> None:
    """Print the ratios and write the section `heading` of bench/RESULTS.md; `where` says how the
    processes were placed on the machine, when it is not the default."""
    rows = [
        "| Scenario | c | SQLite req/s | p50/p99 ms | CPU ms/req | PG+Redis req/s | p50/p99 ms | CPU ms/req | PG/SQLite |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    ratios: list[str] = []
    for key, ours in sqlite.items():
        theirs = scaled.get(key)
        if theirs is None:
            continue
        a, b = ours.result, theirs.result
        ratio = b.requests_per_second / a.requests_per_second if a.requests_per_second else 0.0
        label = re.sub(r", median of \d+$", "", a.label.rsplit(" (", 1)[0])
        ratios.append(f"{label}, c={key[1]}: PG+Redis/SQLite {ratio:.2f}x")
        rows.append(
            f"| {label} | {key[1]} | {a.requests_per_second:.0f} | {a.p50_ms:.1f}/{a.p99_ms:.1f} | "
            f"{ours.cpu_ms_per_request:.2f} | {b.requests_per_second:.0f} | {b.p50_ms:.1f}/{b.p99_ms:.1f} | "
            f"{theirs.cpu_ms_per_request:.2f} | {ratio:.2f}x |"
        )
    for key in ("(d)", "(f)"):
        for concurrency in POST_CONCURRENCY:
            against = ISSO_FIGURES.get((key, concurrency))
            if against is None or not against.result.requests_per_second:
                continue
            isso_rate = against.result.requests_per_second
            for name, side in (("SQLite", sqlite), ("PG+Redis", scaled)):
                ours = side.get((key, concurrency))
                if ours is not None:
                    ratios.append(
                        f"{key} posts/s vs Isso ({isso_rate:.0f}), c={concurrency}, {name}: "
                        f"{ours.result.requests_per_second / isso_rate:.2f}x"
                    )
    for line in ratios:
        print(line)
    errors = sum(m.result.errors + m.result.non_2xx for m in [*sqlite.values(), *scaled.values()])
    write_section(
        "\n".join(
            [
                heading,
                "",
                f"{where}`python -m bench {command}` · {machine_line()} · {SECONDS} s per run, "
                "`masthead run --workers 2`, rate limits off; reads after one warming request, "
                f"both servers up, each scenario on one then the other, median of {READ_ROUNDS} rounds; "
                f"posting the cheap mix (d) and readers' mix (f) of `bench discussion`, median of {POST_ROUNDS} alternate rounds (Isso's too). CPU ms/req: utime+stime of "
                "Masthead's processes (server and workers) during the run, per request.",
                "",
                *rows,
                "",
                *[f"- {line}" for line in ratios],
                "",
                f"Errors and non-2xx answers over all runs: {errors}. Posting (f) is readers' mix of "
                "`bench discussion` (a distinct reader and address each post, ~400 characters, 30% "
                "replies, every moderation rule on); Isso, guard and moderation off, gets the same "
                "bodies and replies in rounds alternating with Masthead's.",
            ]
        )
    )


if __name__ == "__main__":
    main()
