"""Projects in search: their document, facets for both backends, and the mapping as data."""

from __future__ import annotations

import pytest

from finance import services
from search.backends import elasticsearch as es
from search.sources import build
from tests.finance.projects import project_data

pytestmark = pytest.mark.django_db


def test_a_published_project_is_a_public_document_with_its_facets(project):
    document = build(project)
    assert document.kind == "project"
    assert document.audience == "public"
    assert document.facet_values()["finance"] == ("loan",)
    assert document.facet_values()["stage"] == ("ready",)
    assert document.facet_values()["amount"] == ("USD:100k-1m",)
    assert set(document.facet_values()["sdg"]) == {"zero-hunger", "life-on-land"}
    assert document.region == "africa"
    assert (document.latitude, document.longitude) == (-0.95, 36.57)


def test_a_draft_is_not_findable(make_project):
    assert build(make_project(published=False)) is None


def test_the_elasticsearch_mapping_and_source_carry_the_finance_facets(project):
    mapping = es.index_body()["mappings"]["properties"]
    for field in ("finance_kind", "stage", "sdgs", "amount"):
        assert mapping[field] == {"type": "keyword"}
    source = es.to_source(build(project))
    assert source["finance_kind"] == "loan"
    assert source["amount"] == "USD:100k-1m"
    assert es.family_of("project") == "network"
    assert es.FACET_FIELDS["finance"] == "finance_kind"


def test_a_published_project_is_found_and_counted_after_its_commit(
    partnership, coordinator, django_capture_on_commit_callbacks
):
    """Through the real path: the service's save, indexing after commit, ``search.query``."""
    from django.contrib.auth.models import AnonymousUser

    import search

    with django_capture_on_commit_callbacks(execute=True):
        for title, kind, published in (
            ("Terrace loans", "loan", True),
            ("Mangrove grant", "grant", True),
            ("Mangrove draft", "grant", False),
        ):
            services.project_create(
                partnership=partnership,
                coordinator=coordinator,
                data=project_data(title=title, kind=kind, published=published),
            )
    results = search.query("", user=AnonymousUser(), filters={"kind": ("project",)})
    assert results.total == 2
    counts = {value.value: value.count for value in results.facets["finance"]}
    assert counts == {"loan": 1, "grant": 1}
    only_grants = search.query("mangrove", user=AnonymousUser(), filters={"finance": ("grant",)})
    assert [hit.title for hit in only_grants.hits] == ["Mangrove grant"]
