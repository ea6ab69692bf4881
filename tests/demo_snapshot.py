"""The demo, seeded once per test run and copied into the test databases that read it.

``seed_demo`` builds about 130 translated pages through Wagtail and wagtail-localize: 10 s on
a quiet machine, 20-30 s beside a second test process. Some thirty modules and journeys read
the demo, and seeding it for each cost minutes of every CI leg. The first test process to need
it seeds it in its own test database, inside a transaction it rolls back, and keeps every
table's rows (``DemoSnapshot``) in the run's folder, with the files the seed made; the other
processes read that file. ``restore`` writes the rows into a test database: into the module's
transaction for ``demo_site``, committed for a live server's journey (``committed_demo``).

The rows are the database's own values read back through Django's connection (one vendor per
run), so they go back in as they came out. What the seed asks to run after its commit (search
indexing, tasks) runs inside the transaction, as Django's ``captureOnCommitCallbacks`` runs
it, so the rows are what a committed seed leaves. The tests of ``seed_demo`` itself still run
it (tests/network/test_seed_demo.py and the apps' demo tests run it again over the restored
demo, which is what its idempotence promises).
"""

from __future__ import annotations

import fcntl
import io
import pickle
import shutil
from dataclasses import dataclass, field
from pathlib import Path

#: Tables whose rows are the schema's, not the demo's.
_SKIPPED = {"django_migrations"}
#: What SQLite's FTS5 keeps beside a virtual table: written through the virtual table only.
_FTS5_SHADOWS = ("data", "idx", "content", "docsize", "config")


@dataclass
class DemoSnapshot:
    """Every table's rows after ``seed_demo``, what it printed, and where its files are."""

    vendor: str
    output: str
    folder: Path
    #: table -> (columns, rows); a virtual table's first column is its ``rowid``
    tables: dict[str, tuple[list[str], list[tuple]]] = field(default_factory=dict)
    #: made from a database that a transactional test had flushed: kept in this process only
    partial: bool = False


def _tables(connection, cursor) -> tuple[list[str], set[str]]:
    """The tables that hold rows a seed may write, and which of them are virtual (FTS5)."""
    names = [name for name in connection.introspection.table_names(cursor) if name not in _SKIPPED]
    virtual: set[str] = set()
    if connection.vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"
        )
        virtual = {row[0] for row in cursor.fetchall()}
        shadows = {f"{name}_{suffix}" for name in virtual for suffix in _FTS5_SHADOWS}
        names = [name for name in names if name not in shadows]
    return names, virtual


def _dump(connection) -> dict[str, tuple[list[str], list[tuple]]]:
    quote = connection.ops.quote_name
    tables = {}
    with connection.cursor() as cursor:
        names, virtual = _tables(connection, cursor)
        for name in names:
            columns = "rowid, *" if name in virtual else "*"
            cursor.execute(f"SELECT {columns} FROM {quote(name)}")  # noqa: S608 (our tables)
            rows = [tuple(row) for row in cursor.fetchall()]
            if rows:
                tables[name] = ([column[0] for column in cursor.description], rows)
    return tables


def seed(connection, folder: Path) -> DemoSnapshot:
    """Run ``seed_demo`` in this process's test database, keep its rows, roll it back."""
    from django.contrib.auth.models import Permission
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import transaction
    from django.test import TestCase, override_settings

    # A transactional test's flush leaves no permissions (migrations made them): a seed on
    # such a database is not the seed of a migrated one, and is kept for this process only.
    partial = not Permission.objects.using(connection.alias).exists()
    out = io.StringIO()
    with transaction.atomic(using=connection.alias):
        with (
            override_settings(
                MEDIA_ROOT=folder / "media", PRIVATE_MEDIA_ROOT=folder / "private-media"
            ),
            TestCase.captureOnCommitCallbacks(using=connection.alias, execute=True),
        ):
            cache.clear()
            call_command("seed_demo", stdout=out)
        tables = _dump(connection)
        transaction.set_rollback(True, using=connection.alias)
    cache.clear()
    return DemoSnapshot(connection.vendor, out.getvalue(), folder, tables, partial)


def for_run(connection, folder: Path) -> DemoSnapshot:
    """The run's snapshot: read from ``folder`` when another test process made it, or made
    here under a file lock (the other process waits for it rather than seeding too)."""
    target = folder / "demo-snapshot"
    target.mkdir(parents=True, exist_ok=True)
    rows = target / "rows.pickle"
    with (folder / "demo-snapshot.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if rows.exists():
            return pickle.loads(rows.read_bytes())  # noqa: S301 (written by this run)
        local = folder / f"demo-snapshot-{id(connection)}"
        shutil.rmtree(local, ignore_errors=True)
        snapshot = seed(connection, local)
        if snapshot.partial:
            return snapshot
        for name in ("media", "private-media"):
            if (local / name).exists():
                shutil.copytree(local / name, target / name, dirs_exist_ok=True)
        shutil.rmtree(local, ignore_errors=True)
        snapshot.folder = target
        partial_file = rows.with_name("rows.pickle.partial")
        partial_file.write_bytes(pickle.dumps(snapshot, protocol=pickle.HIGHEST_PROTOCOL))
        partial_file.replace(rows)
        return snapshot


def restore(snapshot: DemoSnapshot, connection) -> None:
    """Make the database hold exactly the demo: every table emptied, the snapshot's rows
    written back, PostgreSQL's sequences moved past them. In a transaction of its own (a
    savepoint inside the caller's): the keys are checked once the rows are all back."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.color import no_style
    from django.db import transaction

    if snapshot.vendor != connection.vendor:
        raise RuntimeError(f"a {snapshot.vendor} snapshot cannot fill {connection.vendor}")
    quote = connection.ops.quote_name
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        names, virtual = _tables(connection, cursor)
        for name in names:
            cursor.execute(f"DELETE FROM {quote(name)}")  # noqa: S608 (our tables)
        # Virtual tables last, emptied again: triggers on the other tables write into them
        # (Wagtail's search index entries fill their FTS5 table).
        order = sorted(snapshot.tables, key=lambda name: name in virtual)
        for name in order:
            columns, rows = snapshot.tables[name]
            if name in virtual:
                cursor.execute(f"DELETE FROM {quote(name)}")  # noqa: S608 (our tables)
            listed = ", ".join(quote(column) for column in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {quote(name)} ({listed}) VALUES ({marks})",  # noqa: S608
                rows,
            )
        if connection.vendor == "postgresql":
            models = apps.get_models(include_auto_created=True)
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
    # Content types are cached per process by id: the snapshot's ids are now the database's.
    ContentType.objects.clear_cache()


def copy_files(snapshot: DemoSnapshot, media_root: Path, private_media_root: Path) -> None:
    """The files the seed made (pictures, documents, private uploads), into a test's folders."""
    for name, target in (("media", media_root), ("private-media", private_media_root)):
        source = snapshot.folder / name
        if source.exists():
            shutil.copytree(source, target, dirs_exist_ok=True)
