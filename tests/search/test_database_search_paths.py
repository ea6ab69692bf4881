"""The database backend's fast paths give the answers of its exact path.

A large match takes other routes than a small one (capped total, ranking in batches of the
engine's best candidates, a map box listed first, walking the matches newest first). The limits
that choose a route are lowered here so a small real index takes each route, and the answers are
compared with the exact route's on the same data.
"""

from __future__ import annotations

import pytest
from django.db import connection

from search.backends.database import plan
from search.types import MEMBERS, PUBLIC, BoundingBox, SearchRequest, partnership_audience
from tests.search.conftest import PRIVATE_PARTNERSHIP, document, when


@pytest.fixture
def rivers(backend):
    """40 documents about rivers: some in the title, most in the body; a third members-only,
    half of them placed in East Africa."""
    if backend.name != "database":
        pytest.skip("database backend routes")
    documents = []
    for number in range(40):
        in_title = number % 4 == 0
        documents.append(
            document(
                f"library.casestudypage:{number}",
                f"River {number} restoration" if in_title else f"Field notes {number}",
                summary="Notes from the basin." if in_title else "River banks and farms.",
                body=" ".join(["river"] * (1 + number % 3)) + " water fund",
                audience=MEMBERS if number % 3 == 0 else PUBLIC,
                region="africa" if number % 2 else "asia",
                themes=("restoration",) if number % 5 else ("finance",),
                latitude=-1.0 if number % 2 else None,
                longitude=37.0 if number % 2 else None,
                date=when(number),
            )
        )
    backend.upsert(documents)
    return backend


def run(backend, **fields):
    fields.setdefault("audiences", (PUBLIC,))
    return backend.query(SearchRequest(**fields))


def keys(results) -> list[str]:
    return [hit.key for hit in results.hits]


def lower_limits(monkeypatch, cap=5):
    monkeypatch.setattr(plan, "TOTAL_CAP", cap)
    monkeypatch.setattr(plan, "RANK_BATCH", 2)
    monkeypatch.setattr(plan, "MATCH_CHUNK", 3)


def test_a_capped_total_is_a_lower_bound_and_says_so(rivers, monkeypatch):
    exact = run(rivers, text="river")
    assert exact.total == 26 and not exact.capped
    lower_limits(monkeypatch)
    capped = run(rivers, text="river")
    assert capped.capped and capped.total == 5
    assert capped.pages == 1


def test_capped_ranking_puts_title_matches_first_like_the_exact_ranking(rivers, monkeypatch):
    exact = [keys(run(rivers, text="river", per_page=4, page=page)) for page in (1, 2, 3)]
    lower_limits(monkeypatch, cap=3)
    capped = [keys(run(rivers, text="river", per_page=4, page=page)) for page in (1, 2, 3)]
    # Title matches are the best ones here, so both routes agree page by page.
    assert capped == exact
    assert all("River" in hit.title for hit in run(rivers, text="river", per_page=4).hits)


def test_capped_ranking_of_several_words_puts_titles_with_every_word_first(backend, monkeypatch):
    """Beyond the cap a large match is ranked in parts: titles with every query word, then
    titles with some of them, then the rest, each part by the engine's own score."""
    if backend.name != "database":
        pytest.skip("database backend routes")
    # "one" repeats its word, so the exact ranking may put it above "both"; the parts do not.
    titles = {"both": "Cocoa under shade", "one": "Cocoa cocoa cocoa markets", "none": "Notes"}
    backend.upsert(
        document(
            f"library.casestudypage:{kind}{number}",
            f"{title} {number}",
            body="cocoa shade " * (1 + number % 3),
            date=when(number),
        )
        for number in range(3)
        for kind, title in titles.items()
    )
    exact = run(backend, text="cocoa shade", per_page=9)
    assert exact.total == 9 and not exact.capped
    lower_limits(monkeypatch, cap=3)
    capped = run(backend, text="cocoa shade", per_page=9)
    assert capped.capped
    tiers = [key.split(":")[1].rstrip("0123456789") for key in keys(capped)]
    assert tiers == ["both"] * 3 + ["one"] * 3 + ["none"] * 3
    # Inside each part the order is the exact ranking's.
    for kind in titles:
        assert [key for key in keys(capped) if f":{kind}" in key] == [
            key for key in keys(exact) if f":{kind}" in key
        ]


