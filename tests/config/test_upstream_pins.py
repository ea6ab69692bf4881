"""The upstream code the site still relies on beyond documented API, pinned by its source.

Two pieces of ``config/`` lean on another library's non-public parts (docs/architecture.md,
"Where upstream internals are still relied on" says why each is worth it):

- ``config.layers.ThrottledInMemoryChannelLayer`` overrides Channels' private
  ``InMemoryChannelLayer._clean_expired``, which ``receive`` calls before every receive.
- ``forums.streams.GuardedJsonConsumer.dispatch`` calls the handlers of a few event types
  (``hopless_types``) without Channels' ``aclose_old_connections`` hop, which
  ``AsyncConsumer.dispatch`` makes before every handler: those handlers reach the database only
  through ``database_sync_to_async``, which closes old connections itself.
- ``config.cache.FaultTolerantRedisCache.ping`` asks Redis through Django's private
  ``RedisCache._cache`` client (``get_client``), for the health check.
- The test suite's own scheduler (``tests/conftest.py``, ``pytest_xdist_make_scheduler``)
  overrides pytest-xdist's ``LoadScopeScheduling._split_scope``, the one method that names a
  test's unit of work.
- The suite's migrate-once on SQLite (``tests/conftest.py``, ``_sqlite_test_db_from_template``)
  replays Django's ``BaseDatabaseCreation.create_test_db`` with the migration swapped for a
  copy, through the SQLite creation's private ``_get_test_db_name`` and ``_create_test_db``.

If an upgrade changes any of these functions, the matching test fails: read the new upstream
source, check the override still does what its docstring says, then update the digest.
"""

from __future__ import annotations

import hashlib
import inspect

import pytest
from channels.consumer import AsyncConsumer
from channels.layers import InMemoryChannelLayer
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db.backends.base.creation import BaseDatabaseCreation
from django.db.backends.sqlite3.creation import DatabaseCreation as SQLiteCreation
from xdist.scheduler import LoadScopeScheduling


def _digest(function) -> str:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16]


@pytest.mark.parametrize(
    ("function", "digest"),
    [
        (AsyncConsumer.dispatch, "39f34e7d4fb0f655"),
        (InMemoryChannelLayer.receive, "e615f8ae40b60e12"),
        (InMemoryChannelLayer._clean_expired, "604032dae1cc01d2"),
        (RedisCache.__dict__["_cache"].func, "9ff16af6c04a2401"),
        (RedisCacheClient.get_client, "ba56fb39ace75b84"),
        (LoadScopeScheduling._split_scope, "f57bdab44e69867b"),
        (BaseDatabaseCreation.create_test_db, "55baf3ed472954c3"),
        (SQLiteCreation._get_test_db_name, "4d44808d97195ef7"),
        (SQLiteCreation._create_test_db, "785bb31e375adb3b"),
    ],
    ids=lambda value: getattr(value, "__qualname__", value),
)
def test_the_upstream_source_we_lean_on_is_the_one_we_read(function, digest: str) -> None:
    assert _digest(function) == digest, (
        f"{function.__qualname__} changed upstream: re-read it against config/layers.py, "
        "config/cache.py, forums/streams.py or tests/conftest.py, then update the digest"
    )


def test_the_in_memory_layer_still_sweeps_from_receive() -> None:
    """The throttle only matters because ``receive`` sweeps; if it stops, drop the override."""
    assert "self._clean_expired()" in inspect.getsource(InMemoryChannelLayer.receive)


def test_xdist_still_asks_split_scope_for_each_tests_unit() -> None:
    """The suite's scheduler only renames units; if xdist stops asking, it schedules nothing."""
    assert "self._split_scope(" in inspect.getsource(LoadScopeScheduling)
