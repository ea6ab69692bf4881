"""The search page's query budget: an anonymous search with a facet selected stays within 12
queries, and the count does not grow with the number of documents."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from search.backends import get_backend
from tests.search.conftest import document, when

pytestmark = pytest.mark.django_db

SEARCH = "?q=restoration+water&region=africa"


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
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("search:search") + SEARCH)
    assert response.status_code == 200
    assert "Water restoration" in response.content.decode()
    return len(context.captured_queries)


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
