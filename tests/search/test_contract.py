"""The search contract: the same queries give the same answers on every backend.

Runs on the database backend of whichever database the suite uses (SQLite FTS5 or PostgreSQL
tsvector) and on Elasticsearch when ``ELASTICSEARCH_URL`` is set.
"""

from __future__ import annotations

import pytest

from search.types import MEMBERS, PUBLIC, BoundingBox, SearchRequest, partnership_audience
from tests.search.conftest import PRIVATE_PARTNERSHIP, document

ANONYMOUS = (PUBLIC,)
MEMBER = (PUBLIC, MEMBERS)
PARTNER = (PUBLIC, MEMBERS, partnership_audience(PRIVATE_PARTNERSHIP))


def ask(backend, text="", **fields):
    fields.setdefault("audiences", ANONYMOUS)
    return backend.query(SearchRequest(text=text, **fields))


def keys(results) -> list[str]:
    return [hit.key for hit in results.hits]


def test_words_are_found_in_titles_summaries_and_bodies(corpus):
    assert keys(ask(corpus, "wetlands")) == ["library.casestudypage:3"]
    assert keys(ask(corpus, "cocoa shade")) == ["library.resourcepage:4"]


def test_documents_must_have_every_word_unless_none_has(corpus):
    every = ask(corpus, "terraces rain")
    assert keys(every) == ["library.casestudypage:1"]
    assert every.extra["any_word"] is False
    fallback = ask(corpus, "terraces mangroves")
    assert set(keys(fallback)) == {"library.casestudypage:1", "library.casestudypage:7"}
    assert fallback.extra["any_word"] is True


def test_common_words_are_not_required(corpus):
    assert keys(ask(corpus, "the fund for the city")) == ["library.casestudypage:3"]


def test_stemming_finds_other_forms_of_a_word(corpus):
    assert "library.casestudypage:1" in keys(ask(corpus, "terrace"))


def test_title_matches_rank_above_body_matches(corpus):
    results = ask(corpus, "restoration")
    assert keys(results)[0] == "library.casestudypage:3"  # in its title


def test_private_and_member_content_is_invisible_to_visitors_everywhere(corpus):
    results = ask(corpus, "terraces")
    assert keys(results) == ["library.casestudypage:1"]
    assert results.total == 1
    assert {value.value for value in results.facets["kind"]} == {"case_study"}
    assert {value.value for value in results.facets["region"]} == {"africa"}
    assert all("confidential" not in hit.highlight for hit in results.hits)
    titles = [item["title"] for item in corpus.suggest("secret", audiences=ANONYMOUS)]
    assert titles == []
    assert corpus.suggest("memb", audiences=ANONYMOUS) == []


def test_signed_in_members_see_member_content_but_not_other_partnerships(corpus):
    assert set(keys(ask(corpus, "terraces", audiences=MEMBER))) == {
        "library.casestudypage:1",
        "forums.topic:6",
    }


def test_partnership_members_find_their_private_space(corpus):
    results = ask(corpus, "confidential budget", audiences=PARTNER)
    assert keys(results) == ["forums.topic:5"]
    assert "<mark>" in results.hits[0].highlight
    assert [item["title"] for item in corpus.suggest("secret", audiences=PARTNER)] == [
        "Secret budget for the Kalimantan peatland terraces"
    ]


def test_facets_count_every_match_and_filters_narrow(corpus):
    results = ask(corpus, "", facets=("kind", "region", "theme"))
    counts = {value.value: value.count for value in results.facets["theme"]}
    assert counts["restoration"] == 3
    assert counts["agroforestry"] == 1
    narrowed = ask(corpus, "", filters={"region": ("asia",)}, facets=("region", "theme"))
    assert keys(narrowed) == ["library.casestudypage:7"]
    # The region facet ignores its own choice, so other regions stay one click away.
    regions = {value.value: (value.count, value.selected) for value in narrowed.facets["region"]}
    assert regions["asia"] == (1, True)
    assert regions["africa"] == (2, False)


