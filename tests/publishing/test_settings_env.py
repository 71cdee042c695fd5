"""Settings come from the environment: SQLite in the data directory by default, PostgreSQL and SMTP by URL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from masthead.settings.env import base_url, email_settings, env_rates, secret_key

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
from django.conf import settings
django.setup()
from django.db import connection
db = settings.DATABASES["default"]
out = {"engine": db["ENGINE"], "name": str(db["NAME"]), "options": db.get("OPTIONS", {}), "secret": settings.SECRET_KEY}
if db["ENGINE"].endswith("sqlite3"):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        out["journal_mode"] = cursor.fetchone()[0]
        cursor.execute("PRAGMA synchronous")
        out["synchronous"] = cursor.fetchone()[0]
print(json.dumps(out))
"""


def settings_in_subprocess(data_dir: Path, **env: str) -> dict[str, Any]:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "MASTHEAD_SECRET_KEY"}
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "masthead.settings.base",
            "MASTHEAD_DATA_DIR": str(data_dir),
            **env,
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_default_database_is_sqlite_in_the_data_dir_tuned_for_a_web_server(tmp_path: Path) -> None:
    found = settings_in_subprocess(tmp_path)
    assert (
        found["secret"] == (tmp_path / "secret_key").read_text().strip()
    )  # generated on first start
    assert found["engine"] == "masthead.core.db.sqlite3"
    assert found["name"] == str(tmp_path / "masthead.sqlite3")
    assert found["journal_mode"] == "wal"
    assert found["synchronous"] == 1  # NORMAL
    assert found["options"]["transaction_mode"] == "IMMEDIATE"
    assert "busy_timeout" in found["options"]["init_command"]


def test_generated_secret_key_persists_in_the_data_dir(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.delenv("MASTHEAD_SECRET_KEY", raising=False)
    first = secret_key(tmp_path)
    assert len(first) >= 40
    assert (tmp_path / "secret_key").read_text().strip() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # readable by the owner only
    assert secret_key(tmp_path) == first
    (tmp_path / "another").mkdir()
    assert secret_key(tmp_path / "another") != first  # each data directory has its own


def database_settings(data_dir: Path, database_url: str) -> dict[str, Any]:
    """DATABASES["default"] as masthead.settings.base builds it in a fresh process with this URL."""
    probe = (
        "import json; from masthead.settings import base; "
        "print(json.dumps(base.DATABASES['default'], default=str))"
    )
    clean = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env={**clean, "MASTHEAD_DATA_DIR": str(data_dir), "DATABASE_URL": database_url},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_database_url_selects_postgresql(tmp_path: Path) -> None:
    """Masthead's settings turn DATABASE_URL (spaces around it forgiven) into a PostgreSQL
    connection that is kept a minute and checked before reuse, without the SQLite tuning."""
    db = database_settings(tmp_path, "  postgres://news:s3cret@db.internal:5433/masthead \n")
    assert db["ENGINE"] == "masthead.core.db.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"], db["PASSWORD"]) == (
        "db.internal",
        5433,
        "masthead",
        "news",
        "s3cret",
    )
    assert (db["CONN_MAX_AGE"], db["CONN_HEALTH_CHECKS"]) == (60, True)
    assert "init_command" not in db.get("OPTIONS", {})
    assert "transaction_mode" not in db.get("OPTIONS", {})
    # An empty DATABASE_URL is no URL: SQLite in the data directory.
    sqlite = database_settings(tmp_path, " ")
    assert sqlite["ENGINE"] == "masthead.core.db.sqlite3"
    assert sqlite["NAME"] == str(tmp_path / "masthead.sqlite3")


def test_database_url_in_the_environment_reaches_django_settings(tmp_path: Path) -> None:
    probe = (
        "import json; from masthead.settings import base; "
        "print(json.dumps({'engine': base.DATABASES['default']['ENGINE'], 'name': base.DATABASES['default']['NAME']}))"
    )
    clean = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env={
            **clean,
            "MASTHEAD_DATA_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/newsroom",
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert json.loads(result.stdout) == {
        "engine": "masthead.core.db.postgresql",
        "name": "newsroom",
    }


def test_email_url_parsing(tmp_path: Path) -> None:
    tls = email_settings("smtp://mailer%40example.com:p%40ss@smtp.example.com:587?tls=1", tmp_path)
    assert tls["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (tls["EMAIL_HOST"], tls["EMAIL_PORT"]) == ("smtp.example.com", 587)
    assert (tls["EMAIL_HOST_USER"], tls["EMAIL_HOST_PASSWORD"]) == ("mailer@example.com", "p@ss")
    assert (tls["EMAIL_USE_TLS"], tls["EMAIL_USE_SSL"]) == (True, False)
    ssl = email_settings("smtps://user:pw@mail.example.com", tmp_path)
    assert (ssl["EMAIL_PORT"], ssl["EMAIL_USE_SSL"], ssl["EMAIL_USE_TLS"]) == (465, True, False)
    plain = email_settings("smtp://localhost", tmp_path)
    assert (plain["EMAIL_PORT"], plain["EMAIL_HOST_USER"]) == (25, "")
    files = email_settings(None, tmp_path)
    assert files["EMAIL_BACKEND"].endswith("filebased.EmailBackend")  # type: ignore[union-attr]
    assert Path(str(files["EMAIL_FILE_PATH"])).is_dir()


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        (None, None, "http://127.0.0.1:8000"),
        ("127.0.0.1", "8100", "http://127.0.0.1:8100"),
        ("0.0.0.0", "8100", "http://127.0.0.1:8100"),  # noqa: S104 (a served address, not bound)
        ("::", "8100", "http://127.0.0.1:8100"),
        ("::1", "8100", "http://[::1]:8100"),
        ("news.internal", "80", "http://news.internal:80"),
    ],
)
def test_without_a_base_url_links_follow_the_served_host_and_port(
    monkeypatch: pytest.MonkeyPatch, host: str | None, port: str | None, expected: str
) -> None:
    monkeypatch.delenv("MASTHEAD_BASE_URL", raising=False)
    for name, value in (("MASTHEAD_HOST", host), ("MASTHEAD_PORT", port)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert base_url() == expected


def test_a_configured_base_url_wins_over_the_served_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MASTHEAD_BASE_URL", "https://news.example")
    monkeypatch.setenv("MASTHEAD_PORT", "8100")
    assert base_url() == "https://news.example"
    monkeypatch.setenv("MASTHEAD_BASE_URL", "  ")
    assert base_url() == "http://127.0.0.1:8100"


def test_discussion_rates_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """MASTHEAD_DISCUSSION_RATES names the rates to change; a malformed one stops the start
    instead of leaving that limit at its default unnoticed."""
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.delenv("MASTHEAD_DISCUSSION_RATES", raising=False)
    assert env_rates("MASTHEAD_DISCUSSION_RATES") == {}
    monkeypatch.setenv("MASTHEAD_DISCUSSION_RATES", " post_ip=4/h, post_identity = 10/30s ")
    assert env_rates("MASTHEAD_DISCUSSION_RATES") == {"post_ip": "4/h", "post_identity": "10/30s"}
    for wrong in ("post_ip", "post_ip=4", "post_ip=four/m", "=4/m", "post_ip=4/w"):
        monkeypatch.setenv("MASTHEAD_DISCUSSION_RATES", wrong)
        with pytest.raises(ImproperlyConfigured, match="MASTHEAD_DISCUSSION_RATES"):
            env_rates("MASTHEAD_DISCUSSION_RATES")
