"""The search page and autocomplete, as visitors and members use them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from network.services import partnership_membership_add
from search.backends import get_backend
from search.types import PUBLIC, SearchDocument, partnership_audience

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(db):
    from network.models import LandscapePartnership

    partnership = LandscapePartnership.objects.create(
        name="Kalimantan Peatlands", slug="kalimantan", country="ID", region="asia"
    )
    documents = [
        SearchDocument(
            key="library.casestudypage:1",
            kind="case_study",
            title="Terraces on Mount Kenya",
            url="/case-studies/terraces/",
            language="en",
            summary="Farmers built terraces.",
            body="Soil erosion fell by half.",
            region="africa",
            country="KE",
            themes=("restoration",),
            latitude=-0.15,
            longitude=37.3,
            audience=PUBLIC,
        ),
        SearchDocument(
            key="forums.topic:2",
            kind="topic",
            title="Private terraces budget",
            url="/forums/topics/2/",
            language="en",
            summary="Members only.",
            body="The budget for terraces is confidential.",
            region="asia",
            audience=partnership_audience(partnership.pk),
        ),
    ]
    get_backend().upsert(documents)
    return partnership


def test_search_page_shows_highlighted_results_with_badges(client, indexed):
    html = client.get(reverse("search:search") + "?q=terraces").content.decode()
    assert "1 result" in html
    assert "<mark>" in html
    assert "Case study" in html
    assert "Private terraces budget" not in html


def test_partnership_members_find_their_private_topic(client, make_user, indexed):
    member = make_user()
    partnership_membership_add(partnership=indexed, user=member)
    client.force_login(member)
    html = client.get(reverse("search:search") + "?q=terraces").content.decode()
    assert "2 results" in html
    assert "Private terraces budget" in html


def test_facets_are_checkboxes_that_work_without_javascript(client, indexed):
    html = client.get(reverse("search:search") + "?q=terraces&region=africa").content.decode()
    assert 'type="checkbox" name="region" value="africa"' in html
    assert "checked" in html
    assert "Africa" in html


def test_no_results_page_offers_a_spelling_and_broader_search(client, indexed):
    html = client.get(reverse("search:search") + "?q=terrasses&region=africa").content.decode()
    assert "Nothing found" in html
    assert "Did you mean" in html and "terraces" in html
    assert "without “africa”" in html


def test_map_view_lists_located_results(client, indexed):
    html = client.get(reverse("search:search") + "?q=terraces&view=map").content.decode()
    assert 'id="search-map"' in html
    assert "Terraces on Mount Kenya" in html


@pytest.mark.parametrize(
    "query",
    [
        "?q=" + "x" * 1000,
        "?page=abc&q=terraces",
        "?page=99999&q=terraces",
        "?bbox=1,2,3&q=terraces",
        "?bbox=100,0,0,0&q=terraces",
        "?region=%3Cscript%3E&q=terraces",
        "?sort=evil&q=terraces",
        "?view=grid&q=terraces",
        "?q=%22%27%3B--",
    ],
)
def test_malformed_queries_never_fail(client, indexed, query):
    assert client.get(reverse("search:search") + query).status_code == 200


def test_query_is_echoed_escaped(client, indexed):
    html = client.get(
        reverse("search:search") + "?q=%3Cscript%3Ealert(1)%3C/script%3E"
    ).content.decode()
    assert "<script>alert(1)</script>" not in html


def test_autocomplete_returns_only_visible_titles(client, make_user, indexed):
    response = client.get(reverse("search:suggest") + "?q=priv")
    assert response.json() == {"suggestions": []}
    response = client.get(reverse("search:suggest") + "?q=terr")
    assert [item["title"] for item in response.json()["suggestions"]] == ["Terraces on Mount Kenya"]


def test_search_page_says_so_when_elasticsearch_is_down(client, settings):
    from search.backends import reset_backends

    settings.SEARCH = {
        **settings.SEARCH,
        "BACKEND": "elasticsearch",
        "URL": "http://127.0.0.1:9",  # nothing listens on the discard port
        "TIMEOUT": 1,
    }
    reset_backends()
    try:
        response = client.get(reverse("search:search") + "?q=terraces")
        suggestions = client.get(reverse("search:suggest") + "?q=terr")
    finally:
        reset_backends()
    assert response.status_code == 503
    assert "Search is not available at the moment" in response.content.decode()
    assert suggestions.json() == {"suggestions": []}
