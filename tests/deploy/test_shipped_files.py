"""The rest of deploy/ checked by the tools that read it: the compose file by Docker Compose, the
systemd units by systemd-analyze (each skipped, saying so, where the tool is not installed), and
the environment example against the variables Masthead reads."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def compose_command() -> list[str]:
    if shutil.which("docker"):
        done = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
        if done.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    pytest.skip("neither `docker compose` nor docker-compose is installed")


def test_the_compose_file_is_valid_and_rewrites_lines_the_nginx_site_has(tmp_path: Path) -> None:
    compose = compose_command()
    copy = tmp_path / "deploy"
    shutil.copytree(DEPLOY, copy)
    shutil.copy(copy / "masthead.env.example", copy / "masthead.env")  # as the comment says
    done = subprocess.run(
        [*compose, "-f", str(copy / "compose.yaml"), "config", "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    site = (DEPLOY / "nginx" / "masthead.conf").read_text()
    for line in re.findall(r"s/(server [^/]+;)/", (DEPLOY / "compose.yaml").read_text()):
        assert line in site, f"compose.yaml rewrites {line!r}, which the nginx site lacks"


def test_the_systemd_units_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if not analyze:
        pytest.skip("systemd-analyze is not installed")
    # The units name the virtualenv and environment file of an installed host: point them here.
    masthead = shutil.which("masthead") or "/bin/true"
    uvicorn = shutil.which("uvicorn") or "/bin/true"
    units = []
    for unit in sorted((DEPLOY / "systemd").glob("*.service")):
        text = unit.read_text()
        text = text.replace("/opt/masthead/venv/bin/masthead", masthead)
        text = text.replace("/opt/masthead/venv/bin/uvicorn", uvicorn)
        text = text.replace("/etc/masthead/masthead.env", str(DEPLOY / "masthead.env.example"))
        name = unit.name.replace("@.service", "@8001.service")
        (tmp_path / name).write_text(text)
        units.append(str(tmp_path / name))
    done = subprocess.run(
        [analyze, "verify", "--man=no", *units], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "masthead" not in done.stderr, done.stderr


def test_every_variable_of_the_environment_example_is_one_masthead_reads() -> None:
    example = (DEPLOY / "masthead.env.example").read_text()
    names = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, re.MULTILINE))
    assert {"DATABASE_URL", "REDIS_URL", "MASTHEAD_SECRET_KEY", "MASTHEAD_BASE_URL"} <= names
    source = "\n".join(path.read_text() for path in (ROOT / "masthead").rglob("*.py"))
    # AWS_* are read by boto3 itself (docs/deploy.md).
    unknown = sorted(
        name for name in names if f'"{name}' not in source and not name.startswith("AWS_")
    )
    assert not unknown, f"masthead.env.example names variables nothing reads: {unknown}"
