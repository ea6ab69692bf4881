"""Whole-page cache for anonymous visitors, and the cache headers of every HTML page.

One daphne process renders a Wagtail page in tens of milliseconds but answers a cached one in
well under one: anonymous readers (most of the traffic of a knowledge site) share one rendering
per language, path and query string. What makes this safe:

- Only requests that carry no session or messages cookie are served from or stored in the cache,
  so a signed-in member never sees someone else's page and never gets a public one.
- Only ``200 text/html`` answers to ``GET`` are stored, and only if rendering set no cookie: a
  page that used a CSRF token (any POST form) sets the CSRF cookie, so one visitor's token is
  never handed to another. Views marked ``never_cache``/``private`` are never stored.
- Every key carries the current *version* of each family of content the pages are built from
  (``pages``, ``vocabularies``, ``network``, ``forums``). Publishing, unpublishing, moving or
  deleting a page, saving a snippet, a partnership or a forum post bumps its family's version
  (``config.signal_handlers``), so every cached page built from older content is never read
  again and expires on its own. Smaller caches (the main navigation, vocabularies, locales) key
  on the version of the one family they read.

Headers: a public page gets ``Cache-Control: public, max-age=PAGE_CACHE_MAX_AGE`` and an
``ETag``; everything else HTML gets ``private, no-cache`` (a browser may keep it but must
revalidate, which the ETag turns into a cheap 304 on slow links). ``Vary: Cookie`` tells shared
caches that signed-in visitors get another page.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.module_loading import import_string
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

FAMILIES = ("pages", "vocabularies", "network", "forums")
_VERSION_KEY = "pagecache:version:{}"
#: Headers the cache keeps with a page; the outer middleware add theirs on every answer.
_SKIPPED_HEADERS = {"set-cookie", "date", "x-page-cache"}


def versions(*families: str) -> tuple[int, ...]:
    """The current version of each family (all of them by default), creating missing ones.

    A missing version (never set, or evicted) restarts from the clock, never from 1, so a page
    cached under an old version number can never be mistaken for a current one.
    """
    families = families or FAMILIES
    keys = [_VERSION_KEY.format(family) for family in families]
    found = cache.get_many(keys)
    missing = {key: time.time_ns() for key in keys if key not in found}
    if missing:
        cache.set_many(missing, timeout=None)
        found.update(missing)
    return tuple(found[key] for key in keys)


def bump(*families: str) -> None:
    """Make every cached page built from these families stale: now, and again after commit.

    Now, so the writer's own transaction (and a test) sees fresh pages at once; after commit,
    so a page rendered by another request between the bump and the commit (still showing the
    old content) is never kept under the new version.
    """

    def _bump() -> None:
        for family in families:
            key = _VERSION_KEY.format(family)
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, time.time_ns(), timeout=None)
            except Exception:  # a cache that is down: pages expire after PAGE_CACHE_TIMEOUT
                logger.warning("Could not invalidate the page cache (%s)", family, exc_info=True)

    _bump()
    transaction.on_commit(_bump)


def cached_value(name: str, family: str, build: Callable[[], object], timeout: int | None = None):
    """A small derived value (menu items, vocabulary choices) cached until ``family`` changes.

    The value is stored with the version it was built under, and read with the current version
    in one round trip to the cache: a page reads several of these, and on Redis each trip
    counts. A value built under an older version is built again. A cache that is down costs
    the queries the value saves, never the page.
    """
    version_key = _VERSION_KEY.format(family)
    key = f"pagecache:value:{name}"
    try:
        found = cache.get_many([version_key, key])
        version = found.get(version_key)
        if version is None:
            version = versions(family)[0]
        entry = found.get(key)
    except Exception:
        logger.warning("Cache unavailable for %s", name, exc_info=True)
        return build()
    if entry is not None and entry[0] == version:
        return entry[1]
    value = build()
    if value is not None:
        try:
            cache.set(key, (version, value), timeout or settings.PAGE_CACHE_TIMEOUT)
        except Exception:
            logger.warning("Could not cache %s", name, exc_info=True)
    return value


def restricted_sections() -> list[tuple[str, int]]:
    """``(path, depth)`` of every page with a view restriction, cached until one changes."""
    from wagtail.models import PageViewRestriction

    return cached_value(
        "restricted-sections",
        "pages",
        lambda: list(PageViewRestriction.objects.values_list("page__path", "page__depth")),
    )


class CachedRestrictionsMixin:
    """For page models: skip Wagtail's two queries for view restrictions on every request while
    no page of the site has one (the usual case); once one exists, Wagtail's check runs."""

    def get_view_restrictions(self):
        if not restricted_sections():
            from wagtail.models import PageViewRestriction

            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


