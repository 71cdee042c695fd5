"""Uploads on S3-compatible storage (MASTHEAD_MEDIA_BUCKET, settings.env.media_storage), against
moto's S3 server on loopback: an image an editor uploads, and its renditions, land in the bucket,
and the links readers get point at MASTHEAD_MEDIA_URL."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image as PILImage

from masthead.settings.env import media_origins, media_storage
from tests.helpers import free_port, masthead_process_env

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "newsroom-media"
KEYS = {
    "AWS_ACCESS_KEY_ID": "masthead-test",
    "AWS_SECRET_ACCESS_KEY": "masthead-test-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
}

PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    import boto3

    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint)
    client.create_bucket(Bucket=BUCKET)
    # Readers fetch the files straight from the bucket: a public-read policy (docs/deploy.md).
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def media_env(endpoint: str) -> dict[str, str]:
    return {
        "MASTHEAD_MEDIA_BUCKET": BUCKET,
        "MASTHEAD_MEDIA_ENDPOINT_URL": endpoint,
        # The bucket's public address (path-style here; a CDN's in production).
        "MASTHEAD_MEDIA_URL": f"{endpoint}/{BUCKET}/",
    }


def keys_in(client: Any) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (width, height), (20, 90, 160)).save(out, "PNG")
    return out.getvalue()


def test_without_a_bucket_uploads_stay_in_the_data_directory() -> None:
    storage, url = media_storage({})
    assert storage == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert url == "/media/"


def test_signed_links_when_no_public_address_is_given() -> None:
    storage, url = media_storage({"MASTHEAD_MEDIA_BUCKET": BUCKET, "MASTHEAD_MEDIA_PREFIX": "/m/"})
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"] == {"bucket_name": BUCKET, "file_overwrite": False, "location": "m"}
    assert url == "/media/"


def test_an_uploaded_image_and_its_rendition_land_in_the_bucket(
    bucket: Any, s3_endpoint: str, settings: Any, db: None
) -> None:
    from django.core.files.images import ImageFile
    from wagtail.images.models import Image

    storage, media_url = media_storage(media_env(s3_endpoint))
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    settings.MEDIA_URL = media_url

    data = png(120, 80)
    image = Image(title="Harbour at dawn", file=ImageFile(io.BytesIO(data), name="harbour.png"))
    image.save()
    rendition = image.get_rendition("fill-60x40")

    stored = keys_in(bucket)
    assert image.file.name in stored
    assert rendition.file.name in stored
    assert image.file.name.startswith("original_images/harbour")
    assert rendition.file.name.startswith("images/harbour")
    for link in (image.file.url, rendition.url):
        assert link.startswith(f"{s3_endpoint}/{BUCKET}/"), link
        assert "Signature" not in link and "X-Amz" not in link
    with urllib.request.urlopen(image.file.url, timeout=10) as response:
        assert response.read() == data
    with urllib.request.urlopen(rendition.url, timeout=10) as response:
        assert PILImage.open(io.BytesIO(response.read())).size == (60, 40)


def test_masthead_reads_the_bucket_from_its_environment(
    bucket: Any, s3_endpoint: str, tmp_path: Path
) -> None:
    """A real `masthead manage` process: the settings choose the bucket at start."""
    code = (
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import default_storage\n"
        "name = default_storage.save('documents/agenda.txt', ContentFile(b'Council agenda'))\n"
        "print(name)\n"
        "print(default_storage.url(name))\n"
        "from django.test import Client\n"
        "answer = Client(HTTP_HOST='127.0.0.1').get('/api/v1/openapi.json')\n"
        "print(answer['Content-Security-Policy'].replace(' ', '_'))\n"
    )
    env = {**masthead_process_env(tmp_path / "data"), **media_env(s3_endpoint)}
    env.update({name: os.environ[name] for name in KEYS})
    done = subprocess.run(
        [sys.executable, "-m", "masthead.cli", "manage", "shell", "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    name, url, policy = done.stdout.split()[-3:]
    assert name in keys_in(bucket)
    assert url == f"{s3_endpoint}/{BUCKET}/{name}"
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.read() == b"Council agenda"
    assert not (tmp_path / "data" / "media" / name).exists()
    # Pages may show the bucket's images and video.
    directives = dict(part.strip("_").split("_", 1) for part in policy.split(";"))
    assert s3_endpoint in directives["img-src"].split("_")
    assert s3_endpoint in directives["media-src"].split("_")


def test_signed_links_are_allowed_by_the_policy_too() -> None:
    storage, url = media_storage(
        {"MASTHEAD_MEDIA_BUCKET": BUCKET, "MASTHEAD_MEDIA_ENDPOINT_URL": "https://s3.example.net"}
    )
    assert media_origins(storage, url) == ["https://s3.example.net", "https://*.s3.example.net"]
    storage, url = media_storage({"MASTHEAD_MEDIA_BUCKET": BUCKET})
    assert media_origins(storage, url) == ["https://*.amazonaws.com"]
    storage, url = media_storage({})
    assert media_origins(storage, url) == []


def test_the_admin_shows_images_from_the_bucket(client: Any, settings: Any, db: None) -> None:
    settings.MEDIA_ORIGINS = ["https://media.example.org"]
    policy = client.get("/admin/login/")["Content-Security-Policy"]
    images = next(part for part in policy.split(";") if part.strip().startswith("img-src"))
    assert "https://media.example.org" in images.split()
