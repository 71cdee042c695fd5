"""Reading configuration from the environment: one place that knows the variable names."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in TRUE_WORDS


def env_list(name: str, default: str = "") -> list[str]:
    raw = os.environ.get(name, default)
    return [item.strip() for item in raw.split(",") if item.strip()]


RATE_SPEC = re.compile(r"^[0-9]+/[0-9]*[smhd]$")


def env_rates(name: str) -> dict[str, str]:
    """Named rates from `name=count/period` items ("post_ip=20/m,post_identity=8/m"); a malformed
    item stops the start rather than leaving a limit silently at its default."""
    rates: dict[str, str] = {}
    for item in env_list(name):
        key, _, spec = item.partition("=")
        key, spec = key.strip(), spec.strip()
        if not key or not RATE_SPEC.match(spec):
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not name=count/period (period s, m, h or d, e.g. 20/m, 10/30s)"
            )
        rates[key] = spec
    return rates


def served_url(host: str, port: str | int) -> str:
    """The address a server listening on `host`:`port` answers at, as the start of a link: an
    any-address host (0.0.0.0, ::) names no machine, so 127.0.0.1 stands in for it."""
    host = host.strip().strip("[]")
    if host in ("", "0.0.0.0", "::"):  # noqa: S104 (compared with, not bound to)
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def base_url() -> str:
    """Where links in email and the site record point: MASTHEAD_BASE_URL, else the address being
    served (MASTHEAD_HOST and MASTHEAD_PORT, which `masthead run` sets from --host and --port)."""
    configured = os.environ.get("MASTHEAD_BASE_URL", "").strip()
    if configured:
        return configured
    return served_url(
        os.environ.get("MASTHEAD_HOST", "127.0.0.1"), os.environ.get("MASTHEAD_PORT", "8000")
    )


def data_dir() -> Path:
    path = Path(os.environ.get("MASTHEAD_DATA_DIR", "var")).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(directory: Path) -> str:
    """The key generated on first start and kept in the data directory (never in the repository)."""
    from_env = os.environ.get("MASTHEAD_SECRET_KEY")
    if from_env:
        return from_env
    key_file = directory / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def email_settings(url: str | None, directory: Path) -> dict[str, object]:
    """Django email settings from EMAIL_URL (`smtp://user:pass@host:587?tls=1`, `smtps://...`).

    Without a URL, mail is written to files in the data directory so nothing is lost or sent.
    """
    if not url:
        mail_dir = directory / "mail"
        mail_dir.mkdir(parents=True, exist_ok=True)
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
        }
    parsed = urlparse(url)
    query = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    if parsed.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parsed.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parsed.scheme not in {"smtp", "smtps", "submission"}:
        raise ValueError(
            f"EMAIL_URL scheme {parsed.scheme!r} is not smtp, smtps, console or locmem"
        )
    use_ssl = parsed.scheme == "smtps" or query.get("ssl", "") in TRUE_WORDS
    use_tls = parsed.scheme == "submission" or query.get("tls", "") in TRUE_WORDS
    default_port = 465 if use_ssl else (587 if use_tls else 25)
    settings: dict[str, object] = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parsed.hostname or "localhost",
        "EMAIL_PORT": parsed.port or default_port,
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
        "EMAIL_TIMEOUT": int(query.get("timeout", "20")),
    }
    if "from" in query:
        settings["DEFAULT_FROM_EMAIL"] = query["from"]
    return settings


# Providers configured by MASTHEAD_OAUTH_<NAME>_CLIENT_ID / _SECRET (see docs/accounts.md).
OAUTH_PROVIDERS = ("google", "github", "facebook", "apple")


def oauth_providers(environ: dict[str, str] | None = None) -> dict[str, dict[str, object]]:
    """SOCIALACCOUNT_PROVIDERS for each provider whose client id is set; unset ones are absent, so
    the sign-in page offers only what is configured (no database rows)."""
    env = os.environ if environ is None else environ

    def value(name: str) -> str:
        return env.get(f"MASTHEAD_OAUTH_{name}", "").strip()

    providers: dict[str, dict[str, object]] = {}
    for name in OAUTH_PROVIDERS:
        client_id = value(f"{name.upper()}_CLIENT_ID")
        if not client_id:
            continue
        app: dict[str, object] = {"client_id": client_id, "secret": value(f"{name.upper()}_SECRET")}
        if name == "apple":
            # Apple signs with a private key: the key id is the secret, the team id the key.
            app["key"] = value("APPLE_TEAM_ID")
            app["settings"] = {"certificate_key": value("APPLE_PRIVATE_KEY").replace("\\n", "\n")}
        config: dict[str, object] = {"APPS": [app]}
        if name == "google":
            config["SCOPE"] = ["profile", "email"]
        if name == "github":
            config["SCOPE"] = ["user:email"]
        if name == "facebook":
            config["SCOPE"] = ["email", "public_profile"]
        providers[name] = config
    client_id, server_url = value("OIDC_CLIENT_ID"), value("OIDC_SERVER_URL")
    if client_id and server_url:
        providers["openid_connect"] = {
            "APPS": [
                {
                    "provider_id": value("OIDC_ID") or "sso",
                    "name": value("OIDC_NAME") or "Single sign-on",
                    "client_id": client_id,
                    "secret": value("OIDC_SECRET"),
                    "settings": {"server_url": server_url, "oauth_pkce_enabled": True},
                }
            ],
            "OAUTH_PKCE_ENABLED": True,
        }
    return providers


def media_storage(environ: Mapping[str, str] | None = None) -> tuple[dict[str, Any], str]:
    """STORAGES["default"] and MEDIA_URL: uploads (images, renditions, documents, avatars) in the
    data directory's media/, or, when MASTHEAD_MEDIA_BUCKET is set, in that S3-compatible bucket
    (django-storages), which every host of a deployment then shares.

    MASTHEAD_MEDIA_ENDPOINT_URL names a service other than AWS (MinIO, Garage, R2...), and
    MASTHEAD_MEDIA_REGION its region; MASTHEAD_MEDIA_PREFIX puts the files under a folder of the
    bucket. MASTHEAD_MEDIA_URL is where readers fetch the bucket's files (the bucket's public
    address, or a CDN in front of it): links are then plain URLs under it. Without it, links are
    signed and expire after an hour, for a bucket that is not public. The keys are boto3's own:
    AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the machine's role.
    """
    env = os.environ if environ is None else environ

    def value(name: str) -> str:
        return env.get(name, "").strip()

    bucket = value("MASTHEAD_MEDIA_BUCKET")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}, "/media/"
    options: dict[str, Any] = {"bucket_name": bucket, "file_overwrite": False}
    for option, name in (
        ("endpoint_url", "MASTHEAD_MEDIA_ENDPOINT_URL"),
        ("region_name", "MASTHEAD_MEDIA_REGION"),
        ("location", "MASTHEAD_MEDIA_PREFIX"),
    ):
        if value(name):
            options[option] = value(name).strip("/") if option == "location" else value(name)
    public = value("MASTHEAD_MEDIA_URL").rstrip("/")
    if public:
        address = urlsplit(public)
        if address.scheme not in ("http", "https") or not address.netloc:
            raise ValueError(f"MASTHEAD_MEDIA_URL {public!r} is not an http(s) address")
        options.update(
            custom_domain=address.netloc + address.path,
            url_protocol=f"{address.scheme}:",
            querystring_auth=False,
        )
    media_url = f"{public}/" if public else "/media/"
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}, media_url


def media_origins(storage: Mapping[str, Any], media_url: str) -> list[str]:
    """Where browsers fetch uploads from when that is not the site itself, for the
    Content-Security-Policy's img-src and media-src: MASTHEAD_MEDIA_URL's origin, or the bucket's
    service for signed links."""
    if media_url.startswith(("http://", "https://")):
        parts = urlsplit(media_url)
        return [f"{parts.scheme}://{parts.netloc}"]
    if not storage["BACKEND"].endswith("S3Storage"):
        return []
    endpoint = storage["OPTIONS"].get("endpoint_url", "")
    if not endpoint:
        return ["https://*.amazonaws.com"]
    parts = urlsplit(endpoint)
    # The bucket is in the path or in a subdomain, as the service answers.
    return [f"{parts.scheme}://{parts.netloc}", f"{parts.scheme}://*.{parts.netloc}"]
