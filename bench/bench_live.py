"""`python -m bench live`: the serving design A/B and the live streams at scale (issue #17).

Part 1, one serving design: the same scenarios, in one sitting, under
  (a) Masthead's handler (`core/handler.py`) on uvicorn: what `masthead run` serves;
  (b) Django's own ASGIHandler on uvicorn (`bench/django_asgi.py`);
  (c) Masthead's handler on granian (a Rust HTTP server) instead of uvicorn;
each with 2 worker processes on SQLite: a cached API read and the cached article page (c=16), posting
(c=4), and 500 open event streams (memory and threads they hold, delivery of new comments to all).

Part 2, `masthead run --workers 2` with 2,000 streams open across its workers: from the POST's answer
to each subscriber's receipt of the `comment` event, p50/p99, and the server's memory per open stream.

Streams are read by asyncio connections in this process (HTTP/1.1, chunked, as a browser's
EventSource reads them); comments are posted from a thread so the readers keep reading.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import resource
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench.bench_discussion import POST_LUA, csrf_cookie, seed, wrk_post
from bench.common import (
    PYTHON,
    ROOT,
    LoadResult,
    free_port,
    machine_line,
    manage,
    masthead_server,
    scratch_dir,
    stop_process,
    tree_status,
    wait_for,
    write_section,
    wrk,
)

SECONDS = int(os.environ.get("BENCH_SECONDS", "6"))
AB_STREAMS = int(os.environ.get("BENCH_AB_STREAMS", "500"))
SCALE_STREAMS = int(os.environ.get("BENCH_STREAMS", "2000"))
SOAK_SECONDS = int(os.environ.get("BENCH_SOAK_SECONDS", "300"))
SOAK_STREAMS = 500
WARM_STREAMS = 100  # opened before the 2,000 are counted (stream_run)
POSTS = 5  # comments posted while the streams are open

SERVER_ENV = {
    "MASTHEAD_RATELIMIT_ENABLED": "0",
    # The bench's streams all come from 127.0.0.1.
    "MASTHEAD_LIVE_MAX_STREAMS_PER_IP": "100000",
    "MASTHEAD_LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "masthead.settings.base",
}


@dataclass
class Variant:
    key: str
    what: str
    command: list[str]


def variants(port: int) -> list[Variant]:
    # Both servers listen the same way, with two worker processes; only their own options differ.
    listening = [
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "2",
        "--log-level",
        "warning",
    ]
    uvicorn = [
        *[PYTHON, "-m", "uvicorn", *listening],
        *["--lifespan", "off", "--no-access-log", "--no-proxy-headers"],
    ]
    granian = [str(Path(PYTHON).parent / "granian"), "--interface", "asgi", *listening, "--no-ws"]
    return [
        Variant("(a)", "Masthead handler, uvicorn", [*uvicorn, "masthead.asgi:application"]),
        Variant("(b)", "Django ASGIHandler, uvicorn", [*uvicorn, "bench.django_asgi:application"]),
        Variant("(c)", "Masthead handler, granian", [*granian, "masthead.asgi:application"]),
    ]


@contextlib.contextmanager
def serving(data_dir: Path, command: list[str], port: int) -> Iterator[subprocess.Popen[bytes]]:
    env = {**os.environ, **SERVER_ENV, "MASTHEAD_DATA_DIR": str(data_dir)}
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/robots.txt")
        yield process
    finally:
        stop_process(process, timeout=15)


# --- event streams, read as EventSource reads them ----------------------------------------------


@dataclass
class Streams:
    host: str
    port: int
    path: str
    opened: int = 0
    refused: int = 0
    broken: int = 0
    received: dict[int, list[float]] = field(default_factory=dict)  # comment id -> receipt times
    writers: list[asyncio.StreamWriter] = field(default_factory=list)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    async def open(self, count: int) -> None:
        ready: list[asyncio.Future[bool]] = []
        loop = asyncio.get_running_loop()
        for n in range(count):
            future: asyncio.Future[bool] = loop.create_future()
            ready.append(future)
            self.tasks.append(asyncio.create_task(self._follow(future)))
            if n % 50 == 49:
                await asyncio.sleep(0.05)  # as pages open over a moment, not in one instant
        results = await asyncio.gather(*ready)
        self.opened = sum(results)
        self.refused = len(results) - self.opened

    async def _follow(self, ready: asyncio.Future[bool]) -> None:
        try:
            reader, writer = await asyncio.open_connection(self.host, self.port, limit=2**20)
        except OSError:
            ready.set_result(False)
            return
        self.writers.append(writer)
        writer.write(
            f"GET {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            "Accept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n".encode()
        )
        try:
            status = await reader.readline()
            chunked = False
            while (line := await reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"transfer-encoding:") and b"chunked" in line.lower():
                    chunked = True
            if b" 200 " not in status:
                ready.set_result(False)
                return
            ready.set_result(True)
            buffer = b""
            while True:
                if chunked:
                    size_line = await reader.readline()
                    if not size_line:
                        break
                    size = int(size_line.split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        break
                    chunk = await reader.readexactly(size + 2)
                    buffer += chunk[:-2]
                else:
                    chunk = await reader.read(65536)
                    if not chunk:
                        break
                    buffer += chunk
                while b"\n\n" in buffer:
                    event, buffer = buffer.split(b"\n\n", 1)
                    self._event(event)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            if not ready.done():
                ready.set_result(False)
            self.broken += 1
        except asyncio.CancelledError:
            pass

    def _event(self, event: bytes) -> None:
        kind, data = "", ""
        for line in event.decode("utf-8", "replace").split("\n"):
            if line.startswith("event:"):
                kind = line[6:].strip()
            elif line.startswith("data:"):
                data += line[5:].strip()
        if kind == "comment":
            with contextlib.suppress(ValueError, KeyError, TypeError):
                self.received.setdefault(int(json.loads(data)["id"]), []).append(time.monotonic())

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        for writer in self.writers:
            writer.close()
        await asyncio.gather(*self.tasks, return_exceptions=True)


def post_comment(base: str, thread_id: int, token: str, n: int) -> tuple[int, float]:
    body = json.dumps(
        {
            "body": f"Live bench comment {n} {time.time()}",
            "name": "Live",
            "email": "live@example.com",
        }
    ).encode()
    request = urllib.request.Request(
        f"{base}/api/v1/threads/{thread_id}/comments",
        data=body,
        headers={
            "Content-Type": "application/json",
            "Cookie": f"csrftoken={token}",
            "X-CSRFToken": token,
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.loads(response.read())
    return int(answer["id"]), time.monotonic()


@dataclass
class StreamRun:
    opened: int
    refused: int
    broken: int
    rss_before: float
    rss_open: float
    threads_before: int
    threads_open: int
    latencies_ms: list[float]
    expected: int

    def per_stream_kb(self) -> float:
        return (self.rss_open - self.rss_before) * 1024 / max(1, self.opened)

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def delivered(self) -> str:
        return f"{len(self.latencies_ms):,} of {self.expected:,}"


def stream_run(base: str, pid: int, thread_id: int, count: int, warm: int = 0) -> StreamRun:
    """`count` streams open, POSTS comments delivered to them. With `warm`, that many streams are
    opened first and left open, so the figures per stream leave out what the first streams cost once
    (the request threads' pool, code paths run the first time)."""
    host, port = base.removeprefix("http://").split(":")
    token = csrf_cookie(base, thread_id)

    async def scenario() -> StreamRun:
        warming = Streams(host, int(port), f"/api/v1/threads/{thread_id}/events")
        if warm:
            await warming.open(warm)
            await asyncio.sleep(3)
        rss_before, threads_before = tree_status(pid)
        streams = Streams(host, int(port), f"/api/v1/threads/{thread_id}/events")
        await streams.open(count)
        await asyncio.sleep(3)  # settle: every stream subscribed, memory at rest
        rss_open, threads_open = tree_status(pid)
        loop = asyncio.get_running_loop()
        sent: dict[int, float] = {}
        for n in range(POSTS):
            comment_id, at = await loop.run_in_executor(
                None, post_comment, base, thread_id, token, n
            )
            sent[comment_id] = at
            await asyncio.sleep(1.0)
        await asyncio.sleep(2.0)  # the last one's stragglers
        latencies = [
            (received - sent[comment_id]) * 1000
            for comment_id, times in streams.received.items()
            if comment_id in sent
            for received in times
        ]
        await streams.close()
        await warming.close()
        return StreamRun(
            streams.opened,
            streams.refused,
            streams.broken,
            rss_before,
            rss_open,
            threads_before,
            threads_open,
            latencies,
            streams.opened * POSTS,
        )

    return asyncio.run(scenario())


def raise_open_files() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, 65536)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def serving_ab(data_dir: Path, thread: dict[str, object], lines: list[str]) -> list[str]:
    rows = [
        "| Variant | API first page c=16 req/s (p99 ms) | article page c=16 req/s (p99 ms) | "
        f"POST c=4 posts/s (p99 ms) | {AB_STREAMS} streams: threads, KB/stream | delivery p50 / p99 ms |",
        "|---|---|---|---|---|---|",
    ]
    thread_id = int(thread["thread"])  # type: ignore[call-overload]
    for variant in variants(free_port()):
        port = int(variant.command[variant.command.index("--port") + 1])
        base = f"http://127.0.0.1:{port}"
        with serving(data_dir, variant.command, port) as process:
            for path in (f"/api/v1/threads/{thread_id}/comments", str(thread["path"])):
                with urllib.request.urlopen(base + path, timeout=30) as response:
                    response.read()
            read = wrk(
                f"{base}/api/v1/threads/{thread_id}/comments",
                concurrency=16,
                seconds=SECONDS,
                label=f"{variant.key} API first page",
            )
            page = wrk(
                f"{base}{thread['path']}",
                concurrency=16,
                seconds=SECONDS,
                label=f"{variant.key} article page",
            )
            token = csrf_cookie(base, thread_id)
            post = wrk_post(
                f"{base}/api/v1/threads/{thread_id}/comments",
                4,
                POST_LUA,
                {
                    "Content-Type": "application/json",
                    "Cookie": f"csrftoken={token}",
                    "X-CSRFToken": token,
                },
                f"{variant.key} POST comment",
            )
            for result in (read, page, post):
                print(result.line(), flush=True)
            streams = stream_run(base, process.pid, thread_id, AB_STREAMS)
        line = (
            f"{variant.key} {variant.what}: {streams.opened} streams open ({streams.refused} refused, "
            f"{streams.broken} broken), threads {streams.threads_before} -> {streams.threads_open}, "
            f"RSS {streams.rss_before:.0f} -> {streams.rss_open:.0f} MiB "
            f"({streams.per_stream_kb():.1f} KB per stream), delivered {streams.delivered()}, "
            f"p50 {streams.percentile(0.5):.0f} ms, p99 {streams.percentile(0.99):.0f} ms"
        )
        print(line, flush=True)
        lines.append(line)
        rows.append(
            f"| {variant.key} {variant.what} | {cell(read)} | {cell(page)} | {cell(post)} | "
            f"{streams.threads_open} (was {streams.threads_before}), {streams.per_stream_kb():.1f} | "
            f"{streams.percentile(0.5):.0f} / {streams.percentile(0.99):.0f} |"
        )
    return rows


