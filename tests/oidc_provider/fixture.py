"""`an_oidc_provider`: the test OpenID Connect provider in a second process on loopback."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import free_port

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class OidcProvider:
    url: str  # the issuer; its discovery document is at url + /.well-known/openid-configuration
    client_id: str
    secret: str

    def masthead_env(self, name: str = "Newsroom SSO") -> dict[str, str]:
        """The environment that configures Masthead for this provider (settings.env.oauth_providers)."""
        return {
            "MASTHEAD_OAUTH_OIDC_CLIENT_ID": self.client_id,
            "MASTHEAD_OAUTH_OIDC_SECRET": self.secret,
            "MASTHEAD_OAUTH_OIDC_SERVER_URL": self.url,
            "MASTHEAD_OAUTH_OIDC_NAME": name,
        }


def _rsa_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def start_provider(
    redirect_uri: str, users: list[str], directory: Path
) -> tuple[Any, OidcProvider]:
    port = free_port()
    client_id, secret = "masthead-test", secrets.token_urlsafe(24)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "MASTHEAD_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
            "OIDC_PROVIDER_RSA_KEY": _rsa_key(),
            "OIDC_PROVIDER_DB": str(directory / "oidc-provider.sqlite3"),
            "OIDC_PROVIDER_CLIENT_ID": client_id,
            "OIDC_PROVIDER_CLIENT_SECRET": secret,
            "OIDC_PROVIDER_USERS": ";".join(users),
            "OIDC_PROVIDER_SECRET_KEY": secrets.token_urlsafe(32),
        }
    )
    log = (directory / "oidc-provider.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", str(port), redirect_uri],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    provider = OidcProvider(f"http://127.0.0.1:{port}/o", client_id, secret)
    deadline = time.monotonic() + 120
    while True:
        if process.poll() is not None:
            raise RuntimeError((directory / "oidc-provider.log").read_text())
        try:
            with urllib.request.urlopen(  # loopback only
                provider.url + "/.well-known/openid-configuration", timeout=2
            ) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("the OIDC provider did not start in 120 s")
        time.sleep(0.25)
    return process, provider


@pytest.fixture
def an_oidc_provider(live_server: Any, tmp_path: Path) -> Iterator[OidcProvider]:
    """Users: `nour` (verified address nour@example.org) and `sami` (address not vouched for)."""
    process, provider = start_provider(
        f"{live_server.url}/accounts/oidc/sso/login/callback/",
        [
            "nour:nour-sso-passphrase:nour@example.org:Nour Saleh",
            "sami:sami-sso-passphrase:sami@example.org:Sami (unverified)",
        ],
        tmp_path,
    )
    try:
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
