"""`masthead run` on a fresh data directory: set-up without prompts, demo once, admin login shown once."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import free_port, masthead_process_env, settings_process, stop_process


def _run_until_serving(
    data_dir: Path,
    *extra: str,
    port: int | None = None,
    then_wait_for: Callable[[], bool] = lambda: True,
) -> tuple[str, int]:
    """Start `masthead run`, wait for the home page (and then `then_wait_for`, up to 30 s), stop it;
    return its output and the home page status."""
    port = port or free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "masthead.cli",
            "run",
            "--port",
            str(port),
            "--workers",
            "1",
            *extra,
        ],
        env=masthead_process_env(data_dir),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    status = 0
    # First runs migrate and load the demo: on a loaded 2-core machine that takes minutes; the
    # loop ends as soon as the home page answers or the process exits.
    deadline = time.monotonic() + 600
    try:
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    status = response.status
                break
            except Exception:
                if process.poll() is not None:
                    break
                time.sleep(0.5)
        for _ in range(60):
            if status != 200 or then_wait_for():
                break
            time.sleep(0.5)
    finally:
        output = stop_process(process)
    return output, status


def test_first_run_sets_up_everything_and_second_run_keeps_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    output, status = _run_until_serving(data_dir)
    assert status == 200, output
    assert "Loaded demo content (first run)." in output
    assert "password:" in output
    assert "emails are written to files in" in output
    assert (data_dir / "masthead.sqlite3").exists()
    secret = (data_dir / "secret_key").read_text()
    assert len(secret) >= 40

    output, status = _run_until_serving(data_dir)
    assert status == 200, output
    assert "password:" not in output, "the admin login is printed only once"
    assert "Loaded demo content" not in output
    assert (data_dir / "secret_key").read_text() == secret


def test_links_in_mail_follow_the_served_port_without_a_base_url(tmp_path: Path) -> None:
    """`masthead run --port P` without MASTHEAD_BASE_URL: the demo supporter's receipt, mailed by
    the task worker, links to port P, and so does the site record."""
    data_dir = tmp_path / "data"
    mail_dir = data_dir / "mail"
    port = free_port()
    output, status = _run_until_serving(
        data_dir, port=port, then_wait_for=lambda: any(mail_dir.glob("*.log"))
    )
    assert status == 200, output
    mail = "".join(path.read_text() for path in mail_dir.glob("*.log"))
    assert f"http://127.0.0.1:{port}/funding/manage/" in mail, mail
    assert ":8000/" not in mail
    site_port = subprocess.run(
        [
            sys.executable,
            "-m",
            "masthead.cli",
            "manage",
            "shell",
            "-c",
            "from wagtail.models import Site; print(Site.objects.get(is_default_site=True).port)",
        ],
        env=masthead_process_env(data_dir),
        capture_output=True,
        text=True,
    )
    assert site_port.stdout.strip().splitlines()[-1:] == [str(port)], site_port.stderr


def test_no_demo_serves_an_empty_front_page(tmp_path: Path) -> None:
    output, status = _run_until_serving(tmp_path / "data", "--no-demo", "--no-worker")
    assert status == 200, output
    assert "Loaded demo content" not in output


def test_manage_passes_through_to_django_commands(tmp_path: Path) -> None:
    env = masthead_process_env(tmp_path / "data")
    env.update(
        {
            "DJANGO_SUPERUSER_USERNAME": "chief",
            "DJANGO_SUPERUSER_EMAIL": "chief@example.com",
            "DJANGO_SUPERUSER_PASSWORD": "a long enough password 42",
        }
    )
    subprocess.run(
        [sys.executable, "-m", "masthead.cli", "manage", "migrate", "--noinput"],
        env=env,
        check=True,
        capture_output=True,
    )
    created = subprocess.run(
        [sys.executable, "-m", "masthead.cli", "manage", "createsuperuser", "--noinput"],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert created.returncode == 0, created.stderr
    listed = subprocess.run(
        [
            sys.executable,
            "-m",
            "masthead.cli",
            "manage",
            "shell",
            "-c",
            "from django.contrib.auth import get_user_model; print(get_user_model().objects.get(username='chief').is_superuser)",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert listed.stdout.strip().splitlines()[-1:] == ["True"], listed.stderr


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        (
            {},
            "masthead.core.db.sqlite3 django_tasks_db.DatabaseBackend masthead.core.disk_cache.DiskCache",
        ),
        (
            {
                "DATABASE_URL": "postgres://u:p@db.invalid:5432/news",
                "REDIS_URL": "redis://127.0.0.1:6379/3",
            },
            "masthead.core.db.postgresql django_tasks_rq.RQBackend masthead.core.cache.RedisCache",
        ),
    ],
)
def test_storage_is_chosen_by_environment(
    tmp_path: Path, variables: dict[str, str], expected: str
) -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.TASKS['default']['BACKEND'], s.CACHES['default']['BACKEND'])"
    )
    result = settings_process(tmp_path / "data", variables, code)
    assert result.stdout.strip() == expected, result.stderr


def test_the_served_app_leaves_its_start_up_objects_out_of_full_collections(
    tmp_path: Path,
) -> None:
    """Each web worker freezes what start-up loaded (views included), so the collector's full passes do
    not walk it: they paused a worker for about 120 ms every few hundred posts."""
    code = (
        "import gc, sys; import masthead.asgi; "
        "print(gc.get_freeze_count(), 'masthead.discussion.api' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=masthead_process_env(tmp_path / "data"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    frozen, views_loaded = result.stdout.split()
    assert int(frozen) > 50_000, result.stderr
    assert views_loaded == "True"


@pytest.mark.django_db
def test_hosts_sharing_a_postgresql_database_prepare_it_one_at_a_time() -> None:
    """While one host prepares the database (holding the advisory lock), another host's preparation
    waits; it goes on as soon as the first is done."""
    import threading

    import psycopg
    from django.db import connection

    from masthead.cli import PREPARE_LOCK, one_host_at_a_time

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's database belongs to one masthead run")
    db = connection.settings_dict
    first_host = psycopg.connect(
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"],
        dbname=db["NAME"],
        autocommit=True,
    )
    entered = threading.Event()

    def second_host() -> None:
        try:
            with one_host_at_a_time():
                entered.set()
        finally:
            from django.db import connection as own_connection

            own_connection.close()

    try:
        first_host.execute("SELECT pg_advisory_lock(%s)", [PREPARE_LOCK])
        waiting = threading.Thread(target=second_host)
        waiting.start()
        assert not entered.wait(1.0), "the second host prepared while the first held the lock"
        first_host.execute("SELECT pg_advisory_unlock(%s)", [PREPARE_LOCK])
        assert entered.wait(30)
        waiting.join(30)
    finally:
        first_host.close()
