"""The settings module: embedded defaults, services from the environment, production guards.

Each case imports the settings in a fresh interpreter with a controlled environment, exactly as
a server process would start.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REAL_SECRET = "k3J9-xq2LmP0vR7tY4wZ8bN1cD6fG5hS_aE3uI9oQ2pW7yT0rM4nB8vC1xZ6"
PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({
    "db": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"].get("LOCATION"),
    "search": settings.SEARCH["BACKEND"],
    "email": settings.EMAIL_BACKEND,
    "debug": settings.DEBUG,
    "hosts": settings.ALLOWED_HOSTS,
    "tasks": settings.TASKS["default"]["BACKEND"],
}))
"""
SERVICE_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "ELASTICSEARCH_URL",
    "EMAIL_HOST",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DJANGO_ENV",
    "DEBUG",
    "TASKS_BACKEND",
)


def run_python(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": str(tmp_path)}, **env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def read_settings(tmp_path: Path, **env: str) -> dict:
    result = run_python(PRINT_SETTINGS, tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_unset_environment_runs_the_embedded_default(tmp_path):
    values = read_settings(tmp_path)
    assert values["db"] == "config.sqlite"
    assert values["db_name"] == str(tmp_path / "db.sqlite3")
    assert values["layer"] == "config.layers.ThrottledInMemoryChannelLayer"
    # One cache state for daphne, manage.py and the worker: files under VAR_DIR.
    assert values["cache"] == "config.sqlite_cache.SQLiteCache"
    assert values["cache_location"] == str(tmp_path / "cache")
    assert values["search"] == "database"
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"
    assert values["tasks"] == "django_tasks.backends.immediate.ImmediateBackend"
    assert values["debug"] is True


def test_service_urls_switch_to_postgres_redis_elasticsearch_and_smtp(tmp_path):
    values = read_settings(
        tmp_path,
        DATABASE_URL="postgres://lc:pw@db.internal:5432/landscape",
        REDIS_URL="redis://cache.internal:6379/0",
        ELASTICSEARCH_URL="http://search.internal:9200",
        EMAIL_HOST="smtp.internal",
        TASKS_BACKEND="database",
    )
    assert values["db"] == "config.postgresql"  # Django's, with a cheaper test flush
    assert values["layer"] == "channels_redis.core.RedisChannelLayer"
    assert (
        values["cache"] == "config.cache.FaultTolerantRedisCache"
    )  # RedisCache that misses when down
    assert values["search"] == "elasticsearch"
    assert values["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["tasks"] == "django_tasks_db.DatabaseBackend"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALLOWED_HOSTS": "commons.example.org"}, "needs SECRET_KEY"),
        ({"SECRET_KEY": "too-short", "ALLOWED_HOSTS": "commons.example.org"}, "needs SECRET_KEY"),
        (
            {"SECRET_KEY": "django-insecure-" + "x" * 60, "ALLOWED_HOSTS": "commons.example.org"},
            "needs SECRET_KEY",
        ),
        ({"SECRET_KEY": REAL_SECRET}, "needs ALLOWED_HOSTS"),
        ({"SECRET_KEY": REAL_SECRET, "ALLOWED_HOSTS": "*"}, "needs ALLOWED_HOSTS"),
        (
            {"SECRET_KEY": REAL_SECRET, "ALLOWED_HOSTS": "commons.example.org", "DEBUG": "true"},
            "DEBUG must not be true",
        ),
    ],
)
def test_production_refuses_to_start_without_real_secrets(tmp_path, env, message):
    result = run_python(PRINT_SETTINGS, tmp_path, DJANGO_ENV="production", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_malformed_boolean_names_the_variable(tmp_path):
    result = run_python(PRINT_SETTINGS, tmp_path, DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_unknown_environment_name_is_refused(tmp_path):
    result = run_python(PRINT_SETTINGS, tmp_path, DJANGO_ENV="staging")
    assert "DJANGO_ENV must be development, production or test" in result.stderr


def test_production_with_real_secrets_passes_the_deployment_checklist(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "VAR_DIR": str(tmp_path),
            "DJANGO_ENV": "production",
            "SECRET_KEY": REAL_SECRET,
            "ALLOWED_HOSTS": "commons.example.org",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PRINT_SECURITY = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "hsts": s.SECURE_HSTS_SECONDS, "hsts_sub": s.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "ssl_redirect": s.SECURE_SSL_REDIRECT, "proxy": list(s.SECURE_PROXY_SSL_HEADER or []),
    "session_secure": s.SESSION_COOKIE_SECURE, "session_httponly": s.SESSION_COOKIE_HTTPONLY,
    "session_samesite": s.SESSION_COOKIE_SAMESITE, "csrf_secure": s.CSRF_COOKIE_SECURE,
    "csrf_samesite": s.CSRF_COOKIE_SAMESITE, "nosniff": s.SECURE_CONTENT_TYPE_NOSNIFF,
    "referrer": s.SECURE_REFERRER_POLICY, "frame": s.X_FRAME_OPTIONS,
    "csp": s.CONTENT_SECURITY_POLICY, "csp_admin": s.CONTENT_SECURITY_POLICY_ADMIN,
    "middleware": s.MIDDLEWARE,
}))
"""


def read_security(tmp_path: Path, **env: str) -> dict:
    result = run_python(PRINT_SECURITY, tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_hsts_and_only_secure_httponly_samesite_cookies(tmp_path):
    values = read_security(
        tmp_path,
        DJANGO_ENV="production",
        SECRET_KEY=REAL_SECRET,
        ALLOWED_HOSTS="commons.example.org",
    )
    assert values["hsts"] >= 31_536_000
    assert values["hsts_sub"] is True
    assert values["ssl_redirect"] is True
    assert values["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["session_secure"] is True
    assert values["session_httponly"] is True
    assert values["session_samesite"] == "Lax"
    assert values["csrf_secure"] is True
    assert values["csrf_samesite"] == "Lax"
    assert values["nosniff"] is True
    assert values["referrer"] == "strict-origin-when-cross-origin"
    assert values["frame"] == "DENY"
    assert "config.middleware.ContentSecurityPolicyMiddleware" in values["middleware"]
    assert "script-src 'self';" in values["csp"]


def test_development_policies_and_cookies_follow_the_environment(tmp_path):
    values = read_security(
        tmp_path,
        CONTENT_SECURITY_POLICY_ADMIN="default-src 'self'",
        MAP_TILE_URL="https://{s}.tiles.example.org/{z}/{x}/{y}.png",
    )
    assert values["session_secure"] is False  # plain HTTP on a laptop
    assert values["hsts"] == 0
    assert values["csp_admin"] == "default-src 'self'"
    # The map's tile server may serve images; scripts stay our own.
    assert "img-src 'self' data: https://*.tiles.example.org;" in values["csp"]
    assert "script-src 'self';" in values["csp"]


def test_the_site_policy_can_be_replaced_from_the_environment(tmp_path):
    policy = "default-src 'self'; script-src 'self' https://stats.example.org"
    assert read_security(tmp_path, CONTENT_SECURITY_POLICY=policy)["csp"] == policy


def test_the_asgi_application_is_djangos_own_and_leaves_the_collector_alone(tmp_path):
    """config/asgi.py builds HTTP with Django's public ``get_asgi_application()`` (Channels'
    tutorial shape) and changes nothing process-wide: importing it (as daphne and the tests
    do) leaves the garbage collector's thresholds and frozen objects as Python set them."""
    code = (
        "import gc\n"
        "before = (gc.get_freeze_count(), gc.get_threshold())\n"
        "import config.asgi\n"
        "from django.core.handlers.asgi import ASGIHandler\n"
        "app = config.asgi.django_asgi_app\n"
        "print(type(app) is ASGIHandler, before == (gc.get_freeze_count(), gc.get_threshold()))\n"
    )
    result = run_python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["True", "True"]


