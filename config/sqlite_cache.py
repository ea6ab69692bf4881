"""The embedded default's cache: one SQLite file that daphne, ``manage.py`` and the task
worker share, written through Django's documented cache backend API ("Using a custom cache
backend": a subclass of ``BaseCache``).

Why not Django's backends (measured on the large data set, 2026-12-06):

- ``FileBasedCache`` lists its whole folder on every ``set`` to decide whether to cull: 4-5 ms
  at 3,000 entries, in Python, holding the GIL. With writes running (the mixed run), every
  page stored and every version created did it, and the one daphne process starved: writes
  at 1.6-2.5 a second, replies p50 5-10 s, "database is locked" after the 20 s busy wait.
- ``DatabaseCache`` needs a second database alias, a router and ``createcachetable`` in every
  process that starts on a fresh folder, and its hits cost 0.4 ms.
- DiskCache's Django backend keeps a connection per thread; daphne runs each request on a
  thread of its own, so every request opened one and set its pragmas: the trivial view fell
  from 339 to 164 requests a second.

How: one table (key, expiry, pickled value) in WAL mode, so readers never wait for a writer
and a write holds the lock for one statement. Connections are kept in a small pool of the
process rather than per thread. Culling looks at the row count every ``CULL_EVERY`` sets,
not every one, and drops the oldest stored entries (a replaced entry counts as new), expired
ones first. A counter's ``incr`` is one transaction, so two processes never lose a step.
Values are pickled, like every Django cache backend: the file must be as private as the
database beside it.
"""

from __future__ import annotations

import pickle
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

from config.sqlite.pool import ConnectionPool

FILE_NAME = "cache.sqlite3"
#: Connections kept per process, enough for the requests one daphne serves at once.
POOL_SIZE = 8
#: A write waits this long for another's lock (each holds it for one statement).
BUSY_TIMEOUT_SECONDS = 5.0
#: How many sets between two looks at the row count (and what can be over MAX_ENTRIES).
CULL_EVERY = 32

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS cache_entry "
    "(key TEXT PRIMARY KEY, expires REAL, value BLOB NOT NULL)",
    "CREATE INDEX IF NOT EXISTS cache_entry_expires ON cache_entry (expires)",
)


@contextmanager
def _transaction(connection: sqlite3.Connection, needed: bool = True) -> Iterator[None]:
    """Several statements as one write (one lock, one commit); a single one needs none."""
    if not needed:
        yield
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


#: Per process, per file: Django makes a backend instance per thread (its cache handler is
#: thread-local, and daphne runs each request on a thread of its own), so the connections and
#: the count of sets live here, not on the instance.
pool = ConnectionPool(POOL_SIZE)
_sets: dict[Path, int] = {}
_lock = threading.Lock()


