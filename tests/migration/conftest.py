"""Running imports in the test process, as `masthead import` does, with what they print."""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from masthead.migration.run import run_import

DATA = Path(__file__).parent / "data"
SHARED = Path("/work/shared/testdata/migration")


@dataclass
class Outcome:
    status: int
    out: str
    err: str


def run(name: str, *args: str) -> Outcome:
    out, err = io.StringIO(), io.StringIO()
    status = run_import(name, [*args, "--no-progress"], out, err)
    return Outcome(status, out.getvalue(), err.getvalue())


@pytest.fixture
def data_copy(tmp_path: Path) -> Any:
    """A writable copy of a test file (the tests change some of them)."""

    def _copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copy(DATA / name, target)
        return target

    return _copy


# --- a WordPress database on MariaDB (`masthead import wordpress --db`) -------------------------
# The site made by data/make_wordpress_db.sh with the real WordPress; CI and this machine run
# MariaDB on 127.0.0.1:3306 (root, no password). MASTHEAD_TEST_MYSQL_URL names another server.
WORDPRESS_DB_DUMP = DATA / "wordpress-6.1-wpdiscuz.sql"
WORDPRESS_DB_EXPORT = DATA / "wordpress-6.1-wpdiscuz.xml"  # WordPress's export of the same site


def _mysql_server() -> tuple[str, dict[str, Any]]:
    import os
    from urllib.parse import urlparse

    url = os.environ.get("MASTHEAD_TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306/test")
    parsed = urlparse(url)
    return url, {
        "host": parsed.hostname or "127.0.0.1",
        "port": parsed.port or 3306,
        "user": parsed.username or "root",
        "password": parsed.password or "",
    }


@pytest.fixture(scope="session")
def wordpress_db() -> Any:
    """The URL of a fresh MariaDB database holding the WordPress site; dropped afterwards."""
    import os
    from urllib.parse import urlparse

    pymysql = pytest.importorskip("pymysql", reason="PyMySQL (the `mysql` extra) is not installed")
    from pymysql.constants import CLIENT

    url, server = _mysql_server()
    try:
        connection = pymysql.connect(
            **server, connect_timeout=5, client_flag=CLIENT.MULTI_STATEMENTS, charset="utf8mb4"
        )
    except pymysql.err.MySQLError as error:
        pytest.skip(f"no MySQL/MariaDB server at {server['host']}:{server['port']}: {error}")
    name = f"masthead_wp_test_{os.getpid()}"
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
            cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
            cursor.execute(f"USE `{name}`")
            cursor.execute(WORDPRESS_DB_DUMP.read_text(encoding="utf-8"))
            while cursor.nextset():
                pass
        connection.commit()
        parsed = urlparse(url)
        yield parsed._replace(path=f"/{name}").geturl()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
        connection.close()
