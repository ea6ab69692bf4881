"""The one settings module of Landscape Commons.

Every knob is read from the environment here and nowhere else. Left unset, the site runs the
embedded default (SQLite under ``var/``, the in-memory channel layer, the database search
backend, console email, static files from whitenoise), so a fresh clone works with no services.
Set, the same code runs on PostgreSQL, Redis and Elasticsearch. ``DJANGO_ENV=production``
refuses to start without a real ``SECRET_KEY`` and explicit ``ALLOWED_HOSTS``.
"""

from __future__ import annotations

import hashlib
import subprocess
from importlib import metadata
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config import csp
from config.env import env_bool, env_int, env_list, env_str
from config.log_config import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
SITE_DIR = BASE_DIR / "site"
VAR_DIR = Path(env_str("VAR_DIR") or BASE_DIR / "var")

# --- Environment and secrets -------------------------------------------------------------


def _git(*args: str) -> str:
    try:
        return subprocess.run(  # noqa: S603 (fixed arguments)
            ["git", *args],  # noqa: S607
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def _release() -> str:
    """The code release, carried by every cache key (a deploy must never serve pages or values
    cached by the previous code): ``RELEASE`` from the environment, else the checkout's git
    commit (with a digest of its uncommitted changes, the same for every process of one
    checkout), else the image's ``RELEASE`` file, else the package's version."""
    commit = _git("rev-parse", "--short=12", "HEAD").strip()
    if commit:
        changes = _git("diff", "HEAD")
        if changes:
            commit += "-" + hashlib.sha256(changes.encode()).hexdigest()[:8]
        return commit
    stamped = BASE_DIR / "RELEASE"  # written by the Dockerfile (an image has no .git)
    if stamped.is_file():
        return stamped.read_text().strip()
    try:
        return metadata.version("landscape-commons")
    except metadata.PackageNotFoundError:
        return "dev"


RELEASE = env_str("RELEASE") or _release()
CACHE_KEY_PREFIX = f"{env_str('CACHE_KEY_PREFIX', 'lc')}:{RELEASE}"

DJANGO_ENV = env_str("DJANGO_ENV", "development").lower()
if DJANGO_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be development, production or test (got {DJANGO_ENV!r})."
    )
IS_PRODUCTION = DJANGO_ENV == "production"

# Only ever used when DJANGO_ENV is not production; production refuses to start with it.
_DEVELOPMENT_SECRET_KEY = "django-insecure-landscape-commons-development-only"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

if IS_PRODUCTION:
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs SECRET_KEY: a random value of at least 50 characters "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(64))')."
        )
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs ALLOWED_HOSTS: the comma-separated host names the site "
            "answers to (a wildcard '*' is refused)."
        )
else:
    SECRET_KEY = SECRET_KEY or _DEVELOPMENT_SECRET_KEY
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]

DEBUG = env_bool("DEBUG", default=DJANGO_ENV == "development")
if IS_PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must not be true when DJANGO_ENV=production.")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The Ed25519 key that signs Open Badges credentials (credentials/keys.py); unset, one is
# generated on first use and stored encrypted with a key derived from SECRET_KEY.
CREDENTIALS_SIGNING_KEY = env_str("CREDENTIALS_SIGNING_KEY")

# --- Applications ------------------------------------------------------------------------