def test_several_values_of_one_facet_widen_the_results(corpus):
    results = ask(corpus, "", filters={"theme": ("finance", "agroforestry")})
    assert set(keys(results)) == {"library.casestudypage:3", "library.resourcepage:4"}


def test_reader_language_shows_one_version_of_a_translated_page(corpus):
    english = ask(corpus, "kenya", reader_language="en")
    spanish = ask(corpus, "kenia", reader_language="es")
    assert keys(english) == ["library.casestudypage:1"]
    assert keys(spanish) == ["library.casestudypage:2"]
    # A reader whose language the page lacks gets the version standing for it, once.
    french = ask(corpus, "", reader_language="fr", filters={"country": ("KE",)})
    assert keys(french) == ["library.casestudypage:1"]
    assert french.total == 1
    assert {value.value: value.count for value in french.facets["country"]}["KE"] == 1
    chosen = ask(corpus, "", filters={"language": ("es",)})
    assert keys(chosen) == ["library.casestudypage:2"]


def test_bounding_box_keeps_only_places_inside(corpus):
    east_africa = BoundingBox(south=-5, west=30, north=5, east=42)
    results = ask(corpus, "", geo=east_africa)
    assert keys(results) == ["library.casestudypage:1"]


def test_sort_by_date_puts_the_newest_first(corpus):
    results = ask(corpus, "", sort="date")
    assert keys(results)[:3] == [
        "library.casestudypage:7",
        "library.resourcepage:4",
        "library.casestudypage:3",
    ]


def test_pages_split_the_results(corpus):
    first = ask(corpus, "", per_page=2, page=1)
    second = ask(corpus, "", per_page=2, page=2)
    assert first.total == second.total == 4
    assert len(first.hits) == len(second.hits) == 2
    assert not set(keys(first)) & set(keys(second))
    assert first.has_next and not second.has_next


def test_highlights_are_escaped_and_marked(corpus):
    hit = ask(corpus, "coast").hits[0]
    assert "<mark>coast</mark>" in hit.highlight
    assert "&amp;" in hit.highlight
    title_hit = ask(corpus, "mangroves delta").hits[0]
    assert "<script>" not in title_hit.highlight


def test_misspelled_query_gets_a_suggestion(corpus):
    results = ask(corpus, "mangroes")
    assert results.total == 0
    assert results.suggestion == "mangroves"


def test_private_words_are_never_suggested_as_spellings(corpus):
    assert ask(corpus, "confidentail").suggestion == ""


def test_autocomplete_matches_word_prefixes(corpus):
    titles = [item["title"] for item in corpus.suggest("andean", audiences=ANONYMOUS)]
    assert titles == ["An Andean water fund pays for upstream restoration"]
    titles = [item["title"] for item in corpus.suggest("fiel", audiences=ANONYMOUS)]
    assert titles == ["Field guide to agroforestry with cocoa"]


def test_deleted_documents_disappear(corpus):
    corpus.delete(["library.casestudypage:3"])
    assert ask(corpus, "wetlands").total == 0


def test_rebuild_replaces_the_index_in_one_switch(corpus):
    from tests.search.conftest import document

    count = corpus.rebuild([document("library.casestudypage:9", "Only survivor")])
    assert count == 1
    assert corpus.keys() == {"library.casestudypage:9"}
    assert keys(ask(corpus, "survivor")) == ["library.casestudypage:9"]
    assert ask(corpus, "wetlands").total == 0


def test_query_syntax_characters_are_just_text(corpus):
    for text in [
        '"',
        "AND OR NOT",
        "terr*",
        "(",
        "title:x",
        "NEAR(a b)",
        "\x00",
        "'; DROP TABLE x",
    ]:
        ask(corpus, text)  # no exception


@pytest.mark.parametrize("text", ["kenya", ""])
def test_results_have_everything_the_page_shows(corpus, text):
    hit = ask(corpus, text).hits[0]
    assert hit.title and hit.url and hit.kind
    assert hit.highlight


