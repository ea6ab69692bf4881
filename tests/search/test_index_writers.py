"""Index writes do not queue behind one row: each counts itself on its key's shard, and the
index version (which keys cached answers) still moves on with every change."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from search.backends.database import state
from tests.search.conftest import document


def database_only(backend) -> None:
    if backend.name != "database":
        pytest.skip("the database backend's state")


def test_a_document_write_never_updates_the_state_row(backend):
    database_only(backend)
    with CaptureQueriesContext(connection) as context:
        backend.upsert([document("library.casestudypage:1", "Terraces")])
        backend.delete(["library.casestudypage:1"])
    statements = [query["sql"].lower() for query in context.captured_queries]
    assert any("search_indexshard" in sql for sql in statements)
    assert not any(sql.startswith("update") and "search_indexstate" in sql for sql in statements)


def test_every_change_moves_the_version_on_and_never_back(backend):
    database_only(backend)
    seen = [backend.index_version()]
    backend.upsert([document("library.casestudypage:1", "Terraces")])
    seen.append(backend.index_version())
    backend.upsert([document("library.casestudypage:2", "Mangroves")])
    seen.append(backend.index_version())
    backend.upsert([document("library.casestudypage:1", "Terraces again")])
    seen.append(backend.index_version())
    backend.delete(["library.casestudypage:1", "library.casestudypage:2"])
    seen.append(backend.index_version())
    backend.clear()
    seen.append(backend.index_version())
    counts = [int(version.split(".")[1]) for version in seen]
    assert counts == sorted(counts) and len(set(counts)) == len(counts)


def two_keys_on_different_shards() -> tuple[str, str]:
    first = "library.casestudypage:1"
    second = next(
        f"library.casestudypage:{number}"
        for number in range(2, 100)
        if state.shard_of(f"library.casestudypage:{number}") != state.shard_of(first)
    )
    return first, second


@pytest.mark.django_db(transaction=True)
def test_two_writers_of_different_documents_do_not_wait_for_each_other(settings):
    """PostgreSQL locks an updated row until commit: with one row bumped by every write, the
    second writer waited for the first to commit (here: a lock timeout)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time anyway")
    from search.backends import get_backend, reset_backends

    settings.SEARCH = {**settings.SEARCH, "BACKEND": "database"}
    reset_backends()
    backend = get_backend()
    backend.clear()
    first, second = two_keys_on_different_shards()
    written, release = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def first_writer() -> None:
        try:
            with transaction.atomic():
                backend.upsert([document(first, "Terraces")])
                written.set()
                release.wait(timeout=30)
        except BaseException as error:
            failures.append(error)
            written.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=first_writer)
    thread.start()
    try:
        assert written.wait(timeout=30)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '3s'")
            backend.upsert([document(second, "Mangroves")])
    finally:
        release.set()
        thread.join(timeout=30)
    assert not failures
    assert backend.keys() == {first, second}
    backend.clear()
    reset_backends()