INSTALLED_APPS = [
    # Ours first, so their templates override the libraries'.
    "network",
    "library",
    "courses",
    "credentials",
    "forums",
    "events",
    "finance",  # before search: its demo projects are in the index the search demo rebuilds
    "search",
    "lti",
    "xapi",
    "config.apps.SiteConfig",  # template tags; page types' cacheability (wagtail_hooks.py)
    # Wagtail
    "wagtail.api.v2",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    # Translation workflow (issue 24): wagtail-localize's editor, per-language progress and
    # its locale admin, which replaces "wagtail.locales" as its installation guide says.
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Accounts
    "allauth",
    "allauth.account",
    # Live features and background work
    "daphne",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "django_countries",
    "rest_framework",
    "lti_tool",  # django-lti: platform registrations, deployments, keys
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "config.request_guard.NulCharacterGuardMiddleware",  # 400 before a NUL reaches a query
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.proxy_cache.ProxyCacheHeadersMiddleware",  # X-Accel-Expires for nginx's cache
    "django.middleware.http.ConditionalGetMiddleware",  # ETag, 304 on If-None-Match
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "search.per_request.IndexStateMiddleware",  # one read of the index state per request
    "config.page_cache.AnonymousPageCacheMiddleware",  # after Locale, before Csrf
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "network.middleware.MemberTimeZoneMiddleware",  # times in the member's own zone
    "lti.framing.LaunchedSessionFramingMiddleware",  # before X-Frame-Options: it undoes it
    "config.webapp.ClearSiteDataOnLogoutMiddleware",  # the device forgets at logout
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
AUTH_USER_MODEL = "network.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
            ],
            "libraries": {
                "navigation": "config.templatetags.navigation",
                "home_sections": "config.templatetags.home_sections",
            },
        },
    },
]

# --- Data --------------------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL")
# daphne serves every request's sync code on a thread of its own, so a connection kept on a
# thread (CONN_MAX_AGE > 0) is never reused and only piles up: Django's async docs say to turn
# persistent connections off under ASGI and use the backend's own pool. Connections therefore
# close at the end of each request (CONN_MAX_AGE 0); on PostgreSQL "closing" hands the
# connection back to Django's psycopg pool (OPTIONS["pool"], Django 5.1+), so a request borrows
# an open one instead of forking a backend. DATABASE_POOL_MAX_SIZE=0 turns the pool off (for a
# pooler such as PgBouncer in front of PostgreSQL).
DATABASE_POOL_MAX_SIZE = env_int("DATABASE_POOL_MAX_SIZE", 16)
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend; a flush that keeps the sequences deletes rows (config/postgresql).
        DATABASES["default"]["ENGINE"] = "config.postgresql"
    if DATABASES["default"]["ENGINE"] == "config.postgresql" and DATABASE_POOL_MAX_SIZE > 0:
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            # psycopg_pool.ConnectionPool's arguments: a couple kept open, up to the maximum
            # while requests, sockets and tasks of this process run at once.
            "min_size": min(2, DATABASE_POOL_MAX_SIZE),
            "max_size": DATABASE_POOL_MAX_SIZE,
        }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            # Django's backend, with a closed connection kept for the next request of the
            # process (config/sqlite: a new one reads the whole schema, 4 ms).
            "ENGINE": "config.sqlite",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {
                # WAL lets readers proceed during a write; IMMEDIATE makes concurrent writers
                # queue on the lock (busy timeout) instead of failing with "database is locked".
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # The test suite names a file of each test process's own (tests/conftest.py):
            # pytest-django recognises only Django's own engine name, and would otherwise
            # name one "test_<path>_gw0" beside the site's.
            "TEST": {"NAME": ":memory:"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # A Redis that is down fails a connection in 2 s. A Redis that hangs (frozen)
                # is bounded by the broadcast's own deadline (forums.events), not by a socket
                # read timeout: with one, redis-py turns the cancellation of channels-redis's
                # blocking receive into a timeout that it retries, and closing loops hang.
                "hosts": [{"address": REDIS_URL, "socket_connect_timeout": 2}],
                "prefix": env_str("CHANNELS_PREFIX", "lc"),
            },
        }
    }
    CACHES = {
        "default": {
            # Django's RedisCache that misses (and logs) instead of raising while Redis is
            # down, so pages keep rendering; /healthz still reports the cache as down.
            "BACKEND": "config.cache.FaultTolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "TIMEOUT": 300,
            # A cache that is down must not hang a page: fail fast and let the caller fall back.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "config.layers.ThrottledInMemoryChannelLayer"}}
    # One SQLite file under VAR_DIR (config/sqlite_cache.py): daphne, manage.py and the task
    # worker share one cache state, so a page unpublished from a shell is dropped for daphne's
    # readers at once (a process's own memory could not be told). Django's FileBasedCache
    # listed its folder on every set and starved daphne under writes; the module says what
    # was measured.
    CACHES = {
        "default": {
            "BACKEND": "config.sqlite_cache.SQLiteCache",
            "LOCATION": env_str("CACHE_DIR") or str(VAR_DIR / "cache"),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 5000)},
        },
        # Wagtail keeps each rendition it shows in the "renditions" cache (its documented
        # alias; the default cache otherwise): here a file written per {% image %}. Pages read
        # their renditions in one query (config/renditions.py), so that write only cost time:
        # the warm filtered listing 28.0 -> 24.1 ms, the course 10.2 -> 8.7 ms, no query more
        # (bench/cold_pages.py, large, 2026-12-05). Redis keeps it in production.
        "renditions": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
# Sessions are written to the database and read from the cache: a signed-in page costs no
# session query. Signing out or a password change still takes effect at once everywhere (the
# session is deleted from both; the user row, read every request, carries the password hash).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Whole pages for anonymous visitors (config/page_cache.py), for the views and page types that
# declare themselves cacheable and what they are built from; each app's cache.py drops exactly
# what its writes change. Pages are kept PAGE_CACHE_TIMEOUT seconds at most; browsers may keep
# a public page PAGE_CACHE_MAX_AGE seconds.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", default=True)
PAGE_CACHE_TIMEOUT = env_int("PAGE_CACHE_TIMEOUT", 600)
PAGE_CACHE_MAX_AGE = env_int("PAGE_CACHE_MAX_AGE", 60)
# How long the production shape's nginx may keep a public page without a query string
# (X-Accel-Expires, config/proxy_cache.py): short, since a purge cannot name every page; an
# expired one is revalidated with its ETag (a 304, no body).
PROXY_CACHE_SECONDS = env_int("PROXY_CACHE_SECONDS", 5)

# Background work (search indexing, digests). Immediate on the embedded default, so a laptop
# needs no worker; the database queue (django-tasks-db, worker: manage.py db_worker) elsewhere.
TASKS_BACKEND = env_str("TASKS_BACKEND", "immediate")
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)} (got {TASKS_BACKEND!r})."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}

