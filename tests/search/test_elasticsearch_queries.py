"""The Elasticsearch backend's mappings and queries, tested as the data it sends.

No Elasticsearch server runs here; with ``ELASTICSEARCH_URL`` set, the contract suite
(test_contract.py) also runs against a real cluster.
"""

from __future__ import annotations

import datetime

import pytest

from search.backends.elasticsearch import (
    ElasticsearchBackend,
    alias_actions,
    build_more_like_this,
    build_search,
    build_suggest,
    completion_inputs,
    family_of,
    index_body,
    to_source,
    version_name,
)
from search.types import BoundingBox, SearchDocument, SearchRequest


def test_mapping_has_language_subfields_geo_point_and_audience_completion():
    mapping = index_body()["mappings"]["properties"]
    assert mapping["title"]["analyzer"] == "standard"
    assert {
        code: field["analyzer"]
        for code, field in mapping["title"]["fields"].items()
        if code != "raw"
    } == {
        "en": "english",
        "es": "spanish",
        "fr": "french",
        "pt": "portuguese",
    }
    assert mapping["body"]["fields"]["es"]["analyzer"] == "spanish"
    assert mapping["location"] == {"type": "geo_point"}
    assert mapping["audience"] == {"type": "keyword"}
    assert mapping["suggest"]["type"] == "completion"
    assert mapping["suggest"]["contexts"] == [
        {"name": "audience", "type": "category", "path": "audience"}
    ]
    for facet_field in (
        "kind",
        "region",
        "country",
        "themes",
        "ecosystems",
        "language",
        "tags",
        "year_text",
    ):
        assert mapping[facet_field] == {"type": "keyword"}
    assert mapping["url"] == {"type": "keyword", "index": False}


def test_documents_go_to_their_family_index():
    assert family_of("case_study") == family_of("resource") == "knowledge"
    assert family_of("lesson") == "learning"
    assert family_of("post") == "discussion"
    assert family_of("organisation") == "network"


def test_private_documents_never_feed_the_spelling_vocabulary():
    public = to_source(
        SearchDocument(key="a:1", kind="topic", title="Open", url="/", language="en")
    )
    private = to_source(
        SearchDocument(
            key="a:2",
            kind="topic",
            title="Secret",
            url="/",
            language="en",
            audience="partnership:3",
        )
    )
    assert public["spelling"].startswith("Open")
    assert "spelling" not in private
    assert private["suggest"]["contexts"] == {"audience": ["partnership:3"]}


def test_source_carries_location_dates_and_lowercased_tags():
    source = to_source(
        SearchDocument(
            key="library.casestudypage:1",
            kind="case_study",
            title="Terraces",
            url="/t/",
            language="en",
            latitude=-0.1,
            longitude=37.3,
            date=datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC),
            tags=("Soil",),
            year=2021,
        )
    )
    assert source["location"] == {"lat": -0.1, "lon": 37.3}
    assert source["date"] == "2026-01-02T00:00:00+00:00"
    assert source["tags"] == ["soil"]
    assert source["year_text"] == "2021"


def test_completion_inputs_let_any_word_start_a_suggestion():
    assert completion_inputs("Field guide to cocoa") == [
        "Field guide to cocoa",
        "guide to cocoa",
        "to cocoa",
        "cocoa",
    ]


def test_query_matches_all_words_across_language_fields_and_filters_by_audience():
    request = SearchRequest(
        text="Restoration terraces!", audiences=("public", "members"), reader_language="es"
    )
    body = build_search(request).to_dict()
    query = body["query"]["bool"]
    multi_match = query["must"][0]["multi_match"]
    assert multi_match["query"] == "restoration terraces"
    assert multi_match["operator"] == "and"
    assert "title.es^3" in multi_match["fields"] and "body.pt" in multi_match["fields"]
    fallback = build_search(request, any_word=True).to_dict()
    assert fallback["query"]["bool"]["must"][0]["multi_match"]["operator"] == "or"
    assert {"terms": {"audience": ["public", "members"]}} in query["filter"]
    language_rule = query["filter"][1]["bool"]
    assert language_rule["should"][0] == {"term": {"language": "es"}}
    assert language_rule["should"][1] == {
        "bool": {
            "must_not": [
                {"term": {"translations": "es"}},
                {"term": {"stands_for_missing": False}},
            ]
        }
    }


def test_facet_selections_are_post_filters_and_each_aggregation_ignores_its_own():
    request = SearchRequest(
        text="water",
        filters={"region": ("africa",), "theme": ("finance", "restoration")},
        facets=("region", "theme", "kind"),
    )
    body = build_search(request).to_dict()
    assert body["post_filter"] == {
        "bool": {
            "filter": [
                {"terms": {"region": ["africa"]}},
                {"terms": {"themes": ["finance", "restoration"]}},
            ]
        }
    }
    region = body["aggs"]["region"]
    assert region["filter"] == {
        "bool": {"filter": [{"terms": {"themes": ["finance", "restoration"]}}]}
    }
    assert region["aggs"]["values"] == {"terms": {"field": "region", "size": 30}}
    kind = body["aggs"]["kind"]
    assert len(kind["filter"]["bool"]["filter"]) == 2


def test_language_filter_replaces_the_reader_language_rule():
    body = build_search(SearchRequest(filters={"language": ("pt",)})).to_dict()
    assert len(body["query"]["bool"]["filter"]) == 1  # audience only
    assert body["post_filter"]["bool"]["filter"] == [{"terms": {"language": ["pt"]}}]


