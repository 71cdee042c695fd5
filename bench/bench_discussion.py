"""Discussion: reads of 20- and 1,000-comment threads, the article page, and posting, against Isso.

(a) first page (default limit) and (b) "View all" of a 1,000-comment thread (30% replies, ~400 chars)
through the API, (c) the article page with 1,000 comments, each at concurrency 1/16/64; (d) POST at
concurrency 4 and 16 on SQLite. Isso 0.14 (installed from PyPI into a venv under /tmp, guard off) is
loaded with the same threads and measured in the same run; the ratios are printed. Then first-page
reads of a 1,000- vs a 30,000-comment thread, in process.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import subprocess
import tempfile
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench import common
from bench.common import (
    LoadResult,
    free_port,
    machine_line,
    manage,
    masthead_server,
    scratch_dir,
    shell,
    wait_for,
    write_section,
    wrk,
)

SECONDS = int(os.environ.get("BENCH_SECONDS", "6"))
POST_ROUNDS = int(os.environ.get("BENCH_POST_ROUNDS", "5"))
ISSO_VENV = Path(
    os.environ.get(
        "MASTHEAD_BENCH_ISSO_VENV", Path(tempfile.gettempdir()) / "masthead-bench-isso-venv"
    )
)
WORDS = [
    "river",
    "canal",
    "water",
    "farmers",
    "season",
    "drought",
    "policy",
    "ministry",
    "report",
    "village",
    "harvest",
    "wells",
    "rain",
    "minister",
    "budget",
    "dam",
    "upstream",
    "downstream",
    "figures",
    "data",
    "survey",
    "community",
    "price",
    "market",
    "crop",
]


def body_text(rng: random.Random, length: int = 400) -> str:
    words: list[str] = []
    while sum(len(word) + 1 for word in words) < length:
        words.append(rng.choice(WORDS))
    return " ".join(words).capitalize() + "."


SEED = """
import json, random
from datetime import timedelta
from django.db.models import Count
from django.utils import timezone
from masthead.publishing.actions import ensure_home_page, create_section, create_article
from masthead.discussion.actions import thread_for_page
from masthead.discussion.models import Comment, Thread
from masthead.discussion.rendering import render_markdown

WORDS = __WORDS__
rng = random.Random(7)
def text():
    words = []
    while sum(len(w) + 1 for w in words) < 400:
        words.append(rng.choice(WORDS))
    return " ".join(words).capitalize() + "."

home = ensure_home_page()
section = create_section(home, "Bench", "bench-__TAG__")
out = {}
for size in __SIZES__:
    article = create_article(section, f"Bench thread with {size} comments")
    thread = thread_for_page(article)
    start = timezone.now() - timedelta(days=2)
    roots_n = int(size * 0.7)
    rows = []
    for n in range(roots_n):
        body = text()
        rows.append(Comment(thread=thread, author_name=f"Reader {n % 97}", author_email=f"r{n % 97}@example.com",
                            body=body, html=render_markdown(body), created_at=start + timedelta(seconds=n * 10),
                            upvotes=n % 7, score=n % 7 - n % 3, downvotes=n % 3))
    roots = Comment.objects.bulk_create(rows, batch_size=500)
    replies_left = size - roots_n
    level = roots
    offset = roots_n
    while replies_left > 0:
        batch = []
        for n in range(min(replies_left, max(1, len(level)))):
            parent = level[rng.randrange(len(level))]
            body = text()
            batch.append(Comment(thread=thread, parent=parent, root_id=parent.root_id or parent.pk, depth=parent.depth + 1,
                                 author_name=f"Reader {(offset + n) % 97}", author_email="x@example.com", body=body,
                                 html=render_markdown(body), created_at=start + timedelta(seconds=(offset + n) * 10)))
        level = Comment.objects.bulk_create(batch, batch_size=500)
        replies_left -= len(level)
        offset += len(level)
    for row in Comment.objects.filter(thread=thread, parent__isnull=False).values("parent").annotate(n=Count("id")):
        Comment.objects.filter(pk=row["parent"]).update(reply_count=row["n"])
    Thread.objects.filter(pk=thread.pk).update(comment_count=size, version=1)
    out[size] = {"thread": thread.pk, "path": article.url}
