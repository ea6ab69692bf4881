"""The index state: which generation answers, which one a rebuild fills, and the version that
keys cached answers. Read once per request (``search.per_request``), in one statement.

The version is the state row's own count (switches, clears) plus the counts of ``SHARDS``
shard rows (``IndexShard``), each bumped by the writes of the documents whose key falls on it.
A write used to bump the one state row: on PostgreSQL every index write then waited for the
one before it to commit. Now two writers wait for each other only when their keys share a
shard (1 in ``SHARDS``), as they would on the entry row of the same key anyway."""

from __future__ import annotations

import zlib

from django.db import connection, transaction
from django.db.models import BigIntegerField, F
from django.db.models.expressions import RawSQL

from search import per_request
from search.models import IndexState

#: Shard rows counting document writes (a key's shard: ``shard_of``).
SHARDS = 64
_SHARD_TOTAL = "SELECT COALESCE(SUM(version), 0) FROM search_indexshard"
#: One statement whether the shard row exists yet or not (SQLite and PostgreSQL alike).
_BUMP = (
    "INSERT INTO search_indexshard (number, version) VALUES (%s, 1) "
    "ON CONFLICT (number) DO UPDATE SET version = search_indexshard.version + 1"
)


def shard_of(key: str) -> int:
    """The shard a document's writes are counted on: stable across processes (``hash`` is
    salted per process)."""
    return zlib.crc32(key.encode()) % SHARDS


def _state() -> IndexState:
    """The state row as it is now (writes always read it afresh)."""
    state, _created = IndexState.objects.get_or_create(name="default")
    return state


def answering() -> tuple[int, int]:
    """(active generation, version) for answering: one read per request, shared by the page
    cache, the answer cache and the query."""

    def read() -> tuple[int, int]:
        found = _read()
        if found is None:
            _state()
            found = _read()
        return found

    return per_request.remembered("search.database.index_state", read)


def _read() -> tuple[int, int] | None:
    """(active, state version + every shard's version) in one statement."""
    shards = RawSQL(_SHARD_TOTAL, [], output_field=BigIntegerField())  # noqa: S611 -- fixed SQL
    rows = (
        IndexState.objects.filter(name="default")
        .annotate(total=F("version") + shards)
        .values_list("active", "total")[:1]
    )
    return tuple(rows[0]) if rows else None


def active_generation() -> int:
    return answering()[0]


def index_version() -> str:
    """The active generation and the count of changes to it: the same value means the same
    answers. Read from the database, so a change made by any process counts."""
    active, version = answering()
    return f"{active}.{version}"


def count_change(keys: list[str]) -> None:
    """Count a change to the documents ``keys``, inside the transaction that makes it, on the
    shard of the first key (one row, however many keys: any shard moves the version on)."""
    with connection.cursor() as cursor:
        cursor.execute(_BUMP, [shard_of(min(keys))])
    per_request.forget()


def writable_generations() -> list[int]:
    state = _state()
    return [state.active] + ([state.building] if state.building else [])


def begin_rebuild() -> int:
    """Reserve generation N+1 for a rebuild while N answers."""
    with transaction.atomic():
        state = IndexState.objects.select_for_update().get_or_create(name="default")[0]
        new = max(state.active, state.building or 0) + 1
        state.building = new
        state.save()
    return new


def switch_to(new: int) -> None:
    """Make ``new`` the answering generation (inside the caller's transaction)."""
    state = IndexState.objects.select_for_update().get(name="default")
    state.active, state.building = new, None
    state.version += 1
    state.save()
    per_request.forget()


def count_clear() -> None:
    """A clear: no rebuild runs any more, and the version moves on. The state row stays, so
    its version keeps counting: a fresh row would start again at a version that answers
    cached before the clear were keyed by."""
    _state()
    IndexState.objects.filter(name="default").update(building=None, version=F("version") + 1)
    per_request.forget()