def test_geo_box_and_located_only():
    box = BoundingBox(south=-5, west=30, north=5, east=42)
    body = build_search(SearchRequest(geo=box)).to_dict()
    assert {
        "geo_bounding_box": {
            "location": {"top_left": {"lat": 5, "lon": 30}, "bottom_right": {"lat": -5, "lon": 42}}
        }
    } in body["query"]["bool"]["filter"]
    located = build_search(SearchRequest(located_only=True)).to_dict()
    assert {"exists": {"field": "location"}} in located["query"]["bool"]["filter"]


def test_highlight_sort_paging_and_spelling():
    body = build_search(SearchRequest(text="mangroves", page=3, per_page=10)).to_dict()
    assert body["highlight"]["pre_tags"] == ["\x02"]
    assert set(body["highlight"]["fields"]) == {"body", "summary", "title"}
    assert body["sort"][0] == "_score"
    assert body["from"] == 20 and body["size"] == 10
    assert body["track_total_hits"] is True
    assert body["suggest"]["spelling"]["term"]["field"] == "spelling"
    by_date = build_search(SearchRequest(text="mangroves", sort="date")).to_dict()
    assert by_date["sort"][0] == {"date": {"order": "desc", "missing": "_last"}}


def test_empty_query_matches_all_visible_and_sorts_by_date():
    body = build_search(SearchRequest()).to_dict()
    assert body["query"]["bool"]["must"] == [{"match_all": {}}]
    assert "highlight" not in body


def test_autocomplete_is_limited_to_the_users_audiences():
    body = build_suggest("terr", ("public",), 8)
    completion = body["suggest"]["titles"]["completion"]
    assert body["suggest"]["titles"]["prefix"] == "terr"
    assert completion["contexts"] == {"audience": ["public"]}
    assert completion["skip_duplicates"] is True


def test_more_like_this_respects_audiences_and_excludes_itself():
    body = build_more_like_this("library.casestudypage:1", ["x-knowledge"], ("public",), 4)
    bool_query = body["query"]["bool"]
    assert bool_query["filter"] == [{"terms": {"audience": ["public"]}}]
    assert bool_query["must_not"] == [{"term": {"key": "library.casestudypage:1"}}]
    assert bool_query["must"][0]["more_like_this"]["like"] == [
        {"_index": "x-knowledge", "_id": "library.casestudypage:1"}
    ]


def test_rebuild_swaps_aliases_in_one_atomic_call():
    assert alias_actions(
        "landscape-knowledge", ["landscape-knowledge-v1"], "landscape-knowledge-v2"
    ) == [
        {"remove": {"index": "landscape-knowledge-v1", "alias": "landscape-knowledge"}},
        {"add": {"index": "landscape-knowledge-v2", "alias": "landscape-knowledge"}},
    ]
    name = version_name(
        "landscape-knowledge", datetime.datetime(2026, 11, 24, 10, 15, tzinfo=datetime.UTC)
    )
    assert name == "landscape-knowledge-v20261124101500000000"


def test_unreachable_cluster_is_reported_as_unavailable(settings):
    from search.backends.base import SearchUnavailable

    settings.SEARCH = {**settings.SEARCH, "URL": "http://127.0.0.1:9", "TIMEOUT": 1}
    backend = ElasticsearchBackend.from_settings()
    with pytest.raises(SearchUnavailable):
        backend.query(SearchRequest(text="water"))


def test_every_text_field_is_analysed_and_searched_in_each_content_language():
    """Spanish, French and Portuguese words are stemmed by their own language's analyzer
    ("restauração" finds "restaurar"), in every text field, whatever the reader's language."""
    mapping = index_body()["mappings"]["properties"]
    languages = {"en": "english", "es": "spanish", "fr": "french", "pt": "portuguese"}
    for field in ("title", "summary", "body"):
        analyzers = {
            code: sub["analyzer"]
            for code, sub in mapping[field]["fields"].items()
            if code in languages
        }
        assert analyzers == languages, field
    request = SearchRequest(text="restauração", audiences=("public",), reader_language="en")
    fields = build_search(request).to_dict()["query"]["bool"]["must"][0]["multi_match"]["fields"]
    for field in ("title", "summary", "body"):
        assert {name.split("^")[0] for name in fields} >= {f"{field}.{code}" for code in languages}


def test_finance_facets_map_to_keyword_fields_filters_and_aggregations():
    """Projects seeking finance (``finance``): kind of finance, stage, goals, amount range."""
    mapping = index_body()["mappings"]["properties"]
    for field in ("finance_kind", "stage", "sdgs", "amount"):
        assert mapping[field] == {"type": "keyword"}
    assert family_of("project") == "network"
    assert family_of("event") == "discussion"  # events beside the live dialogues
    request = SearchRequest(
        filters={"finance": ("loan",), "amount": ("USD:100k-1m",)},
        facets=("finance", "stage", "sdg", "amount"),
    )
    body = build_search(request).to_dict()
    assert body["post_filter"] == {
        "bool": {
            "filter": [
                {"terms": {"finance_kind": ["loan"]}},
                {"terms": {"amount": ["USD:100k-1m"]}},
            ]
        }
    }
    assert body["aggs"]["sdg"]["aggs"]["values"] == {"terms": {"field": "sdgs", "size": 30}}
    assert body["aggs"]["finance"]["filter"] == {
        "bool": {"filter": [{"terms": {"amount": ["USD:100k-1m"]}}]}
    }
    source = to_source(
        SearchDocument(
            key="finance.project:1",
            kind="project",
            title="Terraces",
            url="/p/",
            language="",
            finance_kind="loan",
            stage="ready",
            sdgs=("life-on-land",),
            amount="USD:100k-1m",
        )
    )
    assert (source["finance_kind"], source["stage"], source["sdgs"], source["amount"]) == (
        "loan",
        "ready",
        ["life-on-land"],
        "USD:100k-1m",
    )