# Every moderation rule on, as a newsroom would have them: banned and suspect words (plain and
# regular expressions), blocked/suspect/allowed link domains, and bans of addresses and networks.
from masthead.moderation.models import Ban, DomainRule, WordRule
if not WordRule.objects.exists():
    WordRule.objects.bulk_create(
        [WordRule(kind="banned", pattern=f"slurword{n}") for n in range(20)]
        + [WordRule(kind="suspect", pattern=f"shadyword{n}") for n in range(20)]
        + [WordRule(kind="suspect", pattern=r"\\bcheap\\s+pills?\\b", is_regex=True)]
    )
    DomainRule.objects.bulk_create(
        [DomainRule(kind="block", domain=f"spam{n}.example") for n in range(20)]
        + [DomainRule(kind="suspect", domain=f"shady{n}.example") for n in range(10)]
        + [DomainRule(kind="allow", domain="gov.example")]
    )
    Ban.objects.bulk_create(
        [Ban(kind="email", value=f"troll{n}@example.net") for n in range(20)]
        + [Ban(kind="ip", value=f"203.0.113.{n}") for n in range(20)]
    )
out["replyable"] = {
    str(size): list(Comment.objects.filter(thread_id=out[size]["thread"]).values_list("pk", flat=True)[:200])
    for size in __SIZES__
}
print("SEED" + json.dumps(out))
"""


def seed(data_dir: Path, sizes: list[int], tag: str) -> dict[str, dict[str, object]]:
    code = (
        SEED.replace("__WORDS__", repr(WORDS))
        .replace("__SIZES__", repr(sizes))
        .replace("__TAG__", tag)
    )
    output = shell(data_dir, code)
    line = next(line for line in output.splitlines() if line.startswith("SEED"))
    return json.loads(line[4:])


POST_LUA = """
counter = 0
request = function()
  counter = counter + 1
  local body = '{"body": "Bench comment ' .. counter .. ' from thread ' .. id .. ' ' .. math.random(1, 1000000000) .. '", "name": "Bench", "email": "bench@example.com"}'
  return wrk.format("POST", nil, nil, body)
end
setup = function(thread) thread:set("id", math.random(1, 1000000)) end
init = function(args) id = id or 0 end
"""

ISSO_POST_LUA = """
counter = 0
request = function()
  counter = counter + 1
  local body = '{"text": "Bench comment ' .. counter .. ' ' .. math.random(1, 1000000000) .. '", "author": "Bench", "email": "bench@example.com", "title": "Bench thread"}'
  return wrk.format("POST", nil, nil, body)
