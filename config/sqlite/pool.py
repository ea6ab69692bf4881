"""Open SQLite connections kept by a process for its next user: the database backend's
(``config.sqlite.base``) and the cache's (``config.sqlite_cache``).

Daphne runs each request on a thread of its own, so anything kept per thread is thrown away
with the request; these are kept per process, per database file, at most ``size`` of each.
A forked child starts with none (it must not share its parent's connections).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import weakref

_every_pool: weakref.WeakSet[ConnectionPool] = weakref.WeakSet()


class ConnectionPool:
    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: dict[str, list[sqlite3.Connection]] = {}
        self._lock = threading.Lock()
        _every_pool.add(self)

    def take(self, key: str) -> sqlite3.Connection | None:
        """A kept connection to ``key``'s file, or ``None`` (open a new one)."""
        with self._lock:
            kept = self._kept.get(key)
            return kept.pop() if kept else None

    def give(self, key: str, connection: sqlite3.Connection) -> bool:
        """Keep ``connection`` if there is room; the caller closes it otherwise."""
        with self._lock:
            kept = self._kept.setdefault(key, [])
            if len(kept) < self.size:
                kept.append(connection)
                return True
        return False

    def close_all(self) -> int:
        """Close every kept connection (a test removing its file, a process about to exit);
        returns how many were closed."""
        with self._lock:
            kept = [connection for each in self._kept.values() for connection in each]
            self._kept.clear()
        for connection in kept:
            connection.close()
        return len(kept)

    def _forget(self) -> None:
        self._kept = {}
        self._lock = threading.Lock()


def _after_fork_in_child() -> None:
    for pool in list(_every_pool):
        pool._forget()


os.register_at_fork(after_in_child=_after_fork_in_child)
