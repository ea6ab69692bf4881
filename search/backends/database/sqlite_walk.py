"""SQLite: the matched ids from a walk over the full-text matches, newest first, in batches,
each batch filtered by the facet index and the entries table.

The walk is given its reads (the next batch of matches, the visible ids of a list, the
fallback join), so what it decides (which ids go where, when to stop) does not depend on how
they are read."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from search.backends.database import plan


class IdQuery:
    """The ids of a list that an entries query keeps, compiled once and run per list (the
    walk asks once per batch; the ORM compiled the same statement each time)."""

    LIST = "\x00ids\x00"

    def __init__(self, entries: QuerySet) -> None:
        listed = entries.filter(pk__in=RawSQL("SELECT value FROM json_each(%s)", [self.LIST]))
        self.sql, params = listed.order_by().values_list("pk", flat=True).query.sql_with_params()
        self.params = list(params)
        self.slot = self.params.index(self.LIST)

    def among(self, entry_ids: list[int]) -> set[int]:
        params = list(self.params)
        params[self.slot] = json.dumps(entry_ids)
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            return {row[0] for row in cursor.fetchall()}


def next_batch_size(scanned: int, found: int, limit: int) -> int:
    """As many matches as the filters' pass rate so far says the list still needs (and a
    fifth more), never fewer than ``MATCH_CHUNK`` nor past ``MATCH_SCAN_LIMIT``: a narrow
    filter then takes two or three batches, not six. The walk's answer does not depend on
    the batch sizes, only its number of statements does."""
    rate = max(found, 1) / scanned
    wanted = int((limit - found) / rate * 1.2) + 1
    return max(plan.MATCH_CHUNK, min(wanted, plan.MATCH_SCAN_LIMIT - scanned))


def walk(
    *,
    newest: Callable[[int | None, int], list[int]],
    shown: IdQuery,
    filters: dict[str, tuple[str, ...]],
    joined: Callable[[tuple[str, ...], int], list[int]],
    skip: tuple[str, ...],
    scoped: list[str],
    limit: int,
) -> tuple[list[int], dict[str, list[int]]]:
    """The full-text matches (``newest(below, size)``) newest first, in batches, each batch
    filtered; stops once ``limit`` pass every filter (``filters``, which leave out ``skip``).

    Each facet of ``scoped`` is not filtered on, so the same walk also gives its scope: the
    entries that pass every filter but that facet's. A scope always holds the full list, so it
    is complete (``TOTAL_CAP``) when the list is. ``joined(skipped, limit)``: the entries table
    joined to the full match, when the filters reject most matches."""
    found: list[int] = []
    scopes: dict[str, list[int]] = {name: [] for name in scoped}
    below = None
    scanned = 0
    size = plan.MATCH_CHUNK
    while len(found) < limit:
        chunk = newest(below, size)
        if chunk:
            sort_batch(chunk, shown, filters, found, scopes)
            below = chunk[-1]
            scanned += len(chunk)
        if len(chunk) < size:
            break
        size = next_batch_size(scanned, len(found), limit)
        if scanned >= plan.MATCH_SCAN_LIMIT and len(found) < limit:
            # Filters reject most matches: let the database join the other way round, for
            # the list and for each scope not yet complete.
            found = joined(skip, limit)
            for name, ids in scopes.items():
                if len(ids) < plan.TOTAL_CAP:
                    scopes[name] = joined((*skip, name), plan.TOTAL_CAP)
            break
    return found[:limit], {name: ids[: plan.TOTAL_CAP] for name, ids in scopes.items()}


def facet_holders(batch: list[int], filters: dict[str, tuple[str, ...]]) -> dict[str, set[int]]:
    """For each filter, the ids of ``batch`` (newest first) that have one of its values: one
    statement for every filter, each a range scan of the (name, value, entry) index over the
    batch's ids, read into a set. (Testing each id against the facet table inside the entries
    query cost a seek per facet and id: ~2 µs per match, ~16 ms for the ~8,000 matches a
    region filter walks at 100,000 documents.)"""
    having: dict[str, set[int]] = {name: set() for name in filters}
    if not filters:
        return having
    lowest, highest = batch[-1], batch[0]
    selects, params = [], []
    for number, (name, values) in enumerate(filters.items()):
        marks = ",".join(["%s"] * len(values))
        selects.append(
            f"SELECT {number}, entry_id FROM search_searchfacet WHERE name = %s "  # noqa: S608 -- placeholders only
            f"AND value IN ({marks}) AND entry_id >= %s AND entry_id <= %s"
        )
        params += [name, *values, lowest, highest]
    names = list(filters)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        for number, entry_id in cursor.fetchall():
            having[names[number]].add(entry_id)
    return having


def sort_batch(
    batch: list[int],
    visible: IdQuery,
    filters: dict[str, tuple[str, ...]],
    found: list[int],
    scopes: dict[str, list[int]],
) -> None:
    """Append the ids of ``batch`` (newest first) that pass every filter to ``found``, and
    those that pass every filter but a scope's own to that scope (while it is incomplete).
    Only the ids that go somewhere are looked up in the entries table, for visibility."""
    having = facet_holders(batch, filters)
    open_scopes = {name: ids for name, ids in scopes.items() if len(ids) < plan.TOTAL_CAP}

    def passing(names: Iterable[str]) -> set[int] | None:
        """Ids of the batch with every facet of ``names`` (None: no such filter)."""
        sets = [having[name] for name in names]
        return set.intersection(*sets) if sets else None

    every = passing(having)
    # A scope's entries pass every filter but its own.
    scope_passing = {
        name: passing(other for other in having if other != name) for name in open_scopes
    }
    if every is None or any(ids is None for ids in scope_passing.values()):
        wanted = batch
    else:
        going = every.union(*scope_passing.values())
        wanted = [pk for pk in batch if pk in going]
    if not wanted:
        return
    shown = visible.among(wanted)
    for pk in wanted:
        if pk not in shown:
            continue
        if every is None or pk in every:
            found.append(pk)
        for name, ids in scope_passing.items():
            if ids is None or pk in ids:
                open_scopes[name].append(pk)