end
"""


# (f) posting the way readers post: a distinct reader (name, address, no guest cookie) every time,
# ~400-character bodies drawn from the seed's words, 30% replies to the thread's comments; the
# seed turns every moderation rule on (word, link-domain and ban rules).
REALISTIC_LUA = """
words = {__WORDS__}
parents = {__PARENTS__}
counter = 0
request = function()
  counter = counter + 1
  local parts, length = {}, 0
  while length < 400 do
    local word = words[math.random(#words)]
    parts[#parts + 1] = word
    length = length + #word + 1
  end
  local who = "__RUN__-" .. id .. "-" .. counter
  local reply = ""
  if math.random() < 0.3 then reply = ', __PARENT_FIELD__: ' .. parents[math.random(#parents)] end
  local body = '{__BODY_FIELD__: "' .. table.concat(parts, " ") .. '.", __NAME_FIELD__: "Reader ' .. who
    .. '", "email": "reader' .. who .. '@example.org"' .. reply .. __EXTRA__ .. '}'
  return wrk.format("POST", nil, nil, body)
end
setup = function(thread) thread:set("id", math.random(1, 1000000)) end
init = function(args) id = id or 0 end
"""


def realistic_lua(parents: list[int], isso: bool) -> str:
    fields = (
        ('"text"', '"author"', '"parent"', '\', "title": "Bench thread"\'')
        if isso
        else ('"body"', '"name"', '"parent_id"', "''")
    )
    return (
        REALISTIC_LUA.replace("__WORDS__", ", ".join(f'"{word}"' for word in WORDS))
        .replace("__PARENTS__", ", ".join(str(parent) for parent in parents))
        .replace("__BODY_FIELD__", fields[0])
        .replace("__NAME_FIELD__", fields[1])
        .replace("__PARENT_FIELD__", fields[2])
        .replace("__EXTRA__", fields[3])
    )


def wrk_post(
    url: str, concurrency: int, lua: str, headers: dict[str, str], label: str
) -> LoadResult:
    import re
    import secrets

    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        # wrk's Lua starts every run with the same random sequence: a reader of one run (f) must not
        # come back in the next as an author the site already knows.
        script.write(lua.replace("__RUN__", secrets.token_hex(4)))
    args = [
        *common.CLIENT_PREFIX,
        "wrk",
        "--latency",
        "-t",
        str(min(2, concurrency)),
        "-c",
        str(concurrency),
        "-d",
        f"{SECONDS}s",
        "-s",
        script.name,
    ]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    output = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    pct = {
        m[0]: m[1] + m[2]
        for m in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)", output, re.MULTILINE)
    }

    def ms(text: str) -> float:
        match = re.match(r"([\d.]+)(us|ms|s)", text or "")
        return (
            float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]
            if match
            else float("nan")
        )

    return LoadResult(
        label,
        concurrency,
        rps,
        ms(pct.get("50", "")),
        ms(pct.get("99", "")),
        0,
        int(non_2xx.group(1)) if non_2xx else 0,
    )


def csrf_cookie(base: str, thread_id: object) -> str:
    with urllib.request.urlopen(f"{base}/api/v1/threads/{thread_id}/me", timeout=10) as response:
        for header in response.headers.get_all("Set-Cookie") or []:
            if header.startswith("csrftoken="):
                return header.split(";", 1)[0].split("=", 1)[1]
    raise RuntimeError("no CSRF cookie from /me")


# --- Isso ----------------------------------------------------------------------------------------


def ensure_isso() -> Path | None:
    isso = ISSO_VENV / "bin" / "isso"
    if isso.exists():
        return isso
    try:
        subprocess.run(
            ["python3.11", "-m", "venv", str(ISSO_VENV)], check=True, capture_output=True
        )
        subprocess.run(
            [str(ISSO_VENV / "bin" / "python"), "-m", "pip", "install", "-q", "isso"],
            check=True,
            capture_output=True,
            timeout=600,
        )
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"Isso could not be installed ({exc}); skipping the comparison")
        return None
    return isso if isso.exists() else None


@contextlib.contextmanager
def isso_server(isso: Path, work: Path) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    config = work / "isso.cfg"
    config.write_text(
        f"[general]\ndbpath = {work / 'comments.db'}\nhost = {url}/\n"
        f"[server]\nlisten = {url}/\n[guard]\nenabled = false\n[moderation]\nenabled = false\n"
        "[markup]\noptions = strikethrough, autolink, fenced-code, no-intra-emphasis\n"
    )
    process = subprocess.Popen(
        [str(isso), "-c", str(config), "run"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for(f"{url}/info", timeout=60)
        yield url
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        if process.poll() is None:
            process.kill()


def isso_post(url: str, uri: str, data: dict[str, object]) -> int:
    data = {"title": "Bench thread", **data}  # with a title Isso does not fetch the page
    request = urllib.request.Request(
        f"{url}/new?uri={uri}",
        json.dumps(data).encode(),
        {"Content-Type": "application/json", "Referer": url + uri},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return int(json.loads(response.read())["id"])


def seed_isso(url: str, uri: str, size: int) -> list[int]:
    """The same shape as Masthead's seed: 70% top-level, replies to earlier comments (Isso nests one level)."""
    rng = random.Random(7)
    roots: list[int] = []
    for n in range(int(size * 0.7)):
        roots.append(  # noqa: PERF401
            isso_post(
                url,
                uri,
                {
                    "text": body_text(rng),
                    "author": f"Reader {n % 97}",
                    "email": f"r{n % 97}@example.com",
                },
            )
        )
    for n in range(size - len(roots)):
        isso_post(
            url,
            uri,
            {
                "text": body_text(rng),
                "author": f"Reader {n % 97}",
                "parent": roots[rng.randrange(len(roots))],
            },
        )
    return roots


# --- main ----------------------------------------------------------------------------------------


IN_PROCESS = """
import time
from django.core.cache import cache
from django.test import Client
from masthead.core import cache_versions
from masthead.discussion.models import Thread
client = Client(HTTP_HOST="127.0.0.1")
for label, thread_id in __THREADS__:
    assert client.get(f"/api/v1/threads/{thread_id}/comments").status_code == 200
    page_id = Thread.objects.get(pk=thread_id).page_id
    times = []
    for _ in range(30):
        # A miss every time: a new thread version (the JSON cache) and page-cache bump (the fast path).
        Thread.objects.filter(pk=thread_id).update(version=time.time_ns() % 10**12)
        cache_versions.bump_now("thread", page_id)
        start = time.perf_counter()
        assert client.get(f"/api/v1/threads/{thread_id}/comments").status_code == 200
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(f"first page, uncached, {label}: median {times[len(times) // 2]:.1f} ms")
"""

# 10,000 other articles, each with a discussion of 10 comments, written straight into the tables (pages
# made one by one through Wagtail would take most of an hour): enough to show whether reading one
# thread's first page depends on how many other threads and comments the database holds.
OTHER_THREADS = """
import uuid
from datetime import timedelta
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page
from masthead.discussion.models import Comment, Thread

COUNT = __COUNT__
parent = Page.objects.get(slug="bench-a")
page_type = ContentType.objects.get_for_model(Page)
start = parent.numchild
now = timezone.now()
with transaction.atomic():
    pages = [
        Page(
            title=f"Other article {n}", draft_title=f"Other article {n}", slug=f"other-{n}",
            path=Page._get_path(parent.path, parent.depth + 1, start + n + 1), depth=parent.depth + 1,
            numchild=0, url_path=f"{parent.url_path}other-{n}/", content_type=page_type,
            locale_id=parent.locale_id, translation_key=uuid.uuid4(), live=True,
            first_published_at=now, last_published_at=now,
        )
        for n in range(COUNT)
    ]
    Page.objects.bulk_create(pages, batch_size=1000)
    Page.objects.filter(pk=parent.pk).update(numchild=start + COUNT)
    made = list(Page.objects.filter(path__startswith=parent.path, slug__startswith="other-"))
    threads = Thread.objects.bulk_create([Thread(page=page, comment_count=10) for page in made])
    comments = [
        Comment(thread=thread, author_name=f"Reader {n}", author_email="o@example.com",
                body="Another discussion.", html="<p>Another discussion.</p>",
                created_at=now - timedelta(minutes=n))
        for thread in threads for n in range(10)
    ]
    Comment.objects.bulk_create(comments, batch_size=2000)
print(f"OTHER {len(threads)} threads, {len(comments)} comments")
"""


class Printed(list[LoadResult]):
    """Results that print as they come, so a long run shows progress (and survives a late failure)."""

    def append(self, result: LoadResult) -> None:
        print(result.line(), flush=True)
        super().append(result)


def run_masthead(
    data_dir: Path, base: str, results: list[LoadResult], lines: list[str]
) -> tuple[int, list[int]]:
    """The read scenarios and the thread-size comparisons; returns the 20-comment thread to post to
    and the ids of its comments (to reply to)."""
    threads = seed(data_dir, [20, 1000], "a")
    t20, t1000 = threads["20"], threads["1000"]
    # One read of each first, as a reader's would have been: the figures are for the warmed caches.
    for path in (
        f"/api/v1/threads/{t20['thread']}/comments",
        f"/api/v1/threads/{t1000['thread']}/comments",
        f"/api/v1/threads/{t1000['thread']}/comments?limit=all",
        str(t1000["path"]),
    ):
        with urllib.request.urlopen(f"{base}{path}", timeout=60) as response:
            response.read()
    for concurrency in (1, 16, 64):
        results.append(
            wrk(
                f"{base}/api/v1/threads/{t20['thread']}/comments",
                concurrency=concurrency,
                seconds=SECONDS,
                label="(a') API first page, 20-comment thread",
            )
        )
        results.append(
            wrk(
                f"{base}/api/v1/threads/{t1000['thread']}/comments",
                concurrency=concurrency,
                seconds=SECONDS,
                label="(a) API first page, 1,000-comment thread",
            )
        )
        results.append(
            wrk(
                f"{base}/api/v1/threads/{t1000['thread']}/comments?limit=all",
                concurrency=concurrency,
                seconds=SECONDS,
                label="(b) API View all, 1,000-comment thread",
            )
        )
        results.append(
            wrk(
                f"{base}{t1000['path']}",
                concurrency=concurrency,
                seconds=SECONDS,
                label="(c) article page, 1,000 comments",
            )
        )
    # Other threads: the 1,000-comment thread's first page with 3 threads in the database, then with
    # 10,000 more (in process, uncached), and through the server with the fast path.
    few = IN_PROCESS.replace("__THREADS__", repr([("3 threads in the database", t1000["thread"])]))
    lines.extend(
        line for line in shell(data_dir, few).splitlines() if line.startswith("first page")
    )
    print(shell(data_dir, OTHER_THREADS.replace("__COUNT__", "10000")).strip().splitlines()[-1])
    many = IN_PROCESS.replace(
        "__THREADS__", repr([("10,003 threads in the database", t1000["thread"])])
    )
    lines.extend(
        line for line in shell(data_dir, many).splitlines() if line.startswith("first page")
    )
    results.append(
        wrk(
            f"{base}/api/v1/threads/{t1000['thread']}/comments",
            concurrency=16,
            seconds=SECONDS,
            label="(e) (a) with 10,000 other threads",
        )
    )
    # Thread size: first page of a 30,000-comment thread vs the 1,000 one (in process, uncached).
    big = seed(data_dir, [30000], "b")["30000"]
    code = IN_PROCESS.replace(
        "__THREADS__",
        repr([("1,000 comments", t1000["thread"]), ("30,000 comments", big["thread"])]),
    )
    lines.extend(
        line for line in shell(data_dir, code).splitlines() if line.startswith("first page")
    )
    replyable = threads["replyable"]["20"]  # type: ignore[index]
    return int(t20["thread"]), [int(pk) for pk in replyable]  # type: ignore[call-overload]


def median_result(rounds: list[LoadResult], label: str) -> LoadResult:
    """The round with the median throughput, relabelled (its p50/p99 are that round's)."""
    ordered = sorted(rounds, key=lambda result: result.requests_per_second)
    middle = ordered[len(ordered) // 2]
    return LoadResult(
        label,
        middle.concurrency,
        middle.requests_per_second,
        middle.p50_ms,
        middle.p99_ms,
        sum(result.errors for result in rounds),
        sum(result.non_2xx for result in rounds),
    )


@dataclass
class PostMix:
    key: str  # "(d)", "(f)"
    what: str
    masthead_lua: str
    isso_lua: str


def post_mixes(parents: list[int], isso_parents: list[int]) -> list[PostMix]:
    mixes = [PostMix("(d)", "POST comment", POST_LUA, ISSO_POST_LUA)]
    if parents and isso_parents:
        mixes.append(
            PostMix(
                "(f)",
                "POST realistic comment",
                realistic_lua(parents, isso=False),
                realistic_lua(isso_parents, isso=True),
            )
        )
    return mixes


def posting_rounds(
    data_dir: Path,
    thread_id: int,
    mixes: list[PostMix],
    isso: Path | None,
    work: Path | None,
    lines: list[str],
) -> tuple[list[LoadResult], dict[tuple[str, int], LoadResult]]:
    """(d), (f): Masthead and Isso posting in pairs, each round on fresh servers, so a slow spell of
    this shared 2-core machine falls on both; the medians are compared. Both servers of a round run
    side by side (the idle one waits on its socket) and each scenario is measured on one, then at
    once on the other, first Masthead, then Isso, in turn by round: the two figures of a pair are
    seconds apart, not a minute. Each round starts from a copy of the seeded data, for both: a round
    must not post into the comments of the rounds before it (their thousands of posts would make
    each round's thread, tables and indexes larger than the other side's)."""
    ours: dict[tuple[str, int], list[LoadResult]] = {}
    theirs: dict[tuple[str, int], list[LoadResult]] = {}
    for round_number in range(POST_ROUNDS):
        with contextlib.ExitStack() as stack:
            scratch = stack.enter_context(scratch_dir(f"discussion-post{round_number}"))
            round_dir = scratch / "data"
            shutil.copytree(data_dir, round_dir)
            server = stack.enter_context(masthead_server(round_dir, workers=2))
            token = csrf_cookie(server.url, thread_id)
            headers = {
                "Content-Type": "application/json",
                "Cookie": f"csrftoken={token}",
                "X-CSRFToken": token,
            }
            isso_url = None
            if isso is not None and work is not None:
                run_dir = work / f"post{round_number}"
                run_dir.mkdir()
                shutil.copy(work / "seeded" / "comments.db", run_dir / "comments.db")
                isso_url = stack.enter_context(isso_server(isso, run_dir))
            for mix in mixes:
                for concurrency in (4, 16):
                    pair = [
                        (
                            f"{server.url}/api/v1/threads/{thread_id}/comments",
                            mix.masthead_lua,
                            headers,
                            f"{mix.key} API {mix.what} (SQLite), round {round_number + 1}",
                            ours,
                        )
                    ]
                    if isso_url is not None:
                        pair.append(
                            (
                                f"{isso_url}/new?uri=/t20",
                                mix.isso_lua,
                                {"Content-Type": "application/json", "Referer": isso_url + "/t20"},
                                f"Isso {mix.key} {mix.what}, round {round_number + 1}",
                                theirs,
                            )
                        )
                    for url, lua, side_headers, label, store in (
                        pair if round_number % 2 == 0 else pair[::-1]
                    ):
                        result = wrk_post(url, concurrency, lua, side_headers, label)
                        print(result.line(), flush=True)
                        store.setdefault((mix.key, concurrency), []).append(result)
    for (key, concurrency), rounds in ours.items():
        for name, side in (("Masthead", rounds), ("Isso", theirs.get((key, concurrency), []))):
            if side:
                figures = ", ".join(f"{result.requests_per_second:.0f}" for result in side)
                lines.append(f"{key} {name} posts/s at c={concurrency}, rounds: {figures}")
    lines.append(
        "(d), (f): a 'database is locked' failure would be a 500, so it would show in non-2xx above"
    )
    what = {mix.key: mix.what for mix in mixes}
    return (
        [
            median_result(rounds, f"{key} API {what[key]} (SQLite), median of {POST_ROUNDS}")
            for (key, _c), rounds in ours.items()
        ],
        {
            (key, concurrency): median_result(
                rounds, f"Isso {key} {what[key]}, median of {POST_ROUNDS}"
            )
            for (key, concurrency), rounds in theirs.items()
        },
    )


def main() -> None:
    results: list[LoadResult] = Printed()
    lines: list[str] = []
    with scratch_dir("discussion") as data_dir:
        manage(data_dir, "migrate", "--verbosity", "0")  # before the server's start-up clock runs
        with masthead_server(data_dir, workers=2) as server:
            post_thread, post_parents = run_masthead(data_dir, server.url, results, lines)
        isso_results: dict[tuple[str, int], LoadResult] = {}
        isso_parents: list[int] = []
        isso = ensure_isso()
        with tempfile.TemporaryDirectory(prefix="masthead-bench-isso-") as work_name:
            work = Path(work_name)
            if isso is not None:
                seeded = work / "seeded"
                seeded.mkdir()
                with isso_server(isso, seeded) as url:
                    isso_parents = seed_isso(url, "/t20", 20)
                    seed_isso(url, "/t1000", 1000)
                # Each scenario gets a fresh Isso on a copy of the seeded database: its
                # single-threaded server keeps working through a queue left by the previous run otherwise.
                scenarios: list[tuple[tuple[str, int], str, str]] = []
                for concurrency in (1, 16, 64):
                    scenarios.append(
                        (("20", concurrency), "/?uri=/t20", "Isso GET 20-comment thread")
                    )
                    scenarios.append(
                        (("1000", concurrency), "/?uri=/t1000", "Isso GET 1,000-comment thread")
                    )
                for index, (key, path, label) in enumerate(scenarios):
                    run_dir = work / f"run{index}"
                    run_dir.mkdir()
                    shutil.copy(seeded / "comments.db", run_dir / "comments.db")
                    with isso_server(isso, run_dir) as url:
                        result = wrk(
                            f"{url}{path}", concurrency=key[1], seconds=SECONDS, label=label
                        )
                    print(result.line(), flush=True)
                    isso_results[key] = result
            our_posts, their_posts = posting_rounds(
                data_dir,
                post_thread,
                post_mixes(post_parents, isso_parents),
                isso,
                work if isso is not None else None,
                lines,
            )
            results.extend(our_posts)
            for (key, concurrency), result in their_posts.items():
                isso_results[(f"post{key}", concurrency)] = result
    ratios: list[str] = []
    by_label = {(result.label[:3], result.concurrency): result for result in results}
    pairs = [
        ("(a)", "20", "(a) first page vs Isso's 20-comment read"),
        ("(b)", "1000", "(b) View all vs Isso's 1,000-comment read"),
    ]
    for concurrency in (1, 16, 64):
        for key, isso_key, text in pairs:
            ours, theirs = (
                by_label.get((key, concurrency)),
                isso_results.get((isso_key, concurrency)),
            )
            if ours and theirs and theirs.requests_per_second:
                ratios.append(
                    f"{text}, c={concurrency}: {ours.requests_per_second / theirs.requests_per_second:.1f}x"
                )
    for key in ("(d)", "(f)"):
        for concurrency in (4, 16):
            ours, theirs = (
                by_label.get((key, concurrency)),
                isso_results.get((f"post{key}", concurrency)),
            )
            if ours and theirs and theirs.requests_per_second:
                ratios.append(
                    f"{key} posts/s vs Isso, c={concurrency}: {ours.requests_per_second / theirs.requests_per_second:.2f}x"
                )
    for line in ratios:
        print(line)
    write_results(results, list(isso_results.values()), lines, ratios)


NOTES = [
    "Notes: reads (a), (a'), (b) of a thread read before are answered by the fast path (core/fastpath.py)",
    "from the event loop, with no database query; (c) is the page cache's fast path. Each read scenario",
    "starts after one warming request. Isso's single-threaded server answers the 1,000-comment thread in",
    "about 0.5-1.5 s, so at c=16/64 few or no requests finish within wrk's 2 s timeout. Posting (d), (f)",
    "runs in rounds, each on fresh servers and fresh copies of the seeded databases; within a round each",
    "scenario is measured on Masthead and at once on Isso, in turn which goes first (this shared 2-core",
    "VM's speed drifts by a third within minutes); the table gives each side's median round. A Masthead",
    "post runs the moderation",
    "checks (rules, classifier, trust, duplicates) and notifications' reads before its transaction, then",
    "writes the comment, its counters, an audit row, the moderation log and author record (12 queries in",
    "all, 7 inside the transaction; its reads and counter updates are compiled once, core/compiled.py);",
    "Isso with guard and moderation off writes one row. (f) posts the way readers do: a distinct name",
    "and address every post (no guest cookie, so every author is new to the trust checks), ~400-character",
    "bodies from the seed's words, 30% replies to the thread's comments, with every moderation rule on",
    "(20 banned and 20 suspect words, a regular expression, 31 link-domain rules, 40 bans); Isso gets the",
    "same bodies, names, addresses and replies.",
]


def write_results(
    results: list[LoadResult], isso: list[LoadResult], notes: list[str], ratios: list[str]
) -> None:
    table = ["| Scenario | c | req/s | p50 ms | p99 ms | non-2xx |", "|---|---|---|---|---|---|"]
    for result in [*results, *isso]:
        table.append(  # noqa: PERF401
            f"| {result.label} | {result.concurrency} | {result.requests_per_second:.1f} | {result.p50_ms:.1f} | {result.p99_ms:.1f} | {result.non_2xx} |"
        )
    section = "\n".join(
        [
            "## Discussion",
            "",
            f"`python -m bench discussion` · {machine_line()} · {SECONDS} s per run, `masthead run --workers 2`, SQLite, rate limits off.",
            "",
            *table,
            "",
            *[f"- {line}" for line in [*ratios, *notes]],
            "",
            *NOTES,
        ]
    )
    write_section(section)


if __name__ == "__main__":
    main()
