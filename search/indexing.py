"""Keeping the index in step with the database: one object at a time, or all of them.

Writes hand over ``(label, pk)`` after commit and a background task does the work
(``search.tasks``), so a slow or absent search engine never blocks or breaks a write. A failure
is logged; ``manage.py search_check`` finds what it left behind.
"""

from __future__ import annotations

import logging
from typing import Any

from search import sources
from search.backends import get_backend
from search.types import SearchDocument

logger = logging.getLogger(__name__)


def reindex(label: str, pk: Any) -> SearchDocument | None:
    """Bring one object's entry up to date: write it, or remove it if it must not be found."""
    backend = get_backend()
    obj = sources.load(label, pk)
    document = sources.build(obj) if obj is not None else None
    if document is None:
        backend.delete([f"{label}:{pk}"])
        return None
    backend.upsert([document])
    return document


def remove(key: str) -> None:
    get_backend().delete([key])


def rebuild(*, progress=None) -> int:
    """Rebuild the whole index behind the scenes and switch to it when complete."""
    return get_backend().rebuild(sources.all_documents(), progress=progress)


def drift() -> dict[str, set[str]]:
    """Keys in the database but not the index (``missing``) and the other way (``stale``)."""
    expected = {document.key for document in sources.all_documents()}
    indexed = get_backend().keys()
    return {"missing": expected - indexed, "stale": indexed - expected}