def _unprefixed(path: str) -> str:
    """The path without its language prefix: /es/search/ is treated like /search/."""
    language_prefix = f"/{get_language()}/"
    return path[len(language_prefix) - 1 :] if path.startswith(language_prefix) else path


def _is_public_request(request: HttpRequest) -> bool:
    """A request the same for every anonymous visitor (whether or not the cache is on)."""
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False  # signed in, or an anonymous session carrying state: render for them
    return not _unprefixed(request.path_info).startswith(tuple(settings.PAGE_CACHE_EXCLUDED_PATHS))


def _extra_version(request: HttpRequest) -> str | None:
    """The version of what a page under one of ``PAGE_CACHE_VERSIONED_PATHS`` is built from
    beyond the content families (the search index for /search/); ``""`` for other pages, and
    ``None`` when it cannot be told, so the page is not cached."""
    path = _unprefixed(request.path_info)
    for prefix, dotted in settings.PAGE_CACHE_VERSIONED_PATHS.items():
        if path.startswith(prefix):
            return import_string(dotted)()
    return ""


def _may_store(request: HttpRequest, response: HttpResponse) -> bool:
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # a CSRF token (or any cookie) belongs to one visitor
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    cache_control = response.get("Cache-Control", "")
    return not any(word in cache_control for word in ("private", "no-cache", "no-store"))


def _key(request: HttpRequest) -> str | None:
    extra = _extra_version(request)
    if extra is None:
        return None
    path = hashlib.md5(request.get_full_path().encode(), usedforsecurity=False).hexdigest()
    version = ".".join(str(number) for number in versions())
    return f"pagecache:page:{version}:{extra}:{request.get_host()}:{get_language()}:{path}"


def _set_headers(response: HttpResponse, *, public: bool) -> None:
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    if not response.has_header("Cache-Control"):
        response["Cache-Control"] = (
            f"public, max-age={settings.PAGE_CACHE_MAX_AGE}" if public else "private, no-cache"
        )
    patch_vary_headers(response, ("Cookie",))


class AnonymousPageCacheMiddleware:
    """Serve and store anonymous HTML pages; set the cache headers of every HTML page.

    Sits after ``LocaleMiddleware`` (the key includes the active language) and before
    ``CsrfViewMiddleware`` (so it sees the CSRF cookie a page set, and refuses to store it).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _is_public_request(request):
            response = self.get_response(request)
            _set_headers(response, public=False)
            return response
        if not settings.PAGE_CACHE_ENABLED:
            response = self.get_response(request)
            _set_headers(response, public=_may_store(request, response))
            return response
        try:
            key = _key(request)
            entry = cache.get(key) if key is not None else None
        except Exception:  # a cache that is down only costs a rendering
            logger.warning("Page cache unavailable", exc_info=True)
            key, entry = None, None
        if entry is not None:
            headers, content = entry
            response = HttpResponse(content, headers=headers)
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if key is not None and _may_store(request, response):
            if not response.has_header("ETag"):
                digest = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
                response["ETag"] = f'"{digest}"'
            _set_headers(response, public=True)
            headers = {
                name: value
                for name, value in response.items()
                if name.lower() not in _SKIPPED_HEADERS
            }
            try:
                cache.set(key, (headers, response.content), settings.PAGE_CACHE_TIMEOUT)
            except Exception:
                logger.warning("Could not store a page in the cache", exc_info=True)
            response["X-Page-Cache"] = "miss"
        else:
            _set_headers(response, public=False)
        return response