# --- Search ------------------------------------------------------------------------------

ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL")
SEARCH = {
    "BACKEND": "elasticsearch" if ELASTICSEARCH_URL else "database",
    "URL": ELASTICSEARCH_URL,
    "INDEX_PREFIX": env_str("SEARCH_INDEX_PREFIX", "landscape"),
    "TIMEOUT": env_int("SEARCH_TIMEOUT", 5),
    # SEARCH_FALLBACK=database: while Elasticsearch is down, answer from the database backend
    # (kept up to date alongside Elasticsearch) instead of showing "search unavailable".
    "FALLBACK": env_str("SEARCH_FALLBACK").lower(),
    # Seconds an anonymous visitor's answer is kept in the cache (0: never). Keys carry the
    # index's version, which every index write bumps, so this only bounds the cache's size.
    "CACHE_TIMEOUT": env_int("SEARCH_CACHE_TIMEOUT", 300),
}
if SEARCH["FALLBACK"] not in {"", "database"}:
    raise ImproperlyConfigured(
        f"SEARCH_FALLBACK must be empty or 'database' (got {SEARCH['FALLBACK']!r})."
    )
# Wagtail's own admin search stays on the database; the network-wide search is `search/`.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# --- Accounts ----------------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "network:profile"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_ADAPTER = "network.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "network.forms.SignupForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Landscape Commons] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if IS_PRODUCTION else "http"
# allauth's rate limits use the cache: per IP and per account, with a clear lock-out message.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("LOGIN_FAILED_RATE", "5/5m/ip,5/5m/key"),
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}

