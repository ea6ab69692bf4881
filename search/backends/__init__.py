"""The backend chosen by settings: Elasticsearch when ``ELASTICSEARCH_URL`` is set, else the
database. Views and apps never import a backend directly; they call ``search.query``."""

from __future__ import annotations

from functools import cache

from django.conf import settings

from search.backends.base import SearchBackend


def get_backend(name: str | None = None) -> SearchBackend:
    return _backend(name or settings.SEARCH["BACKEND"])


@cache
def _backend(name: str) -> SearchBackend:
    if name == "elasticsearch":
        from search.backends.elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend.from_settings()
    if name == "database":
        from search.backends.database import DatabaseBackend

        return DatabaseBackend()
    raise ValueError(f"Unknown search backend {name!r}")


def fallback_backend() -> SearchBackend | None:
    """The backend that answers while the configured one is down (``SEARCH_FALLBACK``), if any."""
    name = settings.SEARCH.get("FALLBACK") or ""
    if not name or name == settings.SEARCH["BACKEND"]:
        return None
    return _backend(name)


def writable_backends() -> list[SearchBackend]:
    """Every backend the indexing tasks keep up to date: the configured one, and the fallback
    (so that it has something to answer with when it is needed)."""
    fallback = fallback_backend()
    return [get_backend()] + ([fallback] if fallback is not None else [])


def reset_backends() -> None:
    """Forget built backends (tests that change settings call this)."""
    _backend.cache_clear()