def test_capped_ranking_keeps_filters_while_it_fetches_more_candidates(rivers, monkeypatch):
    exact = [
        keys(run(rivers, text="river", filters={"theme": ("finance",)}, per_page=3, page=p))
        for p in (1, 2)
    ]
    lower_limits(monkeypatch, cap=2)
    pages = [
        run(rivers, text="river", filters={"theme": ("finance",)}, per_page=3, page=page)
        for page in (1, 2)
    ]
    assert all(results.capped for results in pages)
    # Public finance documents: 5, 10, 20, 25, 35 (the others are members-only or off-theme).
    assert [keys(results) for results in pages] == exact
    assert {key.split(":")[1] for results in pages for key in keys(results)} == {
        "5",
        "10",
        "20",
        "25",
        "35",
    }


def test_capped_facets_count_the_first_matches_and_keep_selected_values(rivers, monkeypatch):
    lower_limits(monkeypatch, cap=4)
    results = run(rivers, text="river", facets=("region", "theme"), filters={"region": ("asia",)})
    regions = {value.value: value for value in results.facets["region"]}
    assert regions["asia"].selected
    assert sum(value.count for value in results.facets["region"]) == 4
    assert sum(value.count for value in results.facets["theme"]) == 4


def test_date_sort_of_a_capped_match_is_newest_first(rivers, monkeypatch):
    exact = keys(run(rivers, text="river", sort="date", per_page=5))
    lower_limits(monkeypatch)
    assert keys(run(rivers, text="river", sort="date", per_page=5)) == exact


def test_a_map_box_is_listed_first_then_matched(rivers):
    box = BoundingBox(south=-2, west=36, north=0, east=38)
    results = run(rivers, text="river", geo=box, audiences=(PUBLIC, MEMBERS))
    assert results.total == 20
    assert all(hit.latitude == -1.0 for hit in results.hits)


def test_walking_the_matches_falls_back_to_a_join_when_filters_reject_most(rivers, monkeypatch):
    exact = run(rivers, text="water", filters={"theme": ("finance",)}, audiences=(PUBLIC,))
    monkeypatch.setattr(plan, "MATCH_CHUNK", 3)
    monkeypatch.setattr(plan, "MATCH_SCAN_LIMIT", 6)
    walked = run(rivers, text="water", filters={"theme": ("finance",)}, audiences=(PUBLIC,))
    assert walked.total == exact.total == 5
    assert keys(walked) == keys(exact)


def test_the_search_page_says_more_than_when_the_total_is_capped(rivers, monkeypatch, client):
    from django.urls import reverse

    lower_limits(monkeypatch)
    page = client.get(reverse("search:search"), {"q": "river"}).content.decode()
    assert "More than 5 results" in page
    assert "Counts are for the first 5 results" in page


# --- Facet counts against a naive count ------------------------------------------------------

OUTSIDER = (PUBLIC,)
PARTNER = (PUBLIC, MEMBERS, partnership_audience(PRIVATE_PARTNERSHIP))
REGIONS = ("africa", "asia", "europe")
THEMES = ("restoration", "finance", "governance", "value-chains")


