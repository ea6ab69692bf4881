"""Keeping the index in step with the database: one object at a time, or all of them.

Writes hand over ``(label, pk)`` after commit and a background task does the work
(``search.tasks``), so a slow or absent search engine never blocks or breaks a write. A failure
is logged; ``manage.py search_check`` finds what it left behind.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from search import sources
from search.backends import get_backend, writable_backends
from search.types import SearchDocument

logger = logging.getLogger(__name__)


def _each_backend(action, description: str) -> None:
    """Apply ``action`` to every backend kept up to date; one being down does not stop the
    others (the fallback must stay current precisely while the main engine is down). The first
    failure is re-raised afterwards, so the task still logs it."""
    failure: Exception | None = None
    for backend in writable_backends():
        try:
            action(backend)
        except Exception as error:
            logger.warning("Search %s failed on %s: %s", description, backend.name, error)
            failure = failure or error
    if failure is not None:
        raise failure


def reindex(label: str, pk: Any) -> SearchDocument | None:
    """Bring one object's entry up to date: write it, or remove it if it must not be found."""
    obj = sources.load(label, pk)
    document = sources.build(obj) if obj is not None else None
    if document is None:
        _each_backend(lambda backend: backend.delete([f"{label}:{pk}"]), f"removal of {label}:{pk}")
        return None
    _each_backend(lambda backend: backend.upsert([document]), f"indexing of {label}:{pk}")
    return document


#: Documents written to (or removed from) the index in one call when reindexing many.
BATCH_SIZE = 500


def reindex_many(objects: Iterable[Any]) -> int:
    """Bring many objects' entries up to date, a batch of documents per index write; returns
    how many were written. Each object is built as ``reindex`` builds it."""
    written = 0
    documents: list[SearchDocument] = []
    gone: list[str] = []

    def flush() -> None:
        if documents:
            batch = list(documents)
            _each_backend(lambda backend: backend.upsert(batch), f"indexing of {len(batch)}")
        if gone:
            keys = list(gone)
            _each_backend(lambda backend: backend.delete(keys), f"removal of {len(keys)}")
        documents.clear()
        gone.clear()

    for obj in objects:
        document = sources.build(obj)
        if document is None:
            gone.append(sources.document_key(obj))
        else:
            documents.append(document)
            written += 1
        if len(documents) + len(gone) >= BATCH_SIZE:
            flush()
    flush()
    return written


def reindex_dependents(label: str, pk: Any) -> int:
    """Reindex what is built partly from the ``label`` object (``sources.dependents``), set by
    set: one query per kind of dependent, a batch of documents per index write."""
    return sum(
        reindex_many(queryset.iterator(chunk_size=BATCH_SIZE))
        for _child_label, queryset in sources.dependents_of(label, pk)
    )


def remove(key: str) -> None:
    _each_backend(lambda backend: backend.delete([key]), f"removal of {key}")


def rebuild(*, progress=None) -> int:
    """Rebuild the whole index behind the scenes and switch to it when complete (and the
    fallback's too, when one is configured)."""
    counts = [
        backend.rebuild(sources.all_documents(), progress=progress)
        for backend in writable_backends()
    ]
    return counts[0]


def drift() -> dict[str, set[str]]:
    """Keys in the database but not the index (``missing``) and the other way (``stale``)."""
    expected = {document.key for document in sources.all_documents()}
    indexed = get_backend().keys()
    return {"missing": expected - indexed, "stale": indexed - expected}
