"""Facet counts: GROUP BY over ``search_searchfacet`` for the matched ids. The statement and
the assembly of the counts are pure (tested as data); ``count`` runs the statement."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.db.models.expressions import RawSQL

from search.backends.database import plan
from search.types import FacetValue, SearchRequest


def selected_facets(request: SearchRequest) -> list[str]:
    """Facets counted without their own selection (so a choice can be widened): each needs
    the matches of every *other* filter, its scope."""
    return [name for name in request.facets if request.filters.get(name)]


def count_groups(
    request: SearchRequest, matched: list[int], scopes: dict[str, list[int]]
) -> list[tuple[list[str], list[int]]]:
    """(facet names, ids) to count: the facets without a selection over the query's own
    matches, each facet with a selection over its scope (the matches without its own
    selection)."""
    selected = selected_facets(request)
    shared = [name for name in request.facets if name not in selected]
    groups = [(shared, matched)] if shared else []
    return groups + [([name], scopes[name]) for name in selected]


def group_statement(
    groups: list[tuple[list[str], list[int]]], id_list: Callable[[list[int]], RawSQL], name: str
) -> tuple[str, list] | None:
    """(name, value, count) of each group's facets over the group's ids, one GROUP BY per group
    in one statement, walking the (entry, name, value) index from the ids. ``name`` is the
    engine's spelling of the name column (``+name`` on SQLite stops its planner from scanning
    every row of a facet by the (name, value) index instead)."""
    groups = [(names, ids) for names, ids in groups if names and ids]
    if not groups:
        return None
    selects, params = [], []
    for names, ids in groups:
        ids_sql = id_list(ids)
        marks = ",".join(["%s"] * len(names))
        selects.append(
            "SELECT name, value, COUNT(DISTINCT entry_id) AS count FROM search_searchfacet "  # noqa: S608 -- placeholders only
            f"WHERE entry_id IN ({ids_sql.sql}) AND {name} IN ({marks}) "
            "GROUP BY name, value"
        )
        params += [*ids_sql.params, *names]
    return " UNION ALL ".join(selects) + " ORDER BY name, count DESC, value", params


def assemble(
    request: SearchRequest, rows: list[tuple[str, str, int]]
) -> dict[str, list[FacetValue]]:
    """The facets of the answer from the (name, value, count) rows, best counts first, at most
    ``FACET_LIMIT`` each; a selected value is always listed (count 0 when it has none)."""
    counts: dict[str, list[tuple[str, int]]] = {name: [] for name in request.facets}
    for name, value, count in rows:
        if len(counts[name]) < plan.FACET_LIMIT:
            counts[name].append((value, count))
    facets = {}
    for name in request.facets:
        selected = set(request.filters.get(name, ()))
        values = [FacetValue(value, count, value in selected) for value, count in counts[name]]
        shown = {value.value for value in values}
        values += [FacetValue(value, 0, True) for value in sorted(selected - shown)]
        facets[name] = values
    return facets


def count(
    request: SearchRequest,
    matched: list[int],
    scopes: dict[str, list[int]],
    id_list: Callable[[list[int]], RawSQL],
    name_column: str,
) -> dict[str, list[FacetValue]]:
    """Counts per facet over the matched ids (at most ``TOTAL_CAP``), in one query."""
    statement = group_statement(count_groups(request, matched, scopes), id_list, name_column)
    rows: list[tuple[str, str, int]] = []
    if statement is not None:
        with connection.cursor() as cursor:
            cursor.execute(*statement)
            rows = cursor.fetchall()
    return assemble(request, rows)
