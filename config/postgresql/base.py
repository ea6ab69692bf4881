"""Django's PostgreSQL backend with one change: a flush that keeps the sequences deletes the
rows instead of truncating the tables.

Django documents subclassing its built-in backends ("Subclassing the built-in database
backends", ref/databases): ``ENGINE = "config.postgresql"`` names this module's package.

Why: every transactional test (a live server, a socket test) ends with a flush of all 170-odd
tables, and PostgreSQL's ``TRUNCATE`` of that many tables costs seconds (each table and index
gets a new file; measured on this schema: 10-13 s a flush on the loaded 2-core machine, where
``DELETE FROM`` each table took 0.4-0.5 s). A test leaves a few rows, so deleting them is the
cheap way. Only the flush Django's ``TransactionTestCase`` asks for takes it: it keeps the
sequences (``reset_sequences=False``) and cascades nothing. ``manage.py flush`` resets the
sequences and so still truncates, as Django does.

Deleting in any order is safe because Django creates every foreign key ``DEFERRABLE INITIALLY
DEFERRED`` and runs the flush in one transaction (``execute_sql_flush``): the keys are checked
at commit, when every row is gone. ``tests/config/test_postgresql_flush.py`` holds both facts.
"""

from __future__ import annotations

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return super().sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return [
            "SET CONSTRAINTS ALL DEFERRED;",
            *(
                f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
                for table in tables
            ),
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
