"""Core: the pieces under every post, measured apart (in process, SQLite, one thread).

The figures the discussion's posting history quotes come from here: the shared cache without Redis
(diskcache) against Django's file cache it replaced, compiled queries (core/compiled.py) against the
same queryset built by the ORM on each call, a whole post through the test client, and the collector's
full pass over a served worker's start-up objects before and after `gc.freeze()` (masthead/asgi.py).

Run: `.venv/bin/python -m bench core`; results go to bench/RESULTS.md under "## Core".
"""

from __future__ import annotations

import json
import os
import re
import subprocess

from bench.bench_discussion import seed
from bench.common import PYTHON, ROOT, machine_line, manage, scratch_dir, shell, write_section

CODE = r"""
import json, statistics, tempfile, time
from django.core.cache import cache
from django.core.cache.backends.filebased import FileBasedCache
from django.db import connection, models, transaction
from django.db.models import F
from django.test import Client

from masthead.core.compiled import Param, compiled, CompiledInsert, CompiledUpdate, attnames
from masthead.discussion.models import Comment, Thread

THREAD = __THREAD__
out = {}


def median_us(call, n=2000):
    call()
    times = []
    for _ in range(n):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


class FileCacheWithoutCulling(FileBasedCache):
    # The file cache Masthead used before diskcache: Django's, with its directory listing on every
    # write taken out (it counted entries at most every 10 s).
    def _cull(self):
        pass


PAGE = "x" * 200_000
with tempfile.TemporaryDirectory() as directory:
    files = FileCacheWithoutCulling(directory, {"TIMEOUT": 300})
    counter = iter(range(10**9))
    out["file cache: set a small value"] = median_us(lambda: files.set(f"v{next(counter) % 500}", 12345))
    files.set("page", PAGE)
    out["file cache: get a 200 KB page"] = median_us(lambda: files.get("page"), 500)
out["disk cache: set a small value"] = median_us(lambda: cache.set(f"v{next(counter) % 500}", 12345))
cache.set("page", PAGE)
out["disk cache: get a 200 KB page"] = median_us(lambda: cache.get("page"), 500)

THREAD_ROW = compiled(
    lambda: Thread.objects.filter(pk=Param("pk", models.BigIntegerField())).order_by().values_list(*attnames(Thread))
)
out["thread read: ORM queryset each call"] = median_us(
    lambda: Thread.objects.filter(pk=THREAD).order_by().values_list(*attnames(Thread)).first()
)
out["thread read: compiled"] = median_us(lambda: THREAD_ROW.first(pk=THREAD))

COUNT = CompiledUpdate(
    lambda: (
        Thread.objects.filter(pk=Param("pk", models.BigIntegerField())),
        {"comment_count": F("comment_count") + Param("delta", models.IntegerField())},
    )
)
with transaction.atomic():
    out["counter update: ORM queryset each call"] = median_us(
        lambda: Thread.objects.filter(pk=THREAD).update(comment_count=F("comment_count") + 0)
    )
    out["counter update: compiled"] = median_us(lambda: COUNT.run(pk=THREAD, delta=0))

example = Comment.objects.filter(thread_id=THREAD).first()
values = {
    field.attname: getattr(example, field.attname)
    for field in Comment._meta.local_concrete_fields
    if not field.primary_key and not field.generated
}
INSERT = CompiledInsert(Comment)
with transaction.atomic():
    out["comment insert: Comment.objects.create"] = median_us(lambda: Comment.objects.create(**values), 1000)
    out["comment insert: compiled"] = median_us(lambda: INSERT.create(**values), 1000)
    transaction.set_rollback(True)

from django.http import HttpResponse
from django.test import RequestFactory
from masthead.core import cache_versions
from masthead.core.csp import MastheadCSPMiddleware
from masthead.core.events import CacheBroker

out["version read: two counters (cache_versions.versions)"] = median_us(
    lambda: cache_versions.versions([("thread", str(THREAD)), ("publishing", "")])
)
out["version bump (cache_versions.bump_now)"] = median_us(lambda: cache_versions.bump_now("thread", "bench"))
broker = CacheBroker()
EVENTS = [("thread:bench", "comment", {"id": 1, "html": "x" * 500}), ("thread:bench", "count", {"count": 5})]
out["live events: publish a post's two (shared cache)"] = median_us(lambda: broker.publish_many(EVENTS), 1000)
csp = MastheadCSPMiddleware(lambda request: HttpResponse())
api_request = RequestFactory().get(f"/api/v1/threads/{THREAD}/me")
csp.process_request(api_request)
responses = iter([HttpResponse("{}") for _ in range(2100)])
out["CSP header on an API response (core/csp.py)"] = median_us(
    lambda: csp.process_response(api_request, next(responses))
)

client = Client(HTTP_HOST="127.0.0.1")
posts = iter(range(10**9))


def post():
    response = client.post(
        f"/api/v1/threads/{THREAD}/comments",
        {"body": f"A comment from the core bench, number {next(posts)}.", "name": "Bench", "email": "bench@example.com"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


out["a whole post through the test client"] = median_us(post, 300)
# Every page view with a discussion asks for the reader's own state (GET .../me).
newcomer = Client(HTTP_HOST="127.0.0.1")
out["a reader's own state (GET .../me), a new reader"] = median_us(
    lambda: newcomer.get(f"/api/v1/threads/{THREAD}/me"), 500
)
out["a reader's own state (GET .../me), a guest with 300 comments here"] = median_us(
    lambda: client.get(f"/api/v1/threads/{THREAD}/me"), 500
)
print("RESULT " + json.dumps(out))
"""