@pytest.fixture
def fields(backend):
    """60 documents with "soil" in every body, a third public, a third members-only and a
    third private to one partnership, spread over regions and pairs of themes."""
    if backend.name != "database":
        pytest.skip("database backend routes")
    audiences = (PUBLIC, MEMBERS, partnership_audience(PRIVATE_PARTNERSHIP))
    documents = [
        document(
            f"library.casestudypage:{number}",
            f"Field {number}",
            body="soil water" if number % 4 else "soil",
            audience=audiences[number % 3],
            region=REGIONS[(number // 3) % len(REGIONS)],
            themes=(THEMES[number % 4], THEMES[(number // 4) % 4]),
            date=when(number),
        )
        for number in range(60)
    ]
    backend.upsert(documents)
    return backend, documents


def naive_counts(documents, audiences, filters, facets, text, newest=None):
    """Each facet's {value: count} by reading every document: a facet with a selection over the
    documents that pass every other filter, the others over those that pass them all.
    ``newest``: only the first that many of a list, newest indexed first (a capped count)."""

    def values(doc, name):
        return doc.facet_values()[name]

    def passes(doc, skip=None):
        if doc.audience not in audiences or text not in doc.body.split():
            return False
        return all(
            set(values(doc, name)) & set(chosen) for name, chosen in filters.items() if name != skip
        )

    counts = {}
    for name in facets:
        scope = [doc for doc in reversed(documents) if passes(doc, skip=name)]
        counted = {}
        for doc in scope[:newest]:
            for value in set(values(doc, name)):
                counted[value] = counted.get(value, 0) + 1
        for value in filters.get(name, ()):
            counted.setdefault(value, 0)
        counts[name] = counted
    return counts


def engine_counts(results):
    return {
        name: {value.value: value.count for value in values}
        for name, values in results.facets.items()
    }


CASES = [
    ("soil", {}),
    ("soil", {"region": ("asia",)}),
    ("water", {"region": ("asia", "europe")}),
    ("soil", {"region": ("africa",), "theme": ("finance",)}),
    ("water", {"theme": ("governance", "restoration"), "region": ("europe",)}),
]


@pytest.mark.parametrize("audiences", [OUTSIDER, PARTNER], ids=["outsider", "partner"])
@pytest.mark.parametrize("walked", [False, True], ids=["one-batch", "many-batches"])
def test_facet_counts_equal_a_naive_count_on_filtered_queries(
    fields, monkeypatch, audiences, walked
):
    backend, documents = fields
    if walked:
        # The same answers when the walk reads the matches three at a time.
        monkeypatch.setattr(plan, "MATCH_CHUNK", 3)
    for text, filters in CASES:
        results = run(
            backend, text=text, filters=filters, audiences=audiences, facets=("region", "theme")
        )
        expected = naive_counts(documents, audiences, filters, ("region", "theme"), text)
        assert engine_counts(results) == expected, (text, filters)
        assert not results.capped


def test_private_partnership_documents_are_never_counted_for_outsiders(fields):
    backend, documents = fields
    outsider = run(backend, text="soil", audiences=OUTSIDER, filters={"region": ("asia",)})
    partner = run(backend, text="soil", audiences=PARTNER, filters={"region": ("asia",)})
    public = [doc for doc in documents if doc.audience == PUBLIC]
    assert sum(value.count for value in outsider.facets["region"]) == len(public)
    assert sum(value.count for value in partner.facets["region"]) == len(documents)
    assert all(
        hit.key in {doc.key for doc in public}
        for page in range(1, 5)
        for hit in run(backend, text="soil", audiences=OUTSIDER, page=page).hits
    )


@pytest.mark.parametrize("audiences", [OUTSIDER, PARTNER], ids=["outsider", "partner"])
def test_capped_facet_counts_are_those_of_the_newest_matches(fields, monkeypatch, audiences):
    """Beyond the cap, counts are exact over the newest ``TOTAL_CAP`` matches (and each
    selected facet's scope over its own newest ``TOTAL_CAP``), however the walk batches them.
    (SQLite walks the matches newest first; PostgreSQL takes the first ones in the planner's
    order, so only their number is fixed there.)"""
    backend, documents = fields
    if connection.vendor != "sqlite":
        pytest.skip("newest first is the SQLite walk's order")
    lower_limits(monkeypatch, cap=7)
    for text, filters in CASES:
        results = run(
            backend, text=text, filters=filters, audiences=audiences, facets=("region", "theme")
        )
        expected = naive_counts(documents, audiences, filters, ("region", "theme"), text, newest=7)
        assert engine_counts(results) == expected, (text, filters)


ODD_TAGS = ("it's", "a\\b", "soil & water", "x | y", "río:alto", "(tag)", "ñandú")


def test_facet_filters_match_odd_values_exactly_and_never_the_words(backend):
    """On PostgreSQL a facet filter is a lexeme of the entry's vector: any value (quotes,
    backslashes, operators, spaces) matches only itself, and no query word matches a facet."""
    if backend.name != "database":
        pytest.skip("database backend routes")
    backend.upsert(
        document(
            f"library.casestudypage:{number}",
            f"Terraces {number}",
            body="terraces",
            region="africa",
            tags=(tag,),
        )
        for number, tag in enumerate(ODD_TAGS)
    )
    for number, tag in enumerate(ODD_TAGS):
        results = run(backend, text="terraces", filters={"tag": (tag,)})
        assert keys(results) == [f"library.casestudypage:{number}"], tag
        counts = {value.value: value.count for value in results.facets["tag"]}
        assert counts == dict.fromkeys(ODD_TAGS, 1), tag
    both = run(backend, text="terraces", filters={"tag": (ODD_TAGS[0], ODD_TAGS[2])})
    assert sorted(keys(both)) == ["library.casestudypage:0", "library.casestudypage:2"]
    assert run(backend, text="terraces", filters={"tag": ("it",)}).total == 0
    # The facet's words are not the document's words.
    for text in ("africa", "region", "region africa", "tag", "soil"):
        assert run(backend, text=text).total == 0, text


def test_the_migration_gives_facet_lexemes_to_entries_indexed_before_it(backend):
    if backend.name != "database" or connection.vendor != "postgresql":
        pytest.skip("PostgreSQL vectors")
    import importlib

    migration = importlib.import_module("search.migrations.0008_facet_lexemes")
    backend.upsert([document("library.casestudypage:1", "Terraces", region="africa")])
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE search_searchentry SET search_vector = ts_delete(search_vector, %s::text[])",
            [["region africa", "kind case_study", "language en"]],
        )
    assert run(backend, text="terraces", filters={"region": ("africa",)}).total == 0
    with connection.cursor() as cursor:
        cursor.execute(migration.POSTGRES_ADD)
    assert run(backend, text="terraces", filters={"region": ("africa",)}).total == 1
    assert run(backend, text="terraces").total == 1


def test_capped_ranking_breaks_ties_newest_first_like_the_exact_ranking(backend, monkeypatch):
    """Identical documents score the same: beyond the cap they come newest first, as in the
    exact ranking, however many candidates a batch takes."""
    if backend.name != "database":
        pytest.skip("database backend routes")
    backend.upsert(
        document(
            f"library.casestudypage:{number}",
            "Cork oak",
            body="cork",
            audience=PUBLIC if number % 2 else MEMBERS,
            date=when((number * 7) % 12),
        )
        for number in range(12)
    )
    exact = [keys(run(backend, text="cork", per_page=2, page=page)) for page in (1, 2, 3)]
    assert exact[0]
    lower_limits(monkeypatch, cap=3)
    capped = [keys(run(backend, text="cork", per_page=2, page=page)) for page in (1, 2, 3)]
    assert run(backend, text="cork").capped
    assert capped == exact


def test_the_migration_moves_toasted_vectors_into_their_rows(backend):
    """Migration 0009: a vector stored out of line (the default storage) is rewritten into its
    row, as a fresh write under the new storage keeps it there (what stays out of line is
    text, far smaller)."""
    if backend.name != "database" or connection.vendor != "postgresql":
        pytest.skip("PostgreSQL storage")
    import importlib
    import random

    migration = importlib.import_module("search.migrations.0009_vectors_inline")
    rng = random.Random(5)  # noqa: S311 -- test data, not secrets
    vocabulary = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=9)) for _ in range(150)]
    documents = [
        document(
            f"library.casestudypage:{number}",
            " ".join(rng.choices(vocabulary, k=6)),
            summary=" ".join(rng.choices(vocabulary, k=20)),
            body=" ".join(rng.choices(vocabulary, k=150)),
        )
        for number in range(20)
    ]

    def storage_and_chunks() -> tuple[set[str], int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT attstorage FROM pg_attribute WHERE attrelid = 'search_searchentry'::regclass "
                "AND attname IN ('search_vector', 'title_vector')"
            )
            storage = {row[0] for row in cursor.fetchall()}
            cursor.execute(
                "SELECT reltoastrelid::regclass::text FROM pg_class "
                "WHERE oid = 'search_searchentry'::regclass"
            )
            toast = cursor.fetchone()[0]
            cursor.execute(f"SELECT COALESCE(sum(octet_length(chunk_data)), 0) FROM {toast}")  # noqa: S608 -- a relation name from the catalog
            return storage, cursor.fetchone()[0]

    assert storage_and_chunks()[0] == {"m"}
    with connection.cursor() as cursor:
        for statement in migration.POSTGRES_DEFAULT:
            cursor.execute(statement)
    backend.upsert(documents)
    storage, toasted = storage_and_chunks()
    assert storage == {"x"} and toasted > 20 * 2000  # the vectors went out of line

    with connection.cursor() as cursor:
        for statement in migration.POSTGRES_INLINE:
            cursor.execute(statement)
    storage, migrated = storage_and_chunks()
    assert storage == {"m"}
    backend.upsert(documents)  # fresh vectors under the new storage
    assert storage_and_chunks()[1] == migrated < toasted * 0.6
    assert run(backend, text=vocabulary[0]).total > 0


def test_capped_one_word_ranking_from_title_word_scores_is_the_exact_ranking(backend, monkeypatch):
    """PostgreSQL reads a one-word title tier from precomputed title-word scores, best bound
    first; pages, ties and filters come out as ranking every title would give them."""
    if backend.name != "database":
        pytest.skip("database backend routes")
    languages = ("en", "es", "fr", "pt")
    backend.upsert(
        document(
            f"library.casestudypage:{number}",
            ("Restoration restoration" if number % 5 == 0 else "Restoration")
            + f" of the land {number}",
            body=" ".join(["restoration"] * (number % 4)) + " soil",
            summary="restoring springs" if number % 3 else "restoration",
            language=languages[number % 4],
            audience=PUBLIC if number % 6 else MEMBERS,
            region="africa" if number % 2 else "asia",
            date=when((number * 5) % 17),
        )
        for number in range(30)
    )
    cases = [
        {"text": "restoration"},
        {"text": "restoration", "reader_language": "es"},
        {"text": "Restoration", "filters": {"region": ("asia",)}},
        {"text": "land", "audiences": (PUBLIC, MEMBERS)},
    ]
    exact = [
        [keys(run(backend, per_page=4, page=page, **case)) for page in (1, 2, 3)] for case in cases
    ]
    assert all(pages[0] for pages in exact)
    lower_limits(monkeypatch, cap=3)
    for case, expected in zip(cases, exact, strict=True):
        assert run(backend, **case).capped
        assert [keys(run(backend, per_page=4, page=page, **case)) for page in (1, 2, 3)] == (
            expected
        ), case


def test_the_migration_scores_the_title_words_of_entries_indexed_before_it(backend):
    if backend.name != "database" or connection.vendor != "postgresql":
        pytest.skip("PostgreSQL title words")
    import importlib

    migration = importlib.import_module("search.migrations.0010_title_word_scores")
    backend.upsert(
        [
            document("library.casestudypage:1", "Terraces on Mount Kenya", body="terraces"),
            document("library.casestudypage:2", "Terrazas de café", language="es"),
            document("library.casestudypage:3", "O'Neil's back\\slash notes"),
        ]
    )

    def rows() -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT entry_id, generation, lexeme, score FROM search_titleword "
                "ORDER BY entry_id, lexeme"
            )
            return cursor.fetchall()

    written = rows()
    assert {row[2] for row in written} >= {"terrac", "terraces", "kenya", "terraz", "café"}
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_titleword")
        cursor.execute(migration.POSTGRES_BACKFILL)
    assert rows() == written
    # A score is the engine's own one-word score.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ts_rank_cd(search_vector, 'terrac'::tsquery) FROM search_searchentry "
            "WHERE key = 'library.casestudypage:1'"
        )
        (score,) = cursor.fetchone()
    assert ("terrac", score) in {(row[2], row[3]) for row in written}
    backend.delete(["library.casestudypage:1"])
    assert {row[0] for row in rows()} == {row[0] for row in written} - {written[0][0]}