class SQLiteCache(BaseCache):
    """``LOCATION`` is a folder; the cache is ``cache.sqlite3`` in it."""

    def __init__(self, location: str, params: dict) -> None:
        super().__init__(params)
        self._path = Path(location).resolve() / FILE_NAME

    # --- connections -------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        """A new connection, the file and its table made if missing (a fresh ``VAR_DIR``, or
        a cache folder removed to empty it): connections are kept, so this is rare."""
        self._path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(
            self._path,
            timeout=BUSY_TIMEOUT_SECONDS,
            isolation_level=None,
            check_same_thread=False,
        )
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("PRAGMA journal_mode = WAL")
        for statement in _SCHEMA:
            connection.execute(statement)
        return connection

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        connection = pool.take(str(self._path)) or self._connect()
        try:
            yield connection
        except BaseException:
            connection.close()  # whatever state it was left in goes with it
            raise
        if connection.in_transaction or not pool.give(str(self._path), connection):
            connection.close()

    # --- reads ---------------------------------------------------------------------------

    def get_many(self, keys: Iterable[str], version: int | None = None) -> dict[str, Any]:
        names = {self.make_and_validate_key(key, version=version): key for key in keys}
        if not names:
            return {}
        marks = ",".join("?" * len(names))
        with self._connection() as connection:
            rows = connection.execute(
                f"SELECT key, expires, value FROM cache_entry WHERE key IN ({marks})",  # noqa: S608
                list(names),
            ).fetchall()
        now = time.time()
        return {
            names[key]: pickle.loads(value)  # noqa: S301 (written by this site only)
            for key, expires, value in rows
            if expires is None or expires > now
        }

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        found = self.get_many([key], version=version)
        return found[key] if key in found else default

    def has_key(self, key: str, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._connection() as connection:
            row = connection.execute(
                "SELECT 1 FROM cache_entry WHERE key = ? AND (expires IS NULL OR expires > ?)",
                (key, time.time()),
            ).fetchone()
        return row is not None

    # --- writes --------------------------------------------------------------------------

    def _row(self, key: str, value: Any, timeout: float | None, version: int | None) -> tuple:
        return (
            self.make_and_validate_key(key, version=version),
            self.get_backend_timeout(timeout),
            pickle.dumps(value, pickle.HIGHEST_PROTOCOL),
        )

    def set_many(
        self,
        data: dict[str, Any],
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> list[str]:
        if timeout == 0:  # Django's meaning: expire at once
            self.delete_many(list(data), version=version)
            return []
        rows = [self._row(key, value, timeout, version) for key, value in data.items()]
        with self._connection() as connection, _transaction(connection, len(rows) > 1):
            connection.executemany(
                "INSERT OR REPLACE INTO cache_entry (key, expires, value) VALUES (?, ?, ?)", rows
            )
        with self._connection() as connection:
            self._maybe_cull(connection, len(rows))
        return []

    def set(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        self.set_many({key: value}, timeout=timeout, version=version)

    def add(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        """Store only where nothing live is stored: an expired entry is replaced."""
        row = self._row(key, value, timeout, version)
        with self._connection() as connection:
            cursor = connection.execute(
                "INSERT INTO cache_entry (key, expires, value) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET expires = excluded.expires, "
                "value = excluded.value "
                "WHERE cache_entry.expires IS NOT NULL AND cache_entry.expires <= ?",
                (*row, time.time()),
            )
            added = cursor.rowcount == 1
            if added:
                self._maybe_cull(connection, 1)
        return added

    def touch(
        self, key: str, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._connection() as connection:
            cursor = connection.execute(
                "UPDATE cache_entry SET expires = ? "
                "WHERE key = ? AND (expires IS NULL OR expires > ?)",
                (self.get_backend_timeout(timeout), key, time.time()),
            )
        return cursor.rowcount == 1

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        """One transaction: two processes counting at once never lose a step."""
        name = self.make_and_validate_key(key, version=version)
        with self._connection() as connection, _transaction(connection):
            row = connection.execute(
                "SELECT value FROM cache_entry WHERE key = ? AND (expires IS NULL OR expires > ?)",
                (name, time.time()),
            ).fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(row[0]) + delta  # noqa: S301 (written by this site only)
            connection.execute(
                "UPDATE cache_entry SET value = ? WHERE key = ?",
                (pickle.dumps(value, pickle.HIGHEST_PROTOCOL), name),
            )
        return value

    def delete_many(self, keys: Iterable[str], version: int | None = None) -> None:
        names = [(self.make_and_validate_key(key, version=version),) for key in keys]
        if names:
            with self._connection() as connection, _transaction(connection, len(names) > 1):
                connection.executemany("DELETE FROM cache_entry WHERE key = ?", names)

    def delete(self, key: str, version: int | None = None) -> bool:
        name = self.make_and_validate_key(key, version=version)
        with self._connection() as connection:
            cursor = connection.execute("DELETE FROM cache_entry WHERE key = ?", (name,))
        return cursor.rowcount == 1

    def clear(self) -> None:
        with self._connection() as connection:
            connection.execute("DELETE FROM cache_entry")

    # --- culling -------------------------------------------------------------------------

    def _maybe_cull(self, connection: sqlite3.Connection, stored: int) -> None:
        with _lock:
            count = _sets.get(self._path, 0) + stored
            due = count >= CULL_EVERY
            _sets[self._path] = 0 if due else count
        if due:
            self.cull(connection)

    def cull(self, connection: sqlite3.Connection | None = None) -> int:
        """Drop the expired entries; over ``MAX_ENTRIES``, the oldest stored down to
        ``MAX_ENTRIES`` less its ``1/CULL_FREQUENCY`` (Django's meaning of both options;
        ``CULL_FREQUENCY`` 0 empties the cache). Returns how many were dropped."""
        if connection is None:
            with self._connection() as connection:
                return self.cull(connection)
        dropped = connection.execute(
            "DELETE FROM cache_entry WHERE expires IS NOT NULL AND expires <= ?", (time.time(),)
        ).rowcount
        (count,) = connection.execute("SELECT count(*) FROM cache_entry").fetchone()
        if count > self._max_entries:
            keep = (
                0
                if self._cull_frequency == 0
                else (self._max_entries - self._max_entries // self._cull_frequency)
            )
            dropped += connection.execute(
                "DELETE FROM cache_entry WHERE rowid IN "
                "(SELECT rowid FROM cache_entry ORDER BY rowid LIMIT ?)",
                (count - keep,),
            ).rowcount
        return dropped