def cell(result: LoadResult) -> str:
    flag = f", {result.non_2xx} non-2xx" if result.non_2xx else ""
    return f"{result.requests_per_second:,.0f} ({result.p99_ms:.0f}{flag})"


def at_scale(data_dir: Path, thread_id: int, lines: list[str]) -> list[str]:
    with masthead_server(data_dir, workers=2, env=SERVER_ENV) as server:
        run = stream_run(
            server.url, server.process.pid, thread_id, SCALE_STREAMS, warm=WARM_STREAMS
        )
    line = (
        f"`masthead run --workers 2`, {WARM_STREAMS} streams open first, then {SCALE_STREAMS:,} more "
        f"asked: {run.opened:,} open "
        f"({run.refused} refused, {run.broken} broken); {POSTS} comments posted 1 s apart, "
        f"delivered {run.delivered()}: POST answered -> event received p50 {run.percentile(0.5):.0f} ms, "
        f"p99 {run.percentile(0.99):.0f} ms, max {max(run.latencies_ms, default=float('nan')):.0f} ms; "
        f"server RSS {run.rss_before:.0f} -> {run.rss_open:.0f} MiB = {run.per_stream_kb():.1f} KB "
        f"per open stream; threads {run.threads_before} -> {run.threads_open}"
    )
    print(line, flush=True)
    lines.append(line)
    return [line]


