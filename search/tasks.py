"""Background indexing tasks (django-tasks: immediate on the embedded default, a database queue
with a worker in production). Arguments are labels and keys, never objects."""

from __future__ import annotations

import logging

from django_tasks import task

from search import indexing

logger = logging.getLogger(__name__)


@task()
def reindex_object(label: str, pk: str) -> None:
    try:
        indexing.reindex(label, pk)
    except Exception:  # the write already happened; the drift check will catch this one
        logger.exception("Search indexing failed for %s:%s", label, pk)


@task()
def remove_document(key: str) -> None:
    try:
        indexing.remove(key)
    except Exception:
        logger.exception("Search removal failed for %s", key)


@task()
def reindex_dependents(label: str, pk: str) -> None:
    """Everything built partly from one object (a topic's posts, a category's topics and
    posts), in one task: a topic of 300 posts is one row in the queue, not 300."""
    try:
        indexing.reindex_dependents(label, pk)
    except Exception:
        logger.exception("Search indexing failed for what depends on %s:%s", label, pk)
