"""Publishing: an article page served by `masthead run` (demo content), at concurrency 1 and 16."""

from __future__ import annotations

import threading
import time
import urllib.request

from bench.common import masthead_server, scratch_dir, shell, wrk

ARTICLE_PATH = "/middle-east/in-amman-a-rooftop-solar-boom-outpaces-the-grid-that-has-to-carry-it/"
SECONDS = 10

# Django alone (test client, no HTTP server): the app's own cost of a cached hit and of a miss.
IN_PROCESS = (
    """
import time
from django.core.cache import cache
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
path = "__ARTICLE_PATH__"
client.get(path)
start = time.perf_counter()
for _ in range(500):
    client.get(path)
hit = (time.perf_counter() - start) / 500 * 1000
start = time.perf_counter()
for _ in range(50):
    cache.clear()
    client.get(path)
miss = (time.perf_counter() - start) / 50 * 1000
print(f"in-process (Django test client): cached hit {hit:.2f} ms, uncached render {miss:.1f} ms")
"""
).replace("__ARTICLE_PATH__", ARTICLE_PATH)


class PeakRss:
    """Samples the server's resident memory (with its worker processes) while a load runs."""

    def __init__(self, server: object) -> None:
        self.server = server
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.server.rss_mb())  # type: ignore[attr-defined]
            time.sleep(0.2)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    with scratch_dir("publishing") as data_dir:
        shell(
            data_dir,
            "from django.core.management import call_command; call_command('migrate', verbosity=0)",
        )
        shell(
            data_dir, "from masthead.publishing.demo import load_demo_content; load_demo_content()"
        )
        shell(
            data_dir,
            "from django.core.management import call_command; call_command('collectstatic', interactive=False, verbosity=0)",
        )
        print(shell(data_dir, IN_PROCESS).strip().splitlines()[-1])
        with masthead_server(data_dir, workers=2) as server:
            url = server.url + ARTICLE_PATH
            for _ in range(20):  # warm every worker's page cache
                with urllib.request.urlopen(url, timeout=10) as response:
                    assert response.status == 200
            with PeakRss(server) as rss:
                for concurrency in (1, 16):
                    result = wrk(
                        url,
                        concurrency=concurrency,
                        seconds=SECONDS,
                        label="article page (anonymous, cached)",
                    )
                    print(result.line())
            print(f"peak RSS of the server (all workers): {rss.peak:.0f} MiB")


if __name__ == "__main__":
    main()
