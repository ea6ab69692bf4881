# Landscape Commons: one image for the HTTP app server (gunicorn), the /ws/ server (daphne), the
# task worker (db_worker) and the one-shot migrate job; and, as the `proxy` target, the nginx in
# front of them with the same build's static files. See docker-compose.yml for the wiring.

# --- Build stage: resolve the locked production dependencies into /app/.venv ---------------
FROM python:3.11-slim AS build

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv

RUN pip install uv==0.13.8

WORKDIR /app
# Only the lock files first, so the dependency layer is reused until they change.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project


# --- Static files: collected once per build, for the proxy image ----------------------------
FROM build AS static
COPY . .
# Production settings refuse to load without a SECRET_KEY and ALLOWED_HOSTS: throw-away values
# for this one step, never written to an image's ENV.
RUN DJANGO_ENV=production STATIC_ROOT=/app/staticfiles \
    SECRET_KEY=build-only-collectstatic-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz \
    ALLOWED_HOSTS=build.invalid \
    /app/.venv/bin/python manage.py collectstatic --noinput


# --- The reverse proxy (docker compose's `proxy`, built with target: proxy) ----------------
# Debian's nginx, because the proxy cache is purged through Debian's ngx_cache_purge module
# (libnginx-mod-http-cache-purge), which the official nginx image cannot load.
FROM debian:bookworm-slim AS proxy
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       nginx libnginx-mod-http-cache-purge gettext-base \
    && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/default \
    && ln -sf /dev/stdout /var/log/nginx/access.log \
    && ln -sf /dev/stderr /var/log/nginx/error.log
COPY deploy/nginx/landscape.conf.template /etc/nginx/templates/landscape.conf.template
COPY deploy/nginx/entrypoint.sh /usr/local/bin/landscape-nginx
COPY --from=static /app/staticfiles /srv/static
EXPOSE 80
CMD ["/usr/local/bin/landscape-nginx"]


# --- Runtime stage (the default target: the app image) ------------------------------------
FROM python:3.11-slim AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH="/app/.venv/bin:$PATH" \
    VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media \
    PRIVATE_MEDIA_ROOT=/app/private-media

# The PDF certificates are set in Debian's DejaVu fonts (credentials/pdf.py).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin app

WORKDIR /app
COPY --from=build /app/.venv /app/.venv
# Code stays root-owned (read-only to the app user); only var/ and media/ are writable.
COPY . .
# The image has no .git: its release (carried by every cache key, config/settings.py) is a
# digest of its code and templates, so a new image never reads the previous one's cache.
RUN find . -path ./.venv -prune -o -type f \( -name '*.py' -o -name '*.html' \) -print \
    | sort | xargs sha256sum | sha256sum | cut -c1-12 > RELEASE

# Hashed, compressed static files are part of the image too: the app needs the manifest to name
# them (nginx serves the files themselves; whitenoise would without a proxy). Production
# settings refuse to load without a SECRET_KEY and ALLOWED_HOSTS, so this one step gets
# throw-away build values; they are never written to the image's ENV and never used at runtime.
RUN DJANGO_ENV=production \
    SECRET_KEY=build-only-collectstatic-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz \
    ALLOWED_HOSTS=build.invalid \
    python manage.py collectstatic --noinput \
    && mkdir -p "$VAR_DIR" "$MEDIA_ROOT" "$PRIVATE_MEDIA_ROOT" \
    && chown -R app:app "$VAR_DIR" "$MEDIA_ROOT" "$PRIVATE_MEDIA_ROOT"

USER app

EXPOSE 8000

# /healthz answers 200 when the database, channel layer, cache and search all respond. The Host
# header is the first ALLOWED_HOSTS entry, so Django does not reject the probe as a bad host.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; h = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.') or 'localhost'; r.urlopen(r.Request('http://127.0.0.1:8000/healthz', headers={'Host': h}), timeout=8)"]

CMD ["python", "-m", "config.server", "-b", "0.0.0.0", "-p", "8000", "config.asgi:application"]
