"""The search interface other apps and the views call (re-exported by ``search``)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import cache
from django.utils.translation import get_language

from search.audience import audiences_for
from search.backends import fallback_backend, get_backend
from search.backends.base import SearchBackend, SearchUnavailable
from search.types import FACETS, PUBLIC, BoundingBox, SearchRequest, SearchResults

MAX_PAGE = 100
logger = logging.getLogger(__name__)


def query(
    text: str,
    *,
    user: AbstractBaseUser | AnonymousUser,
    filters: dict[str, Iterable[str]] | None = None,
    facets: tuple[str, ...] = FACETS,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 10,
    geo: BoundingBox | None = None,
    located_only: bool = False,
    language: str | None = None,
) -> SearchResults:
    """Search everything ``user`` may see; the same answer shape from every backend."""
    request = SearchRequest(
        text=text.strip()[:200],
        audiences=audiences_for(user),
        reader_language=(language or get_language() or "en").split("-")[0],
        filters={name: tuple(values) for name, values in (filters or {}).items() if values},
        facets=facets,
        sort=sort if sort in ("relevance", "date") else "relevance",
        page=min(max(1, page), MAX_PAGE),
        per_page=per_page,
        geo=geo,
        located_only=located_only,
    )
    try:
        return _answer(get_backend(), request)
    except SearchUnavailable:
        fallback = fallback_backend()
        if fallback is None:
            raise
        logger.warning("Search backend unavailable; answering from the %s fallback", fallback.name)
    results = _answer(fallback, request)
    # The page says these came from the simpler backup search.
    return dataclasses.replace(results, extra={**results.extra, "fallback": fallback.name})


def _answer(backend: SearchBackend, request: SearchRequest) -> SearchResults:
    """The backend's answer, from the cache when the same public search was answered since
    the index last changed.

    Only searches limited to public documents are cached (what anonymous visitors ask, most of
    the traffic): nothing private ever enters the shared cache. The key carries the backend's
    index version, which every write to the index changes in the write's own transaction, so
    an answer cached before a write is never read after it, whichever process wrote.
    """
    timeout = settings.SEARCH.get("CACHE_TIMEOUT", 0)
    if not timeout or request.audiences != (PUBLIC,):
        return backend.query(request)
    version = backend.index_version()
    if version is None:
        return backend.query(request)
    asked = json.dumps(dataclasses.asdict(request), sort_keys=True, default=str)
    digest = hashlib.md5(asked.encode(), usedforsecurity=False).hexdigest()
    key = f"search:answer:{backend.name}:{version}:{digest}"
    results = cache.get(key)
    if results is None:
        results = backend.query(request)
        # The key goes with the answer, so a page can key what it renders from it.
        results.extra = {**results.extra, "answer_key": key}
        cache.set(key, results, timeout)
    return results


def page_cache_version() -> str | None:
    """The index version anonymous search pages are cached under (config/page_cache.py), or
    None (not cached) when the backend cannot tell or is unavailable, or caching is off."""
    if not settings.SEARCH.get("CACHE_TIMEOUT", 0):
        return None
    try:
        return get_backend().index_version()
    except SearchUnavailable:
        return None


def suggest(prefix: str, *, user: AbstractBaseUser | AnonymousUser, limit: int = 8) -> list[dict]:
    """Autocomplete: titles the user may see that start with (a word starting with) ``prefix``."""
    audiences = audiences_for(user)
    try:
        return get_backend().suggest(prefix[:100], audiences=audiences, limit=limit)
    except SearchUnavailable:
        fallback = fallback_backend()
        if fallback is None:
            raise
        return fallback.suggest(prefix[:100], audiences=audiences, limit=limit)


def index_object(obj) -> None:
    """Ask for ``obj`` to be (re)indexed after the current transaction commits."""
    from search.signal_handlers import schedule_reindex

    schedule_reindex(obj)