# The soak's load: reads of the followed thread's first page and article page, and posts to another
# thread (a post to the followed one would reach every open stream; one a second is sent apart).
SOAK_LUA = """
request = function()
  local r = math.random()
  if r < 0.75 then
    return wrk.format("GET", "__READ__", {})
  elseif r < 0.9 then
    return wrk.format("GET", "__PAGE__", {})
  end
  local body = '{"body": "Soak comment ' .. math.random(1, 1000000000) .. '", "name": "Soak", "email": "soak@example.com"}'
  return wrk.format("POST", "__POST__", {["Content-Type"] = "application/json",
    ["Cookie"] = "csrftoken=__TOKEN__", ["X-CSRFToken"] = "__TOKEN__"}, body)
end
"""


def soak(data_dir: Path, followed: dict[str, object], other: dict[str, object]) -> list[str]:
    """SOAK_SECONDS of c=16 reads and posts with SOAK_STREAMS streams open: errors and RSS over time."""
    import tempfile

    followed_id = int(followed["thread"])  # type: ignore[call-overload]
    with masthead_server(data_dir, workers=2, env=SERVER_ENV) as server:
        host, port = server.url.removeprefix("http://").split(":")
        token = csrf_cookie(server.url, followed_id)
        lua = (
            SOAK_LUA.replace("__READ__", f"/api/v1/threads/{followed_id}/comments")
            .replace("__PAGE__", str(followed["path"]))
            .replace("__POST__", f"/api/v1/threads/{other['thread']}/comments")
            .replace("__TOKEN__", token)
        )
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(lua)
        samples: list[tuple[float, float]] = []

        async def scenario() -> tuple[Streams, str, int, int]:
            streams = Streams(host, int(port), f"/api/v1/threads/{followed_id}/events")
            await streams.open(SOAK_STREAMS)
            await asyncio.sleep(3)
            started = time.monotonic()
            load = await asyncio.create_subprocess_exec(
                "wrk",
                "--latency",
                "-t",
                "2",
                "-c",
                "16",
                "-d",
                f"{SOAK_SECONDS}s",
                "-s",
                script.name,
                server.url,
                stdout=asyncio.subprocess.PIPE,
            )
            loop = asyncio.get_running_loop()
            posted, failed = 0, 0
            while load.returncode is None:
                samples.append((time.monotonic() - started, tree_status(server.process.pid)[0]))
                try:
                    await loop.run_in_executor(
                        None, post_comment, server.url, followed_id, token, posted
                    )
                    posted += 1
                except OSError:
                    failed += 1
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(load.wait(), timeout=1.0)
            output = (await load.communicate())[0].decode()
            await asyncio.sleep(2)
            samples.append((time.monotonic() - started, tree_status(server.process.pid)[0]))
            await streams.close()
            return streams, output, posted, failed

        streams, output, posted, failed = asyncio.run(scenario())
        os.unlink(script.name)
    requests = re.search(r"(\d+) requests in", output)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    delivered = sum(len(times) for times in streams.received.values())
    minute_marks = [
        f"{at / 60:.1f} min {rss:.0f}" for at, rss in samples[:: max(1, len(samples) // 6)]
    ]
    line = (
        f"soak: {SOAK_SECONDS} s of wrk c=16 (75% first page, 15% article page, 10% posts to another "
        f"thread): {requests.group(1) if requests else '?'} requests, "
        f"{rps.group(1) if rps else '?'} req/s, p99 {p99.group(1) if p99 else '?'}, "
        f"non-2xx {non_2xx.group(1) if non_2xx else 0}, socket errors {socket_errors.group(1) if socket_errors else 'none'}; "
        f"{streams.opened} streams open ({streams.refused} refused, {streams.broken} broken), one "
        f"comment a second to their thread ({posted} posted, {failed} failed), {delivered:,} of "
        f"{posted * streams.opened:,} deliveries; server RSS (MiB) over time: {', '.join(minute_marks)}, "
        f"end {samples[-1][1]:.0f}"
    )
    print(line, flush=True)
    return [line]


def main() -> None:
    raise_open_files()
    lines: list[str] = []
    with scratch_dir("live") as data_dir:
        manage(data_dir, "migrate", "--verbosity", "0")
        manage(data_dir, "collectstatic", "--noinput", "--verbosity", "0")
        threads = seed(data_dir, [20, 21], "live")
        thread = threads["20"]
        rows = serving_ab(data_dir, thread, lines)
        scale = at_scale(data_dir, int(thread["thread"]), lines)  # type: ignore[call-overload]
        if SOAK_SECONDS > 0:
            scale += soak(data_dir, thread, threads["21"])
    write_results(rows, scale)


def write_results(rows: list[str], scale: list[str]) -> None:
    section = "\n".join(
        [
            "## Live",
            "",
            f"`python -m bench live` · {machine_line()} · {SECONDS} s per wrk run, 2 worker processes, "
            "SQLite, rate limits off, no Redis (the events cross processes through the shared disk cache).",
            "",
            "Serving design A/B (issue #17), one sitting, the 20-comment thread:",
            "",
            *rows,
            "",
            "Streams at scale, and the soak:",
            "",
            *[f"- {line}" for line in scale],
            "",
            "Delivery is measured from the moment the POST's answer reaches the client to the moment each",
            "open stream has read the `comment` event; without Redis the other worker hears of it by",
            "polling the shared cache every 0.2 s (LIVE_CACHE_POLL_SECONDS). KB per stream is the server",
            "processes' resident memory with the streams open, less before, divided by the streams.",
        ]
    )
    write_section(section)


if __name__ == "__main__":
    main()
