"""The search page's query budget: a search with a facet selected, asked for the first time (no
cache answers it), stays within 12 queries, and the count does not grow with the number of
documents. Beyond the engine's own reads, the page reads the index state once (page cache key,
answer cache key and generation alike) and, for a member, the user and their audiences."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from search.backends import get_backend
from tests.search.conftest import document, when

pytestmark = pytest.mark.django_db

SEARCH = "?q=restoration+water&region=africa"
#: The whole page, engine included, per database (the engines' plans differ): pinned at what it
#: costs now, so a new query anywhere on the page shows up here.
ANONYMOUS_BUDGET = {"sqlite": 9, "postgresql": 8}
#: A member adds the user row, their audiences (partnerships and courses, one query) and the
#: header's unread notifications (one count); the session comes from the cache.
MEMBER_EXTRA = 3


def index(first: int, count: int) -> None:
    get_backend().upsert(
        document(
            f"library.casestudypage:{number}",
            f"Water restoration {number}",
            summary="Restoring springs and the water they give.",
            body="restoration water " * (1 + number % 3),
            region=("africa", "asia", "europe")[number % 3],
            country=("KE", "ID", "PT")[number % 3],
            themes=("restoration", "watershed-management"),
            ecosystems=("wetlands",),
            tags=("springs",),
            year=2020 + number % 5,
            date=when(number),
        )
        for number in range(first, first + count)
    )


def page_queries(client) -> int:
    return len(page_sql(client))


def page_sql(client, search: str = SEARCH) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("search:search") + search)
    assert response.status_code == 200
    assert "Water restoration" in response.content.decode()
    return [query["sql"] for query in context.captured_queries]


def outside_the_engine(queries: list[str]) -> tuple[list[str], list[str]]:
    """The page's reads of the index state, and its queries of anything but the index."""
    state = [sql for sql in queries if "search_indexstate" in sql]
    other = [
        sql
        for sql in queries
        if not any(table in sql for table in ("search_indexstate", "search_search", "search_fts"))
    ]
    return state, other


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "member"])
def test_a_new_faceted_search_reads_the_index_state_once_and_little_else(
    client, make_user, settings, signed_in
):
    settings.PAGE_CACHE_ENABLED = True  # as served: the page cache's key reads the state too
    if signed_in:
        client.force_login(make_user())
    index(0, 40)
    page_sql(client, "?q=water&region=asia")  # the site-wide caches (menus, vocabularies) fill
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("search:search") + SEARCH)  # never asked: no cache has it
    assert response.status_code == 200
    assert response.get("X-Page-Cache") == (None if signed_in else "miss")
    assert "Water restoration" in response.content.decode()
    queries = [query["sql"] for query in context.captured_queries]
    state, other = outside_the_engine(queries)
    assert len(state) == 1
    assert len(other) == (MEMBER_EXTRA if signed_in else 0), other
    budget = ANONYMOUS_BUDGET[connection.vendor] + (MEMBER_EXTRA if signed_in else 0)
    assert len(queries) <= budget, queries


def test_a_faceted_search_stays_within_budget_as_documents_grow(client):
    index(0, 15)
    page_queries(client)  # the site-wide caches (menus, vocabularies) fill once
    index(15, 10)  # a write: the next search is answered afresh, not from the cache
    few = page_queries(client)
    index(25, 60)
    many = page_queries(client)
    assert few == many <= 12


def test_a_repeated_anonymous_search_is_answered_from_the_cache(client):
    index(0, 15)
    page_queries(client)
    # Only the index version is read: it says whether the cached answer is still current.
    assert page_queries(client) == 1