# Behind N reverse proxies, the client's address is the Nth from the right in X-Forwarded-For;
# per-IP rate limits need it (0: clients connect directly).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Profile pictures: small, sniffed by Pillow, re-encoded on upload.
AVATAR_MAX_BYTES = env_int("AVATAR_MAX_BYTES", 2 * 1024 * 1024)
AVATAR_MAX_PIXELS = 4096

# Pictures members upload (avatars, forum attachments) are decoded only when their header says
# they fit this many pixels (a 40-megapixel phone photo does; an 8 KB PNG claiming 8192 x 8192
# does not), at most IMAGE_DECODES_AT_ONCE at a time per process, and at most
# IMAGE_UPLOADS_PER_MINUTE per member.
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 40_000_000)
IMAGE_DECODES_AT_ONCE = env_int("IMAGE_DECODES_AT_ONCE", 2)
IMAGE_UPLOADS_PER_MINUTE = env_int("IMAGE_UPLOADS_PER_MINUTE", 10)

# Joining partnerships: requests to join and invitations a member may send per minute (each
# sends a notification or a mail), and how long an invitation link works.
NETWORK_JOIN_REQUESTS_PER_MINUTE = env_int("NETWORK_JOIN_REQUESTS_PER_MINUTE", 5)
NETWORK_INVITATIONS_PER_MINUTE = env_int("NETWORK_INVITATIONS_PER_MINUTE", 10)
NETWORK_INVITATION_MAX_AGE = env_int("NETWORK_INVITATION_MAX_AGE", 14 * 24 * 3600)

# Messages a course's trainer sends its learners (each send mails many): per trainer and minute.
COURSES_MESSAGES_PER_MINUTE = env_int("COURSES_MESSAGES_PER_MINUTE", 5)

# --- Forums ------------------------------------------------------------------------------