@pytest.fixture
def languages(backend):
    """One page per content language, each with a word a reader types in another form."""
    backend.upsert(
        [
            document(
                "library.casestudypage:20",
                "Cooperativa de agricultor en Cajamarca",
                language="es",
                summary="Reforestar las laderas con cada agricultor del valle.",
            ),
            document(
                "library.casestudypage:21",
                "Restaurar a mata ciliar do rio",
                language="pt",
                summary="Como restaurar as margens com as comunidades.",
            ),
            document(
                "library.casestudypage:22",
                "Le chemin forestier des oasis",
                language="fr",
                summary="Un forestier raconte la gestion des palmeraies.",
            ),
            document(
                "library.casestudypage:23",
                "Forest roads and forestry",
                summary="An English page with similar words.",
            ),
        ]
    )
    return backend


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("agricultores", "es", "library.casestudypage:20"),
        ("reforestación", "es", "library.casestudypage:20"),
        ("restauração", "pt", "library.casestudypage:21"),
        ("forestières", "fr", "library.casestudypage:22"),
    ],
)
def test_each_language_finds_other_forms_of_its_words(languages, text, language, expected):
    assert keys(ask(languages, text, reader_language=language)) == [expected]


def test_projects_seeking_finance_are_faceted_by_kind_stage_goal_and_amount(backend):
    """Landscape finance's facets (``finance.bands``: an amount range within its currency)."""
    projects = [
        document(
            "finance.project:1",
            "Silvopasture loans for cattle farms",
            kind="project",
            language="",
            finance_kind="loan",
            stage="ready",
            sdgs=("no-poverty", "life-on-land"),
            amount="USD:100k-1m",
            region="latin-america",
            latitude=2.45,
            longitude=-76.6,
        ),
        document(
            "finance.project:2",
            "Water fund paying upstream communities",
            kind="project",
            language="",
            finance_kind="pes",
            stage="design",
            sdgs=("clean-water", "life-on-land"),
            amount="USD:1m-10m",
            region="latin-america",
        ),
        document(
            "finance.project:3",
            "Coffee processing plant",
            kind="project",
            language="",
            finance_kind="blended",
            stage="idea",
            sdgs=("gender-equality",),
            amount="COP:10m-up",
            region="latin-america",
        ),
    ]
    backend.upsert(projects)
    facets = ("finance", "stage", "sdg", "amount")
    everything = ask(backend, "", facets=facets)
    assert everything.total == 3
    sdgs = {value.value: value.count for value in everything.facets["sdg"]}
    assert sdgs == {"life-on-land": 2, "no-poverty": 1, "clean-water": 1, "gender-equality": 1}
    chosen = ask(backend, "", filters={"finance": ("loan", "pes")}, facets=facets)
    assert set(keys(chosen)) == {"finance.project:1", "finance.project:2"}
    # The kind facet ignores its own choice: blended finance stays one click away.
    assert {value.value for value in chosen.facets["finance"]} == {"loan", "pes", "blended"}
    in_dollars = ask(backend, "", filters={"amount": ("USD:1m-10m",)}, facets=facets)
    assert keys(in_dollars) == ["finance.project:2"]
    assert keys(ask(backend, "silvopasture", filters={"sdg": ("life-on-land",)})) == [
        "finance.project:1"
    ]


def test_events_and_their_notes_are_found_by_their_audience_only(backend):
    """``search.sources.event_document``: an event's notes are part of its text, and a
    partnership's private event is found by its members only (results and facet counts)."""
    backend.upsert(
        [
            document(
                "events.eventpage:1",
                "Field visit to the terraces",
                kind="event",
                body="Kijabe. Notes: gabions held after the long rains.",
            ),
            document(
                "events.eventpage:2",
                "Partners' nursery visit",
                kind="event",
                body="Notes: gabions and seedlings counted.",
                audience=partnership_audience(PRIVATE_PARTNERSHIP),
            ),
        ]
    )
    public = ask(backend, "gabions", facets=("kind",))
    assert keys(public) == ["events.eventpage:1"]
    assert {(value.value, value.count) for value in public.facets["kind"]} == {("event", 1)}
    partner = ask(backend, "gabions", audiences=PARTNER)
    assert set(keys(partner)) == {"events.eventpage:1", "events.eventpage:2"}
