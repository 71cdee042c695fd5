"""Test settings: the same as production, with fast hashing, captured mail and immediate tasks."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("MASTHEAD_DATA_DIR", tempfile.mkdtemp(prefix="masthead-test-"))

from masthead.settings.base import *  # noqa: F403
from masthead.settings.base import ALLOWED_HOSTS, DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test"}
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(os.environ["MASTHEAD_DATA_DIR"], "test.sqlite3")
    }
else:
    # Concurrent suites on one server (several checkouts, xdist workers) each get their own test database.
    DATABASES["default"]["TEST"] = {
        "NAME": "test_masthead" + os.environ.get("MASTHEAD_TEST_DB_SUFFIX", "")
    }

# WhiteNoise warns about a missing static root; tests serve static files through the finders.
os.makedirs(os.path.join(os.environ["MASTHEAD_DATA_DIR"], "static"), exist_ok=True)
