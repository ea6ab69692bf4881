"""Search across the network.

Other apps use only the functions re-exported here (``search.query``, ``search.suggest``,
``search.index_object``, ``search.backend_status``); which backend answers (Elasticsearch or
the database) is decided by settings and never seen by callers. They are loaded on first use,
because this package is imported while Django is still loading its apps.
"""

from importlib import import_module

_EXPORTS = {
    "backend_status": "search.health",
    "index_object": "search.service",
    "query": "search.service",
    "suggest": "search.service",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'search' has no attribute {name!r}")
