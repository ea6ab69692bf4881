"""Purge pages from the production shape's reverse proxy cache (nginx, deploy/nginx/), and tell
the proxy how long it may keep a page.

**How long.** The proxy's freshness is set apart from the browser's: every response gets nginx's
``X-Accel-Expires`` header (nginx reads it before ``Cache-Control`` and never passes it on to
the client). A page the app marks ``public`` and whose address has no query string may be kept
``PROXY_CACHE_SECONDS`` (a few seconds); everything else gets ``0``, so the proxy stores nothing
the app did not mark public, and never a filtered listing (those come from the app's own page
cache, whose versioned keys are correct by construction). A short lifetime with the app's
``ETag`` lets nginx revalidate an expired page with a cheap 304 (``proxy_cache_revalidate``).

**Purges.** Wagtail's frontend cache invalidation (``wagtail.contrib.frontend_cache``, on when
``FRONTEND_CACHE_PURGE_URL`` is set) purges a page's own URL when it is published or
unpublished; the apps' ``cache.py`` modules call :func:`purge_urls` after the writes that change
a stored page (a hidden post, a locked topic, a moved page, a view restriction). Only exact URLs
can be purged: the Debian module nginx uses (ngx_cache_purge 2.3) has no wildcard or prefix
purge. The proxy keeps one copy per address (it ignores ``Vary``, and bypasses every request
that carries a cookie the page may depend on), so one PURGE per address drops it; an address is
purged under every language prefix, since ``i18n_patterns`` serves the same content there.
Nothing revocable may rely on a purge alone: such pages are sent ``private``/``no-cache``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import urljoin, urlsplit, urlunsplit

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse


def enabled() -> bool:
    """Whether a proxy cache is configured (``FRONTEND_CACHE_PURGE_URL``)."""
    return bool(getattr(settings, "FRONTEND_CACHE_PURGE_URL", ""))


def absolute(url: str) -> str:
    """``url`` made absolute on the site's own address (``SITE_URL``): the proxy keys its cache
    on the host and the path with its query string, which is what a PURGE names."""
    return urljoin(settings.SITE_URL + "/", url)


def _language_prefix() -> re.Pattern[str]:
    codes = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
    return re.compile(rf"^/(?:{codes})(?=/)")


def in_every_language(url: str) -> list[str]:
    """``url`` under every language prefix ``i18n_patterns`` serves: unprefixed for the default
    language, ``/es/...`` for the others (whatever prefix ``url`` came with)."""
    parts = urlsplit(url)
    path = _language_prefix().sub("", parts.path) or "/"
    paths = [path] + [
        f"/{code}{path}" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
    ]
    return [urlunsplit(parts._replace(path=each)) for each in paths]


def purge_urls(urls: Iterable[str], *, every_language: bool = True) -> int:
    """Purge these URLs (paths like ``/forums/t/3/`` or absolute URLs) from the proxy cache once
    the current transaction commits, under every language prefix unless told otherwise; how
    many were sent (0 when no proxy cache is configured).

    After commit, so a reader between the purge and the commit cannot refill the proxy with
    the old page. Goes through Wagtail's documented ``purge_urls_from_cache``: a task, run at
    once on the embedded default and by the task worker in production.
    """
    if not enabled():
        return 0
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    expanded = (
        variant for url in urls for variant in (in_every_language(url) if every_language else [url])
    )
    absolute_urls = list(dict.fromkeys(absolute(url) for url in expanded))
    if absolute_urls:
        transaction.on_commit(lambda: purge_urls_from_cache(absolute_urls))
    return len(absolute_urls)


def page_urls(page) -> list[str]:
    """A live page's addresses (its routable sub-paths included); none when it has no URL."""
    url = page.get_url()
    if not url:
        return []
    return [urljoin(url, path.lstrip("/")) for path in page.specific_deferred.get_cached_paths()]


def _storable(response: HttpResponse) -> bool:
    cache_control = response.get("Cache-Control", "").lower()
    if "public" not in cache_control:
        return False
    return not any(word in cache_control for word in ("private", "no-cache", "no-store"))


class ProxyCacheHeadersMiddleware:
    """Set ``X-Accel-Expires`` on every answer: ``PROXY_CACHE_SECONDS`` for a public page at an
    address without a query string, ``0`` (do not store) for everything else.

    Outermost of the caching middleware, so it sees the final ``Cache-Control`` (also on the
    page cache's hits).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        keep = not request.META.get("QUERY_STRING") and _storable(response)
        response["X-Accel-Expires"] = str(settings.PROXY_CACHE_SECONDS if keep else 0)
        return response
