"""Shared pieces of `make bench`: a Masthead server in a scratch data directory, wrk runs, RSS readings."""

from __future__ import annotations

import contextlib
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def manage(data_dir: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run `masthead manage ...` against a data directory and return its output."""
    full_env = {
        **os.environ,
        "MASTHEAD_DATA_DIR": str(data_dir),
        "MASTHEAD_RATELIMIT_ENABLED": "0",
        **(env or {}),
    }
    result = subprocess.run(
        [PYTHON, "-m", "masthead.cli", "manage", *args],
        env=full_env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def shell(data_dir: Path, code: str, env: dict[str, str] | None = None) -> str:
    """Run Python code with Django set up against a data directory (for seeding data)."""
    return manage(data_dir, "shell", "-c", code, env=env)


@contextlib.contextmanager
def scratch_dir(prefix: str) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=f"masthead-bench-{prefix}-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]

    def rss_mb(self) -> float:
        """Resident memory of the server and its children, in MiB."""
        return process_tree_rss_mb(self.process.pid)


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants, from /proc (a stack's parent, its web workers and theirs)."""
    found, todo = [], [pid]
    while todo:
        one = todo.pop()
        found.append(one)
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{one}/task").iterdir():
                with contextlib.suppress(OSError):
                    todo.extend(int(child) for child in (task / "children").read_text().split())
    return found


def tree_status(pid: int) -> tuple[float, int]:
    """Resident memory (MiB) and threads of a process and its descendants."""
    rss_kb, threads = 0, 0
    for one in process_tree(pid):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss_kb += int(line.split()[1])
                elif line.startswith("Threads:"):
                    threads += int(line.split()[1])
    return rss_kb / 1024, threads


def process_tree_rss_mb(pid: int) -> float:
    return tree_status(pid)[0]


@contextlib.contextmanager
def masthead_server(
    data_dir: Path, *, workers: int = 2, env: dict[str, str] | None = None
) -> Iterator[Server]:
    """`masthead run` on a free port with the demo and rate limits off; waits until it answers."""
    port = free_port()
    full_env = {
        **os.environ,
        "MASTHEAD_DATA_DIR": str(data_dir),
        "MASTHEAD_RATELIMIT_ENABLED": "0",
        **(env or {}),
    }
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "masthead.cli",
            "run",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-demo",
            "--no-worker",
        ],
        env=full_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/robots.txt")
        yield Server(url, process)
    finally:
        stop_process(process)


def stop_process(process: subprocess.Popen[bytes], timeout: float = 10) -> None:
    """Ask a server process to stop; kill it if it has not within `timeout` seconds."""
    process.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=timeout)
    if process.poll() is None:
        process.kill()


def wait_for(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


@dataclass
class LoadResult:
    label: str
    concurrency: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    non_2xx: int

    def line(self) -> str:
        return (
            f"{self.label:<48} c={self.concurrency:<3} {self.requests_per_second:>9.1f} req/s  "
            f"p50 {self.p50_ms:>7.1f} ms  p99 {self.p99_ms:>7.1f} ms  errors {self.errors} non-2xx {self.non_2xx}"
        )


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


# Put before every load generator's command: `bench scaled_split` runs wrk on a core of its own.
CLIENT_PREFIX: list[str] = []


def wrk(
    url: str, *, concurrency: int, seconds: int = 10, label: str = "", threads: int = 2
) -> LoadResult:
    """Run wrk (Debian's package) with latency percentiles and parse its report."""
    threads = max(1, min(threads, concurrency))
    output = subprocess.run(
        [
            *CLIENT_PREFIX,
            *["wrk", "--latency", "-t", str(threads), "-c", str(concurrency)],
            *["-d", f"{seconds}s", url],
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+(?:us|ms|s))", output, re.MULTILINE))

    def parse(text: str) -> float:
        match = re.match(r"([\d.]+)(us|ms|s)", text)
        return _ms(match.group(1), match.group(2)) if match else float("nan")  # type: ignore[union-attr]

    errors_match = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = sum(int(x) for x in errors_match.groups()) if errors_match else 0
    non_2xx_match = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return LoadResult(
        label or url,
        concurrency,
        rps,
        parse(percentiles.get("50", "nan")),
        parse(percentiles.get("99", "nan")),
        errors,
        int(non_2xx_match.group(1)) if non_2xx_match else 0,
    )


def machine_line() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"{platform.node()} · {os.cpu_count()} cores · {cpu} · Python {platform.python_version()} · {time.strftime('%Y-%m-%d')}"


RESULTS = ROOT / "bench" / "RESULTS.md"
KEPT_MARKER = "<!-- generated above by `make bench`; what follows is written by hand and kept when it runs again -->"


def write_section(section: str, path: Path = RESULTS) -> None:
    """Put `section` (it starts with its `## ` heading) into bench/RESULTS.md in place of the old one.

    What an engineer wrote below the old section's marker (targets, history, analysis) stays below the
    new one; other sections are left as they are; a section not there yet is added at the end.
    """
    heading = section.split("\n", 1)[0]
    if not heading.startswith("## "):
        raise ValueError(f"A results section starts with its '## ' heading, not {heading!r}.")
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    old = pattern.search(text)
    kept = ""
    if old is not None and KEPT_MARKER in old.group(0):
        kept = old.group(0).split(KEPT_MARKER, 1)[1].strip("\n")
    block = (
        section.rstrip("\n") + "\n\n" + KEPT_MARKER + "\n" + (f"\n{kept}\n" if kept else "") + "\n"
    )
    if old is None:
        text = text.rstrip("\n") + "\n\n" + block
    else:
        text = text[: old.start()] + block + text[old.end() :]
    path.write_text(text.rstrip("\n") + "\n")