FORUMS_POSTS_PER_MINUTE = env_int("FORUMS_POSTS_PER_MINUTE", 6)
FORUMS_CHAT_MESSAGES_PER_MINUTE = env_int("FORUMS_CHAT_MESSAGES_PER_MINUTE", 20)
# Edits, and reaction toggles (forum reactions, live-session question votes), are broadcast to
# every open page of the topic or session too, so they are limited like posts.
FORUMS_EDITS_PER_MINUTE = env_int("FORUMS_EDITS_PER_MINUTE", 10)
FORUMS_REACTIONS_PER_MINUTE = env_int("FORUMS_REACTIONS_PER_MINUTE", 30)
# The reply box's helpers: name lookups (one per typed letter after "@", debounced) and
# Markdown previews, each limited per member and minute (a 429 leaves the typed text alone).
FORUMS_MENTION_LOOKUPS_PER_MINUTE = env_int("FORUMS_MENTION_LOOKUPS_PER_MINUTE", 60)
FORUMS_PREVIEWS_PER_MINUTE = env_int("FORUMS_PREVIEWS_PER_MINUTE", 20)
FORUMS_ATTACHMENT_MAX_BYTES = env_int("FORUMS_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024)
FORUMS_ATTACHMENTS_PER_POST = 4
FORUMS_PAGE_SIZE = env_int("FORUMS_PAGE_SIZE", 20)
# A reader counts as present for this many seconds after their socket's last heartbeat.
FORUMS_PRESENCE_TTL = env_int("FORUMS_PRESENCE_TTL", 60)
# Live sockets opened without signing in, per client address per minute (a page opens one and
# reconnects with back-off); more are closed with 4429. Shared cache, so across processes.
FORUMS_ANONYMOUS_SOCKETS_PER_MINUTE = env_int("FORUMS_ANONYMOUS_SOCKETS_PER_MINUTE", 30)
# "Reading now" counts signed-in readers once each and at most this many anonymous sockets: a
# script opening sockets without an account cannot make a topic look crowded.
FORUMS_PRESENCE_MAX_ANONYMOUS = env_int("FORUMS_PRESENCE_MAX_ANONYMOUS", 20)
# Trust levels (forums/moderation.py), Discourse's kept to two. A new member's posts wait for a
# moderator until this many were approved and they have read this many topics (Discourse's
# TL1 asks 5 topics entered); 0 approvals turns holding off. Meanwhile they attach no files,
# post at most this many links and mentions a post (Discourse's newuser_max_links and
# newuser_max_mentions_per_post), and have at most this many posts waiting at once.
FORUMS_NEW_MEMBER_APPROVALS = env_int("FORUMS_NEW_MEMBER_APPROVALS", 1)
FORUMS_NEW_MEMBER_TOPICS_READ = env_int("FORUMS_NEW_MEMBER_TOPICS_READ", 5)
FORUMS_NEW_MEMBER_MAX_LINKS = env_int("FORUMS_NEW_MEMBER_MAX_LINKS", 2)
FORUMS_NEW_MEMBER_MAX_MENTIONS = env_int("FORUMS_NEW_MEMBER_MAX_MENTIONS", 2)
FORUMS_NEW_MEMBER_MAX_WAITING = env_int("FORUMS_NEW_MEMBER_MAX_WAITING", 3)

# --- xAPI -------------------------------------------------------------------------------

# Learners' records as xAPI statements to a Learning Record Store (xapi/): its endpoint (the
# statements are POSTed to <url>/statements; empty: no statements are written) and the Basic
# credentials the LRS gave the site. The task worker sends them after commit, XAPI_BATCH_SIZE
# at a time, each request bounded by XAPI_LRS_TIMEOUT seconds; a failed send is retried after
# XAPI_RETRY_SECONDS, doubling up to XAPI_RETRY_MAX_SECONDS (and by manage.py xapi_send).
XAPI_LRS_URL = env_str("XAPI_LRS_URL")
XAPI_LRS_USERNAME = env_str("XAPI_LRS_USERNAME")
XAPI_LRS_PASSWORD = env_str("XAPI_LRS_PASSWORD")
XAPI_LRS_TIMEOUT = env_int("XAPI_LRS_TIMEOUT", 5)
XAPI_BATCH_SIZE = env_int("XAPI_BATCH_SIZE", 50)
XAPI_RETRY_SECONDS = env_int("XAPI_RETRY_SECONDS", 30)
XAPI_RETRY_MAX_SECONDS = env_int("XAPI_RETRY_MAX_SECONDS", 3600)

# --- Email -------------------------------------------------------------------------------

EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Landscape Commons <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation ----------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("pt", _("Portuguese")),
]
LOCALE_PATHS = [SITE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

# --- Static and media --------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or VAR_DIR / "static")
STATICFILES_DIRS = [SITE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")
# Uploads that only a view may hand out (forum attachments): never under MEDIA_ROOT.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT") or VAR_DIR / "private-media")
# The embedded default serves uploads itself; production puts them behind the proxy.
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=not IS_PRODUCTION)
# Without the proxy the app compresses pages, CSS and scripts itself (Django pads it against
# BREACH); behind nginx the proxy does, as its cache key does not vary on Accept-Encoding.
if COMPRESS_RESPONSES := env_bool("COMPRESS_RESPONSES", default=SERVE_MEDIA):
    MIDDLEWARE.insert(1, "django.middleware.gzip.GZipMiddleware")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed, cached for a year in production; plain files while developing
        # and testing, so no collectstatic step is needed there.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
if not IS_PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing root
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Wagtail -----------------------------------------------------------------------------

# Map tiles for the case study and partnership maps. Leaflet itself is served from our static
# files; the tiles come from this server (blank disables tiles: markers and lists still work).
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)
WAGTAIL_SITE_NAME = "Landscape Commons"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # the admin asks no third party for avatars (and its CSP)
TAGGIT_CASE_INSENSITIVE = True