PRINT_CONNECTIONS = """
import json, django
django.setup()
from django.conf import settings
default = settings.DATABASES["default"]
print(json.dumps({"max_age": default["CONN_MAX_AGE"], "pool": default["OPTIONS"].get("pool")}))
"""


@pytest.mark.parametrize(
    ("env", "pool"),
    [
        ({}, None),
        (
            {"DATABASE_URL": "postgres://u:p@db.example:5432/commons"},
            {"min_size": 2, "max_size": 16},
        ),
        (
            {
                "DATABASE_URL": "postgres://u:p@db.example:5432/commons",
                "DATABASE_POOL_MAX_SIZE": "4",
            },
            {"min_size": 2, "max_size": 4},
        ),
        (
            {
                "DATABASE_URL": "postgres://u:p@db.example:5432/commons",
                "DATABASE_POOL_MAX_SIZE": "0",
            },
            None,
        ),
    ],
    ids=["sqlite", "postgres", "postgres-sized", "postgres-no-pool"],
)
def test_connections_close_after_each_request_and_postgres_pools_them(tmp_path, env, pool):
    """Under ASGI each request has a thread of its own, so connections are not kept on threads
    (CONN_MAX_AGE 0, as Django's async docs advise); PostgreSQL borrows them from Django's
    connection pool instead."""
    result = run_python(PRINT_CONNECTIONS, tmp_path, **env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {"max_age": 0, "pool": pool}


def test_the_server_entry_point_sets_the_collector_for_daphne_alone(tmp_path):
    """``python -m config.server`` (make run, the image, bench/) freezes the start-up objects
    and spaces collections out before daphne serves; nothing else imports it."""
    code = (
        "import gc, sys\n"
        "from config import server\n"
        "server.tune_collector()\n"
        "print(gc.get_freeze_count(), 'forums.views' in sys.modules, *gc.get_threshold())\n"
    )
    result = run_python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    frozen, views_loaded, *thresholds = result.stdout.split()[-5:]
    assert int(frozen) > 50_000
    assert views_loaded == "True"
    assert tuple(int(number) for number in thresholds) == (10_000, 20, 100)
