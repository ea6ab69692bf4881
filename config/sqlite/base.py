"""Django's SQLite backend with one change: a closed connection is kept open for the next
request of the process instead of being thrown away.

Django documents subclassing its built-in backends ("Subclassing the built-in database
backends", ref/databases): ``ENGINE = "config.sqlite"`` names this module's package.

Why: daphne runs each request's sync code on a thread of its own, and Django's connections
belong to a thread, so under ASGI every request opens a new connection and closes it at the
end (Django's async docs: no persistent connections, use the backend's pool; SQLite has none).
Opening is cheap, but SQLite reads and parses the whole schema (every table, index and
trigger of Wagtail and the apps) on a new connection's first statement: 4.2 ms on the large
data set, more than a cached page costs. A kept connection has its schema parsed already, and
SQLite checks the schema's version on every statement, so a migration run by another process
is still seen.

How: it is the pattern of Django's own PostgreSQL pool (``OPTIONS["pool"]``), which hands
its connection back in ``_close``. A connection goes back to the pool only when nothing of it
can leak into the next request: outside any transaction (a close inside ``atomic`` is a real
close, as is one whose rollback fails), and the per-connection settings Django changes on
purpose are set again when it is taken (``foreign_keys``, which ``loaddata`` and migrations
turn off). At most ``POOL_SIZE`` wait (the requests one process serves at once); more are
closed. In-memory databases are never closed by Django's backend, so they never reach the
pool. ``tests/config/test_sqlite_pool.py`` pins the upstream methods this relies on.
"""

from __future__ import annotations

from django.db.backends.sqlite3 import base

from config.sqlite.pool import ConnectionPool

#: Connections kept per database file, enough for the requests one daphne serves at once.
POOL_SIZE = 8

pool = ConnectionPool(POOL_SIZE)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        key = str(conn_params["database"])
        kept = pool.take(key)
        if kept is None:
            connection = super().get_new_connection(conn_params)
        else:
            connection = kept
            # Whatever the previous user changed on purpose (loaddata, migrations) is undone.
            connection.execute("PRAGMA foreign_keys = ON")
        self._pool_key = key
        return connection

    def _close(self):
        connection = self.connection
        key = getattr(self, "_pool_key", None)
        if connection is None or key is None or self.in_atomic_block:
            return super()._close()
        try:
            if connection.in_transaction:
                connection.rollback()
        except self.Database.Error:
            return super()._close()
        if pool.give(key, connection):
            return None
        return super()._close()
