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


def reset_backends() -> None:
    """Forget built backends (tests that change settings call this)."""
    _backend.cache_clear()
