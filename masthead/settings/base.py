"""Masthead settings, driven by environment variables (README "Configuration")."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from masthead.core.csp_policy import reader_policy
from masthead.settings.env import (
    base_url,
    data_dir,
    email_settings,
    env_bool,
    env_list,
    env_rates,
    media_origins,
    media_storage,
    oauth_providers,
    secret_key,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir()

SECRET_KEY = secret_key(DATA_DIR)
DEBUG = env_bool("MASTHEAD_DEBUG", False)
ALLOWED_HOSTS = env_list("MASTHEAD_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("MASTHEAD_CSRF_TRUSTED_ORIGINS")
SITE_NAME = os.environ.get("MASTHEAD_SITE_NAME", "Masthead")
# Query parameters that are part of a page's identity in a thread URL (core/canonical_url.py),
# e.g. "p,page_id" for WordPress's /?p=42; every other parameter is dropped.
MASTHEAD_THREAD_URL_QUERY = os.environ.get("MASTHEAD_THREAD_URL_QUERY", "")
WAGTAIL_SITE_NAME = SITE_NAME
WAGTAILADMIN_BASE_URL = base_url()

# Addresses or CIDR networks whose X-Forwarded-For is believed; empty means the socket peer is the client.
TRUSTED_PROXIES = env_list("MASTHEAD_TRUSTED_PROXIES")
RATELIMIT_ENABLED = env_bool("MASTHEAD_RATELIMIT_ENABLED", True)
# Comment, vote and preview rates (discussion/guard.py, e.g. "post_ip=20/m,post_identity=8/m");
# the ones not named keep their defaults.
DISCUSSION_RATES = env_rates("MASTHEAD_DISCUSSION_RATES")

INSTALLED_APPS = [
    "masthead.core",
    "masthead.accounts",
    "masthead.publishing",
    "masthead.discussion",
    "masthead.notifications",
    "masthead.funding",
    "masthead.moderation",
    "masthead.migration",
    "masthead.embed",
    "wagtail_localize",
    # Replaces wagtail.locales: the admin's Locales, with sync from another locale.
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.github",
    "allauth.socialaccount.providers.facebook",
    "allauth.socialaccount.providers.apple",
    "allauth.socialaccount.providers.openid_connect",
]

MIDDLEWARE = [
    # Cached reader pages and discussion reads are answered here, in the event loop, before the rest
    # of the stack (core/fastpath.py); it adds the security headers itself.
    "masthead.core.fastpath.FastPathMiddleware",
    # /api/v1 answers for the websites allowed to embed this one: CORS and preflights (core/cors.py).
    "masthead.core.cors.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (django-csp; masthead/core/csp.py: the admin's own policy).
    "masthead.core.csp.MastheadCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # /api/v1: the JSON error shape for refusals no view gave (413, 404, 405, 500), and no-store.
    "masthead.core.apiresponses.ApiResponsesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware, with reader pages' language taken from their URL (/ar/...) and every
    # other unprefixed path from the reader's choice (core/page_language.py).
    "masthead.core.page_language.PageLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # An embed's `Authorization: Bearer` session stands for the reader on /api/v1 (embed/identity.py).
    "masthead.embed.middleware.EmbedSessionMiddleware",
    # The sign-in pages' forms may lead on to the configured providers (form-action).
    "masthead.accounts.middleware.SocialSignInCSP",
    # After LocaleMiddleware: the API and the embed speak the reader's Accept-Language (core/language.py).
    "masthead.core.language.ReaderLanguageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # WordPress's `/?p=123` links to the articles an import made of those posts.
    "masthead.migration.middleware.WordPressQueryLinkMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "masthead.urls"
WSGI_APPLICATION = "masthead.wsgi.application"
ASGI_APPLICATION = "masthead.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "masthead.core.context_processors.site",
                "masthead.publishing.context_processors.navigation",
                "masthead.publishing.context_processors.language",
            ],
        },
    },
]

# SQLite by default; DATABASE_URL (postgres://...) for production.
SQLITE_PATH = DATA_DIR / "masthead.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # A commit returns once its WAL is written, not flushed to disk (the same durability as the
        # SQLite default below, WAL with synchronous=NORMAL: a crash of the machine may lose the last
        # moments' commits, never consistency). Waiting for the flush (~5 ms here) held every post's
        # row locks (the thread's counters) that much longer and halved posting throughput.
        # MASTHEAD_PG_SYNCHRONOUS_COMMIT=on restores waiting (docs/architecture.md).
        SYNCHRONOUS_COMMIT = os.environ.get("MASTHEAD_PG_SYNCHRONOUS_COMMIT", "").strip() or "off"
        if SYNCHRONOUS_COMMIT not in {"on", "off", "local", "remote_write", "remote_apply"}:
            raise ValueError(f"MASTHEAD_PG_SYNCHRONOUS_COMMIT={SYNCHRONOUS_COMMIT!r} is not a mode")
        pg_options: dict[str, Any] = DATABASES["default"].setdefault("OPTIONS", {})  # type: ignore[assignment]
        pg_options["options"] = (
            f"{pg_options.get('options', '')} -c synchronous_commit={SYNCHRONOUS_COMMIT}".strip()
        )
        # A worker runs the same few statements again and again (a post's dozen, a page's reads):
        # sent with their parameters apart and prepared on their second use in a connection,
        # PostgreSQL parses and plans each once per connection instead of once per use, and no
        # parameter is quoted into the text. With Django's default (client-side binding, nothing
        # prepared) PostgreSQL spent ~1.6x the CPU on a post (docs/architecture.md). A pooler in
        # transaction mode must keep prepared statements (PgBouncer >= 1.21 with
        # max_prepared_statements), or MASTHEAD_PG_PREPARED_STATEMENTS=off (docs/deploy.md).
        PREPARED_STATEMENTS = os.environ.get("MASTHEAD_PG_PREPARED_STATEMENTS", "").strip() or "on"
        if PREPARED_STATEMENTS not in {"on", "off"}:
            raise ValueError(
                f"MASTHEAD_PG_PREPARED_STATEMENTS={PREPARED_STATEMENTS!r}: use on or off"
            )
        if PREPARED_STATEMENTS == "on":
            pg_options.setdefault("server_side_binding", True)
            pg_options.setdefault("prepare_threshold", 1)
        # The same backend, with a health check that needs no round trip (core/db/postgresql).
        DATABASES["default"]["ENGINE"] = "masthead.core.db.postgresql"
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(SQLITE_PATH)}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The same backend, with writers taking turns on a file lock (masthead/core/db/sqlite3/base.py).
    DATABASES["default"]["ENGINE"] = "masthead.core.db.sqlite3"
    # A web server's SQLite: readers never block the writer (WAL), writers wait instead of failing
    # (busy_timeout) and take the write lock up front (IMMEDIATE), so concurrent posts queue up
    # instead of failing with "database is locked" on lock upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update(  # type: ignore[union-attr]
        {
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA busy_timeout=10000;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA cache_size=-20000;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "masthead.core.cache.RedisCache",  # one connection pool per process
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "masthead",
        }
    }
    TASKS = {
        "default": {
            "BACKEND": "django_tasks_rq.RQBackend",
            "QUEUES": ["default"],
        }
    }
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    INSTALLED_APPS.append("django_rq")
else:
    # Without Redis, a cache in the data directory is shared by every process of `masthead run`
    # (web workers, task worker, clock), so a publish or a new comment invalidates cached pages
    # everywhere and rate limits count across workers (`core/disk_cache.py`). Writes wait for a busy
    # shard; a read that finds its shard busy for DATABASE_TIMEOUT counts as a miss.
    CACHES = {
        "default": {
            "BACKEND": "masthead.core.disk_cache.DiskCache",
            "LOCATION": str(DATA_DIR / "diskcache"),
            "SHARDS": 4,
            "DATABASE_TIMEOUT": 0.25,
            "OPTIONS": {"size_limit": 512 * 1024 * 1024},
        }
    }
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Live updates (docs/live.md): the event broker is Redis pub/sub when this is set, else in-process.
LIVE_REDIS_URL = os.environ.get("MASTHEAD_LIVE_REDIS_URL", REDIS_URL).strip()
# Without Redis: "cache" (the cache the machine's processes share) or "memory" (this process only);
# empty chooses "cache" when the cache is the shared diskcache.
LIVE_BROKER = os.environ.get("MASTHEAD_LIVE_BROKER", "").strip()
LIVE_HEARTBEAT_SECONDS = float(os.environ.get("MASTHEAD_LIVE_HEARTBEAT_SECONDS", "20"))
LIVE_MAX_STREAMS = int(os.environ.get("MASTHEAD_LIVE_MAX_STREAMS", "2000"))  # per process
LIVE_MAX_STREAMS_PER_IP = int(os.environ.get("MASTHEAD_LIVE_MAX_STREAMS_PER_IP", "20"))
LIVE_RETRY_AFTER_SECONDS = 30  # Retry-After of a refused stream
# How often a page polls for new comments while its stream is unavailable.
LIVE_POLL_SECONDS = float(os.environ.get("MASTHEAD_LIVE_POLL_SECONDS", "30"))
LIVE_RETRY_MS = 3000  # the `retry:` hint: EventSource's wait before reconnecting
LIVE_SUBSCRIBER_QUEUE = 100  # events a stream may fall behind before it is closed
LIVE_BACKLOG_EVENTS = 500  # kept per thread for Last-Event-ID ...
LIVE_BACKLOG_SECONDS = 600  # ... and for at most this long
LIVE_STREAM_MAX_SECONDS = 1800  # a stream then ends; the client reconnects with Last-Event-ID
LIVE_QUIET_DAYS = 14  # a discussion without a new comment for this long is not followed live

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Readers sign in by email through allauth (verified addresses only); staff by username at /admin/.
    "allauth.account.auth_backends.AuthenticationBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# Reader accounts (django-allauth; docs/accounts.md). Sign-in by email, never by username; an
# address is verified by a code typed in the browser that signed up before the account can sign in.
ACCOUNT_ADAPTER = "masthead.accounts.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "masthead.accounts.adapter.SocialAccountAdapter"
ACCOUNT_FORMS = {"signup": "masthead.accounts.forms.SignUpForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
# The code page offers no "change address": for an address that already has an account it could not
# work, and a page that differs would tell whether the address is registered.
ACCOUNT_EMAIL_VERIFICATION_MAX_CHANGE_COUNT = 0
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_USER_DISPLAY = "masthead.accounts.adapter.user_display"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if WAGTAILADMIN_BASE_URL.startswith("https://") else "http"
# Every flow is limited per address of the client (as MASTHEAD_TRUSTED_PROXIES decides it), and the
# ones that name an account also per account: a failed sign-in counts against both.
ACCOUNT_RATE_LIMITS: dict[str, str] | bool = (
    {
        "login": "30/m/ip",
        "login_failed": "10/m/ip,5/5m/key",
        "signup": "10/h/ip",
        "confirm_email": "1/10s/key",
        "request_login_code": "20/m/ip,3/m/key",
        "reset_password": "20/m/ip,5/m/key",
        "reset_password_from_key": "20/m/ip",
        "change_password": "5/m/user",
        "manage_email": "10/m/user",
        "reauthenticate": "10/m/user",
    }
    if RATELIMIT_ENABLED
    else False
)
SOCIALACCOUNT_PROVIDERS = oauth_providers()
SOCIALACCOUNT_EMAIL_VERIFICATION = "mandatory"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False

# Languages with a complete catalog (masthead/locale/; docs/languages.md). LANGUAGES is the same list in
# every branch of the settings: pages, the API and emails choose among it.
LANGUAGES = [
    ("en", "English"),
    ("ar", "العربية"),
    ("es", "Español"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("tr", "Türkçe"),
]
LANGUAGE_CODE = os.environ.get("MASTHEAD_LANGUAGE", "").strip().lower() or "en"
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"MASTHEAD_LANGUAGE={LANGUAGE_CODE!r} is not one of {', '.join(dict(LANGUAGES))}."
    )
# The languages the API, the embed and emails may answer in (a reader's Accept-Language chooses among
# them); unset means every language above. Unknown codes are dropped; the default is always offered.
_narrowed = {code.lower() for code in env_list("MASTHEAD_LANGUAGES")}
MASTHEAD_LANGUAGES = [
    code for code, _name in LANGUAGES if not _narrowed or code in _narrowed or code == LANGUAGE_CODE
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# English date formats of the house; other languages use their locale's (masthead/formats/).
FORMAT_MODULE_PATH = ["masthead.formats"]
TIME_ZONE = os.environ.get("MASTHEAD_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Uploads: the data directory's media/, or an S3-compatible bucket (MASTHEAD_MEDIA_BUCKET, docs/deploy.md).
MEDIA_STORAGE, MEDIA_URL = media_storage()
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
if env_bool("MASTHEAD_HTTPS", False):
    SESSION_COOKIE_SECURE = True  # the guest cookie (accounts/guest.py) follows this one
    CSRF_COOKIE_SECURE = True
    # Believed only from MASTHEAD_TRUSTED_PROXIES: core.fastpath drops it from anyone else.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

globals().update(email_settings(os.environ.get("EMAIL_URL", "").strip() or None, DATA_DIR))
DEFAULT_FROM_EMAIL = os.environ.get(
    "MASTHEAD_FROM_EMAIL", globals().get("DEFAULT_FROM_EMAIL", "Masthead <noreply@localhost>")
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {"WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea"},
}
# Multilingual content (docs/languages-multilingual.md): every interface language can be an edition;
# translations live under /<code>/ (i18n_patterns in urls.py), the default language unprefixed.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# A language chosen in the switcher overrides Accept-Language at / for a year.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
WAGTAIL_LOCALIZE_DEFAULT_TRANSLATION_MODE = "synced"
WAGTAILDOCS_EXTENSIONS = ["pdf", "vtt", "srt", "mp4", "webm", "csv", "txt"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MASTHEAD_LOG_LEVEL", "WARNING")},
    "loggers": {
        "masthead": {"level": os.environ.get("MASTHEAD_LOG_LEVEL", "INFO"), "propagate": True},
        "django.request": {"level": "ERROR"},
    },
}

# Publishing
MASTHEAD_PAGE_CACHE_SECONDS = int(os.environ.get("MASTHEAD_PAGE_CACHE_SECONDS", "300"))

# Funding (Stripe). Without keys the donate button is hidden; manual donations still work.
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "").strip()
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "").strip()
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "").strip()
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "").strip() or "https://api.stripe.com"
STRIPE_JS_URL = os.environ.get("STRIPE_JS_URL", "").strip() or "https://js.stripe.com/v3/"

# Content-Security-Policy (django-csp 4): no inline script anywhere, so no nonces (core/csp.py).
# Frames: the video and embed providers articles may show; Stripe's only on the donation form.
CSP_FRAME_ORIGINS = env_list(
    "MASTHEAD_CSP_FRAME_SRC",
    "https://www.youtube.com,https://www.youtube-nocookie.com,https://player.vimeo.com",
)
# Uploads on S3-compatible storage are shown from the bucket's (or its CDN's) origin.
MEDIA_ORIGINS = media_origins(MEDIA_STORAGE, MEDIA_URL)
CONTENT_SECURITY_POLICY = {"DIRECTIVES": reader_policy(CSP_FRAME_ORIGINS, MEDIA_ORIGINS)}

# Moderation: an optional Akismet-compatible spam check; off without a key.
MASTHEAD_AKISMET_KEY = os.environ.get("MASTHEAD_AKISMET_KEY", "").strip()
MASTHEAD_AKISMET_URL = (
    os.environ.get("MASTHEAD_AKISMET_URL", "").strip() or "https://rest.akismet.com"
).rstrip("/")
