"""The embed's budget: embed.js's size, and the time from script start to first comments painted.

A scratch site allows a "third-party" page served from another loopback origin (127.0.0.2) and
keeps a discussion of 20 comments for it; Chromium (Debian's) loads that page in a fresh context
each time (no storage, no cache) and the page's own marks measure from `masthead:start` (embed.js
begins to run) to `masthead:painted` (the first comments are in the DOM): the one API request and
the drawing. Targets: under 20 KB compressed, median under 300 ms.
Run: `.venv/bin/python -m bench embed`.
"""

from __future__ import annotations

import gzip
import statistics
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.common import (
    ROOT,
    free_port,
    machine_line,
    manage,
    masthead_server,
    scratch_dir,
    shell,
    write_section,
)

SCRIPT = ROOT / "masthead" / "embed" / "static" / "embed" / "embed.js"
LOADS = 30
COMMENTS = 20
CHROMIUM = "/usr/bin/chromium"

SEED = """
from masthead.core.actors import Actor
from masthead.core.clientip import hash_ip
from masthead.discussion.actions import post_comment
from masthead.discussion.inputs import CommentInput
from masthead.embed import actions
from masthead.embed.queries import site_for_origin
site = site_for_origin({origin!r})
thread = actions.embedded_thread(site, url={url!r}, title="A story on another website")
for n in range({comments}):
    ip = f"192.0.2.{{n + 1}}"
    reader = Actor(guest_key=f"bench-{{n}}", ip=ip, ip_hash=hash_ip(ip), user_agent="bench")
    post_comment(reader, thread, CommentInput(
        body="A reader's considered comment on the story, long enough to wrap a line or two. " * 2,
        name=f"Reader {{n}}", email=f"reader{{n}}@example.org"))
"""


def host_page(news: str) -> bytes:
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>Host</title></head><body>"
        '<div data-masthead-discussion data-title="A story on another website"></div>'
        f'<script src="{news}/embed.js" async></script></body></html>'
    ).encode()


def serve_host(port: int, body: bytes) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.2", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def paint_times(url: str) -> list[float]:
    from playwright.sync_api import sync_playwright

    times: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        for _ in range(LOADS + 3):
            context = browser.new_context(viewport={"width": 1100, "height": 900})
            page = context.new_page()
            page.goto(url)
            page.wait_for_function(
                "() => performance.getEntriesByName('masthead:painted').length > 0", timeout=15_000
            )
            times.append(
                page.evaluate(
                    "() => performance.getEntriesByName('masthead:painted')[0].startTime"
                    " - performance.getEntriesByName('masthead:start')[0].startTime"
                )
            )
            context.close()
        browser.close()
    return times[3:]  # the first loads warm the server's caches and Chromium's own start-up


def main() -> None:
    raw = SCRIPT.read_bytes()
    sizes = {
        "raw": len(raw),
        "gzip -6": len(gzip.compress(raw, 6)),
        "gzip -9": len(gzip.compress(raw, 9)),
    }
    port = free_port()
    origin = f"http://127.0.0.2:{port}"
    page_url = f"{origin}/story/"
    with scratch_dir("embed") as data_dir:
        manage(data_dir, "migrate", "--no-input")
        manage(data_dir, "embed_site", "add", origin, "--name", "Bench host")
        shell(data_dir, SEED.format(origin=origin, url=page_url, comments=COMMENTS))
        with masthead_server(data_dir, workers=2) as news:
            host = serve_host(port, host_page(news.url))
            try:
                times = paint_times(page_url)
            finally:
                host.shutdown()
    times.sort()
    median = statistics.median(times)
    p90 = times[int(len(times) * 0.9) - 1]
    lines = [
        "## Embed",
        "",
        f"Machine: {machine_line()}",
        "",
        "`embed.js` (one file, no dependency fetched from elsewhere):",
        "",
        "| | bytes | budget |",
        "|---|---|---|",
        *(
            f"| {name} | {size:,} | {'< 20,480' if name != 'raw' else ''} |"
            for name, size in sizes.items()
        ),
        "",
        f"From script start to first comments painted (`masthead:start` -> `masthead:painted`), a "
        f"discussion of {COMMENTS} comments on a page at another loopback origin, {LOADS} loads in "
        "fresh Chromium contexts, 2 web workers:",
        "",
        "| median | p90 | min | max | target |",
        "|---|---|---|---|---|",
        f"| {median:.0f} ms | {p90:.0f} ms | {times[0]:.0f} ms | {times[-1]:.0f} ms | median < 300 ms |",
    ]
    section = "\n".join(lines) + "\n"
    print(section)
    write_section(section)
    if sizes["gzip -9"] >= 20 * 1024 or median >= 300:
        print("OVER BUDGET")


if __name__ == "__main__":
    main()