# A served worker's start-up (masthead/asgi.py freezes it): a full collection before and after.
GC_CODE = r"""
import gc, json, statistics, time
import masthead.asgi


def full_pass_ms():
    times = []
    for _ in range(7):
        start = time.perf_counter()
        gc.collect()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


frozen = gc.get_freeze_count()
gc.unfreeze()
objects = len(gc.get_objects())
before = full_pass_ms()
gc.freeze()
after = full_pass_ms()
print("RESULT " + json.dumps({"objects": objects, "frozen": frozen, "before": before, "after": after}))
"""


def result(output: str) -> dict[str, float]:
    match = re.search(r"^RESULT (.*)$", output, re.MULTILINE)
    assert match, output
    return json.loads(match.group(1))  # type: ignore[no-any-return]


def main() -> None:
    with scratch_dir("core") as data_dir:
        manage(data_dir, "migrate", "--verbosity", "0")
        thread = seed(data_dir, [20], "core")["20"]["thread"]
        figures = result(shell(data_dir, CODE.replace("__THREAD__", str(thread))))
        gc_run = subprocess.run(
            [PYTHON, "-c", GC_CODE],
            env={**os.environ, "MASTHEAD_DATA_DIR": str(data_dir)},
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        collector = result(gc_run.stdout)

    rows = [f"| {name} | {value:,.0f} µs |" for name, value in figures.items()]
    lines = [
        "## Core",
        "",
        f"`python -m bench core` · {machine_line()} · in process, SQLite (WAL), one thread; medians "
        "of 300-2,000 calls.",
        "",
        "| what | median |",
        "|---|---:|",
        *rows,
        "",
        f"Collector, a served worker after start-up (`import masthead.asgi`): {collector['objects']:,.0f} "
        f"objects tracked ({collector['frozen']:,.0f} frozen at start-up); a full collection takes "
        f"{collector['before']:.0f} ms with them unfrozen and {collector['after']:.2f} ms frozen.",
        "",
        "The file cache row is Django's FileBasedCache without its per-write directory listing, which "
        "is what Masthead used before diskcache. Writes in the counter and insert rows run inside one "
        "transaction, as a post's do (no commit per call); the inserts are rolled back. The whole post "
        "commits each time. Version counters are kept in memory the processes share "
        "(core/disk_cache.py, `SharedVersions`); a post's live events go to the disk cache's event "
        "store in one transaction; the CSP header is built once per kind of page (core/csp.py).",
        "",
        "Run: `.venv/bin/python -m bench core`.",
    ]
    print("\n".join(lines))
    write_section("\n".join(lines))


if __name__ == "__main__":
    main()