# --- Security ----------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail marks its own preview views SAMEORIGIN where it needs them
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy (config/middleware.py): the defaults are in config/csp.py; each policy
# can be replaced whole from the environment.
_TILE_ORIGIN = csp.origin_of(MAP_TILE_URL)
CONTENT_SECURITY_POLICY = env_str("CONTENT_SECURITY_POLICY", csp.site_policy(_TILE_ORIGIN))
CONTENT_SECURITY_POLICY_ADMIN = env_str(
    "CONTENT_SECURITY_POLICY_ADMIN", csp.admin_policy(_TILE_ORIGIN)
)
CSP_RELAXED_PATH_PREFIXES = ["/admin/", "/django-admin/"]
CSRF_COOKIE_HTTPONLY = False  # read by the small scripts that post forms with fetch()
if IS_PRODUCTION:
    # TLS ends at the reverse proxy, which says so with X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes from inside the network speak plain HTTP

# --- LTI tool ----------------------------------------------------------------------------

# Seconds to wait for a platform's key set (fetched on each launch) or its services.
LTI_HTTP_TIMEOUT = env_int("LTI_HTTP_TIMEOUT", 10)
# Grades go back to a platform's grade book from the task worker after commit; a failed send is
# retried after LTI_RETRY_SECONDS, doubling up to LTI_RETRY_MAX_SECONDS (and by the sweep).
LTI_RETRY_SECONDS = env_int("LTI_RETRY_SECONDS", 30)
LTI_RETRY_MAX_SECONDS = env_int("LTI_RETRY_MAX_SECONDS", 3600)
LTI_SCORE_BATCH_SIZE = env_int("LTI_SCORE_BATCH_SIZE", 50)
# Platform courses' class lists (NRPS) are synced into their cohorts this often by the worker.
LTI_ROSTER_SYNC_SECONDS = env_int("LTI_ROSTER_SYNC_SECONDS", 6 * 3600)
# LTI_FRAMED_SESSIONS=true: lessons launched from a learning platform on another site stay
# signed in inside its frame. Browsers send a cookie to a framed site only when it is
# SameSite=None and Secure, so this needs HTTPS, and loosens the CSRF cookie too (its checks of
# the Origin header and token stay). Off by default: the site's cookies stay SameSite=Lax.
LTI_FRAMED_SESSIONS = env_bool("LTI_FRAMED_SESSIONS", default=False)
if LTI_FRAMED_SESSIONS:
    SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "None"
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True

# --- Reverse proxy cache -----------------------------------------------------------------

# The production shape's nginx keeps anonymous pages as their Cache-Control allows
# (deploy/nginx/landscape.conf.template). With its address set here, publishing, unpublishing or
# moving a page sends it PURGE for the page's URLs (Wagtail's frontend cache invalidation), and
# config.proxy_cache.purge_urls() does the same for any other URL the app changes.
FRONTEND_CACHE_PURGE_URL = env_str("FRONTEND_CACHE_PURGE_URL").rstrip("/")
if FRONTEND_CACHE_PURGE_URL:
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
    WAGTAILFRONTENDCACHE = {
        "nginx": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": FRONTEND_CACHE_PURGE_URL,
        }
    }
    # config.proxy_cache.purge_urls names every language prefix itself (Wagtail's rewriting of
    # a /xx/ prefix cannot reach the unprefixed default language).
    WAGTAILFRONTENDCACHE_LANGUAGES: list[str] = []

# --- Benchmarks --------------------------------------------------------------------------

# bench/run's trivial ceiling view and per-response query counter (config/bench.py); never on in
# production.
BENCH_MODE = env_bool("BENCH_MODE", default=False) and not IS_PRODUCTION
if BENCH_MODE:
    MIDDLEWARE.insert(0, "config.bench.QueryCountMiddleware")

# --- Logging -----------------------------------------------------------------------------

LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
LOGGING = logging_config(LOG_LEVEL)
