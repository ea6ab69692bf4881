"""Purge pages from the production shape's reverse proxy cache (nginx, deploy/nginx/).

nginx keeps an anonymous page as long as the page's own ``Cache-Control`` allows. Wagtail's
frontend cache invalidation (``wagtail.contrib.frontend_cache``, on when
``FRONTEND_CACHE_PURGE_URL`` is set) already purges a page's URLs when it is published,
unpublished, moved or deleted; this module is for everything else the app changes (a listing,
a forum topic, a snippet shown on many pages): call ``purge_urls`` after the write commits.

Only exact URLs can be purged: the Debian module nginx uses (ngx_cache_purge 2.3) has no wildcard
or prefix purge, so a URL with query strings the app cannot name (a filtered listing) is not
purged and must be marked with a short ``s-maxage`` (or ``private``) by the view that renders it.
Nothing revocable may rely on a purge: such pages are sent ``private``/``no-cache`` and never
stored by the proxy.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urljoin

from django.conf import settings
from django.db import transaction


def enabled() -> bool:
    """Whether a proxy cache is configured (``FRONTEND_CACHE_PURGE_URL``)."""
    return bool(getattr(settings, "FRONTEND_CACHE_PURGE_URL", ""))


def absolute(url: str) -> str:
    """``url`` made absolute on the site's own address (``SITE_URL``): the proxy keys its cache
    on the host and the path with its query string, which is what a PURGE names."""
    return urljoin(settings.SITE_URL + "/", url)


def purge_urls(urls: Iterable[str]) -> int:
    """Purge these URLs (paths like ``/forums/t/3/`` or absolute URLs) from the proxy cache once
    the current transaction commits; how many were sent (0 when no proxy cache is configured).

    Goes through Wagtail's documented ``purge_urls_from_cache``: a task, run at once on the
    embedded default and by the task worker in production.
    """
    if not enabled():
        return 0
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    absolute_urls = list(dict.fromkeys(absolute(url) for url in urls))
    if absolute_urls:
        transaction.on_commit(lambda: purge_urls_from_cache(absolute_urls))
    return len(absolute_urls)
