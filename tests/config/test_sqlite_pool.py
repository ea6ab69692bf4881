"""The embedded default's SQLite backend keeps a closed connection for the next request
(``config/sqlite``): what it keeps, what it never hands on, and the upstream methods it
stands on, pinned so that a Django upgrade that changes them fails here."""

from __future__ import annotations

import copy
import inspect
import sqlite3
from pathlib import Path

import pytest
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.db.utils import load_backend

from config.sqlite import base as pooled

ALIAS = "pool_probe"


@pytest.fixture
def database(tmp_path: Path, django_db_blocker):
    """Makes wrappers of the pooled backend on a database file of its own (not the suite's,
    whose connection the test's transaction holds), the last one registered
    under ``ALIAS`` so ``transaction.atomic(using=ALIAS)`` reaches it."""
    settings_dict = copy.deepcopy(connections.settings["default"])
    settings_dict.update(ENGINE="config.sqlite", NAME=str(tmp_path / "pool.sqlite3"))
    settings_dict["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 5}
    backend = load_backend("config.sqlite")
    made = []

    def wrapper():
        made.append(backend.DatabaseWrapper(copy.deepcopy(settings_dict), alias=ALIAS))
        connections[ALIAS] = made[-1]
        return made[-1]

    with django_db_blocker.unblock():  # a database of its own, not the suite's
        yield wrapper
    for each in made:
        each.close()
    del connections[ALIAS]
    pooled.pool.close_all()


def _raw(wrapper) -> sqlite3.Connection:
    wrapper.ensure_connection()
    return wrapper.connection


def test_a_closed_connection_is_handed_to_the_next_request(database) -> None:
    first = database()
    raw = _raw(first)
    first.close()
    second = database()
    assert _raw(second) is raw
    with second.cursor() as cursor:  # and it works, in autocommit as Django sets it
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert second.get_autocommit()


def test_a_connection_closed_inside_a_transaction_is_closed_for_real(database) -> None:
    first = database()
    raw = _raw(first)
    with pytest.raises(RuntimeError), transaction.atomic(using=ALIAS):
        first.close()
        raise RuntimeError("the request failed")
    with pytest.raises(sqlite3.ProgrammingError):
        raw.execute("SELECT 1")  # closed, so never handed on half-done
    assert _raw(database()) is not raw


def test_what_the_last_user_turned_off_is_on_again(database) -> None:
    """``loaddata`` and migrations turn foreign keys off on their connection."""
    first = database()
    assert first.disable_constraint_checking()
    first.close()
    second = database()
    with second.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone() == (1,)


def test_a_kept_connection_sees_a_table_another_process_created(database, tmp_path) -> None:
    first = database()
    _raw(first)
    first.close()
    other = sqlite3.connect(tmp_path / "pool.sqlite3")
    other.execute("CREATE TABLE made_elsewhere (id integer primary key)")
    other.execute("INSERT INTO made_elsewhere VALUES (7)")
    other.commit()
    other.close()
    second = database()
    with second.cursor() as cursor:
        cursor.execute("SELECT id FROM made_elsewhere")
        assert cursor.fetchall() == [(7,)]


def test_no_more_than_the_pool_size_wait(database) -> None:
    wrappers = [database() for _ in range(pooled.POOL_SIZE + 3)]
    raws = [_raw(each) for each in wrappers]
    for each in wrappers:
        each.close()
    assert pooled.pool.close_all() == pooled.POOL_SIZE
    closed = 0
    for raw in raws:
        try:
            raw.execute("SELECT 1")
        except sqlite3.ProgrammingError:
            closed += 1
    assert closed == len(raws)


def test_the_upstream_methods_it_stands_on() -> None:
    """Django's ``close`` hands the connection to ``_close`` and forgets it only outside an
    atomic block; the SQLite backend's ``close`` skips in-memory databases; its
    ``get_new_connection`` sets the pragmas a kept connection is given again."""
    close = inspect.getsource(BaseDatabaseWrapper.close)
    assert "self._close()" in close and "self.connection = None" in close
    assert "is_in_memory_db()" in inspect.getsource(SQLiteWrapper.close)
    setup = inspect.getsource(SQLiteWrapper.get_new_connection)
    assert "PRAGMA foreign_keys = ON" in setup
    assert "Database.connect(**conn_params)" in setup
