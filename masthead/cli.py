"""The `masthead` command: `masthead run`, `masthead manage ...`, `masthead demo`,
`masthead import SOURCE ...`, `masthead export ...`."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator, Sequence

DEFAULT_SETTINGS = "masthead.settings.base"
# pg_advisory_lock's key for preparing the database ("mast" in ASCII); any fixed number would do.
PREPARE_LOCK = 0x6D617374


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django

    django.setup()


def manage(argv: Sequence[str]) -> int:
    """Pass through to Django's management commands."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["masthead manage", *argv])
    return 0


@contextlib.contextmanager
def one_host_at_a_time() -> Iterator[None]:
    """Hosts that share a PostgreSQL database prepare it in turn (a session advisory lock): two
    started together would otherwise both apply the same migration, load the demo twice or both
    create the first admin, and one would stop with a unique violation. SQLite's database belongs to
    one machine's `masthead run`, which prepares it before starting its workers."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [PREPARE_LOCK])
    try:
        yield
    finally:
        # Released with the session too, should the connection have been closed meanwhile.
        with contextlib.suppress(Exception), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [PREPARE_LOCK])


def demo() -> int:
    _setup()
    from django.core.management import call_command

    from masthead.publishing.demo import load_demo_content

    with one_host_at_a_time():
        call_command("migrate", interactive=False, verbosity=0)
        created = load_demo_content()
    print(
        "Demo content loaded."
        if created
        else "The site already has content; demo content was not loaded."
    )
    return 0


def _prepare(load_demo: bool, address: str) -> None:
    """Migrate, collect static files, load demo content and create the first admin on the first run."""
    from django.conf import settings
    from django.core.management import call_command

    print(f"Data directory: {settings.DATA_DIR}")
    call_command("collectstatic", interactive=False, verbosity=0)
    from masthead.publishing.demo import ensure_first_admin, load_demo_content, site_is_empty

    with one_host_at_a_time():
        call_command("migrate", interactive=False, verbosity=0)
        if load_demo and site_is_empty():
            load_demo_content()
            print("Loaded demo content (first run).")
        username, password = ensure_first_admin()
    if password:
        print(f"\n  Admin login (shown once): {address}/admin/")
        print(f"    username: {username}\n    password: {password}")
        print("  Change it later with: masthead manage changepassword admin\n")
    if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        mail_dir = getattr(settings, "EMAIL_FILE_PATH", "")
        print(f"No EMAIL_URL set: emails are written to files in {mail_dir}")


def _prepare_apart(load_demo: bool, address: str) -> int:
    """Run `_prepare` in a forked child and return its exit code: what migrating and loading the demo
    import and allocate then stays out of the serving parent, whose memory every web worker shares."""
    from masthead.core.processes import run_forked

    def prepare() -> None:
        _setup()
        _prepare(load_demo, address)

    return run_forked(prepare)


def serve_at(host: str, port: int) -> str:
    """Record the address being served in the environment before settings load: without
    MASTHEAD_BASE_URL, links in email and the site record follow it, in this process and in the
    web workers, task worker and clock, which inherit the environment. Returns the address."""
    os.environ["MASTHEAD_HOST"] = host
    os.environ["MASTHEAD_PORT"] = str(port)
    from masthead.settings.env import served_url

    return served_url(host, port)


def run(host: str, port: int, load_demo: bool, workers: int, with_worker: bool) -> int:
    """Set up on the first run, then serve: web workers and the task worker (the clock on one of its
    threads), forked from one parent that loaded the application (core/processes.py)."""
    address = serve_at(host, port)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    prepared = _prepare_apart(load_demo, address)
    if prepared != 0:
        return prepared
    import uvicorn

    from masthead.core.processes import serve

    config = uvicorn.Config(
        "masthead.asgi:application",
        host=host,
        port=port,
        log_level=os.environ.get("MASTHEAD_LOG_LEVEL", "warning").lower(),
        access_log=False,
        lifespan="off",
        # uvicorn would otherwise believe X-Forwarded-For/-Proto from 127.0.0.1 by itself;
        # core.clientip alone interprets them, for MASTHEAD_TRUSTED_PROXIES only.
        proxy_headers=False,
        # Open event streams (docs/live.md) never finish by themselves: on shutdown they get
        # this long, then are cut, and the browsers reconnect to another process.
        timeout_graceful_shutdown=10,
    )
    print(f"Serving Masthead on {address}/ (Ctrl-C to stop)")
    return serve(config, max(1, workers), with_worker)


def main(argv: Sequence[str] | None = None) -> int:
    from masthead.core.malloc import limit_arenas

    limit_arenas()  # before the first thread, in the parent every process of `masthead run` comes from
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "manage":
        return manage(argv[1:])
    if argv and argv[0] in ("import", "export"):
        # Routed to the management commands masthead_import / masthead_export, whose parsers
        # know each source's options (`masthead import isso --help`).
        return manage([f"masthead_{argv[0]}", *argv[1:]])
    parser = argparse.ArgumentParser(prog="masthead", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser(
        "run", help="migrate, load demo content on first run, and serve"
    )
    run_parser.add_argument("--host", default=os.environ.get("MASTHEAD_HOST", "127.0.0.1"))
    run_parser.add_argument(
        "--port", type=int, default=int(os.environ.get("MASTHEAD_PORT", "8000"))
    )
    run_parser.add_argument(
        "--no-demo", action="store_true", help="do not load demo content on the first run"
    )
    run_parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("MASTHEAD_WEB_WORKERS", str(min(4, os.cpu_count() or 1)))),
        help="web server processes (default: one per core, at most 4)",
    )
    run_parser.add_argument(
        "--no-worker",
        action="store_true",
        help="do not start the background task worker (nor the clock, which runs inside it)",
    )
    commands.add_parser(
        "manage", help="Django management commands, e.g. `masthead manage createsuperuser`"
    )
    commands.add_parser("demo", help="load demo content into an empty site")
    commands.add_parser(
        "import",
        help="import from wordpress, disqus, isso, remark42 or masthead (docs/migration.md)",
    )
    commands.add_parser("export", help="export discussions and funding to JSON (docs/export.md)")
    args = parser.parse_args(argv)
    if args.command == "run":
        return run(args.host, args.port, not args.no_demo, args.workers, not args.no_worker)
    if args.command == "demo":
        return demo()
    return 0


if __name__ == "__main__":
    sys.exit(main())
