"""PostgreSQL: a weighted ``tsvector`` column of the entry (title A, summary B, body C, in the
document's language's text search configuration, and in ``simple`` so words from another
language still match unstemmed), ranked by ``ts_rank_cd``.

Facet values are lexemes of the same vector (``facet_lexeme``), so the GIN index answers the
words and the facet filters together; beyond ``TOTAL_CAP`` matches a page is ranked tier by
tier with the filters inside the ranking query (``tiers_page``)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import connection
from django.db.models import BooleanField, F, FloatField, QuerySet
from django.db.models.expressions import RawSQL

from search.backends.database import plan
from search.backends.database.engine import SharedReads
from search.backends.database.plan import START, STOP, PagePlan
from search.types import SearchDocument, SearchRequest

#: The text search configuration of each content language (``simple`` for any other).
POSTGRES_CONFIGS = {"en": "english", "es": "spanish", "fr": "french", "pt": "portuguese"}
#: Every title lexeme of the entries (add `` AND id = ANY(...)``) with its one-word score
#: (``search_titleword``, migration 0010, which has the same statement).
TITLE_WORDS_INSERT = (
    "INSERT INTO search_titleword (entry_id, generation, lexeme, score) "
    "SELECT id, generation, lexeme, ts_rank_cd(search_vector, "
    "('''' || replace(replace(lexeme, '\\', '\\\\'), '''', '''''') || '''')::tsquery) "
    "FROM search_searchentry, unnest(tsvector_to_array(title_vector)) AS lexeme "
    "WHERE title_vector IS NOT NULL AND search_vector IS NOT NULL"
)
#: A query word PostgreSQL parses as one token (``_`` splits one), for ``_top_titles``.
_PLAIN_WORD = re.compile(r"[^\W_]+")

VECTOR_SQL = """
    UPDATE search_searchentry SET search_vector =
        setweight(to_tsvector(%(config)s::regconfig, %(title)s), 'A')
        || setweight(to_tsvector('simple', %(title)s), 'A')
        || setweight(to_tsvector(%(config)s::regconfig, %(summary)s), 'B')
        || setweight(to_tsvector(%(config)s::regconfig, %(body)s), 'C')
        || setweight(to_tsvector('simple', %(summary)s || ' ' || %(body)s), 'D')
        || array_to_tsvector(%(facets)s::text[]),
        title_vector = to_tsvector(%(config)s::regconfig, %(title)s)
        || to_tsvector('simple', %(title)s)
    WHERE id = %(id)s
"""


def config(language: str) -> str:
    """The text search configuration a language's text is parsed and stemmed with."""
    return POSTGRES_CONFIGS.get(language, "simple")


def facet_lexeme(name: str, value: str) -> str:
    """A facet value as one lexeme of ``search_vector`` ("region africa"), as the facet table
    stores it (``value[:120]``). It holds a space, which no text parser puts in a lexeme, and
    queries are built from words, so text never matches it nor it a query word."""
    return f"{name} {value[:120]}"


def facet_tsquery(name: str, values: Iterable[str]) -> str:
    """The tsquery (input syntax, each lexeme quoted as-is) for any of ``values``."""
    quoted = (
        "'" + facet_lexeme(name, value).replace("\\", "\\\\").replace("'", "''") + "'"
        for value in values
    )
    return " | ".join(quoted)


def vector_params(entry_id: int, document: SearchDocument) -> dict:
    """The parameters of ``VECTOR_SQL`` for a document: parsed in its own language."""
    return {
        "config": config(document.language),
        "title": document.title,
        "summary": document.summary,
        "body": document.body,
        "id": entry_id,
        "facets": sorted(
            {
                facet_lexeme(name, value)
                for name, values in document.facet_values().items()
                for value in values
            }
        ),
    }


def either(function: str, language: str, text: str) -> tuple[str, list[str]]:
    """The query in the language's configuration or in ``simple``; once when both read the
    same (``soil``: the stem is the word), as ``ts_rank_cd`` walks every query item and a twin
    doubles its work for the same score. Immutable calls on constants, so PostgreSQL folds
    this to one constant tsquery when planning (the GIN index still applies)."""
    own, simple = f"{function}(%s::regconfig, %s)", f"{function}('simple', %s)"
    name = config(language)
    return (
        f"(CASE WHEN {own} = {simple} THEN {own} ELSE {own} || {simple} END)",
        [name, text, text, name, text, name, text, text],
    )


def tsquery(words: list[str], language: str, any_word: bool = False) -> tuple[str, list[str]]:
    """The query's tsquery in the reader's language (and ``simple``)."""
    if any_word:
        # Words are \w+ only, so they are safe lexemes for to_tsquery.
        return either("to_tsquery", language, " | ".join(words))
    # All words must match: plainto_tsquery ANDs the words of each configuration.
    return either("plainto_tsquery", language, " ".join(words))


def title_tsquery(words: list[str], language: str, every: bool = False) -> tuple[str, list[str]]:
    """Any of the words (or ``every`` one), for the title's own vector (``title_vector``,
    GIN-indexed)."""
    return either("to_tsquery", language, (" & " if every else " | ").join(words))


def tier_condition(
    words: list[str], language: str, any_word: bool, tier: str
) -> tuple[str, list[str]]:
    """The SQL condition of a tier (``plan.TIERS``). Bare ``@@`` for the index; the last tier
    also takes rows without a title vector. The ``all`` tier is only the title index: a title
    holding every word is a match (the title's words are in ``search_vector`` too)."""
    where, params = [], []
    if tier != "all":
        query, query_params = tsquery(words, language, any_word)
        where.append(f"search_vector @@ {query}")
        params += query_params
    some_query, some_params = title_tsquery(words, language)
    every_query, every_params = title_tsquery(words, language, every=True)
    if tier == "all":
        where.append(f"title_vector @@ {every_query}")
        params += every_params
    elif tier == "some":
        where.append(f"title_vector @@ {some_query} AND NOT title_vector @@ {every_query}")
        params += some_params + every_params
    else:
        where.append(f"NOT COALESCE(title_vector @@ {some_query}, false)")
        params += some_params
    return " AND ".join(where), params


class PostgresEngine(SharedReads):
    """``search_vector`` and ``title_vector`` columns with GIN indexes (migrations 0002,
    0005), and the title words' one-word scores (``search_titleword``, migration 0010)."""

    facet_name_column = "name"

    # --- Writes ------------------------------------------------------------------------

    @staticmethod
    def _write_title_words(cursor, entry_ids: list[int]) -> None:
        """The one-word scores of the entries' title lexemes, from their fresh vectors."""
        cursor.execute("DELETE FROM search_titleword WHERE entry_id = ANY(%s)", [entry_ids])
        cursor.execute(TITLE_WORDS_INSERT + " AND id = ANY(%s)", [entry_ids])

    def write(self, entry_id: int, document: SearchDocument) -> None:
        with connection.cursor() as cursor:
            cursor.execute(VECTOR_SQL, vector_params(entry_id, document))
            self._write_title_words(cursor, [entry_id])

    def write_many(self, rows: list[tuple[int, SearchDocument]]) -> None:
        """One statement sent for many rows (psycopg pipelines ``executemany``)."""
        with connection.cursor() as cursor:
            cursor.executemany(VECTOR_SQL, [vector_params(entry_id, doc) for entry_id, doc in rows])
            self._write_title_words(cursor, [entry_id for entry_id, _doc in rows])

    def forget_other_generations(self, generation: int) -> None:
        """The vector is a column of the entry: deleting the entry deletes it. The title
        words go here."""
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_titleword WHERE generation <> %s", [generation])

    def forget(self, entry_ids: list[int]) -> None:
        if entry_ids:
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM search_titleword WHERE entry_id = ANY(%s)", [entry_ids])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_titleword")

    def after_rebuild(self) -> None:
        """The whole table changed: fresh statistics, or the planner guesses (a facet count
        planned on stale statistics took minutes at 100,000 entries). VACUUM too (outside a
        transaction only): it marks the fresh pages all-visible, so a facet filter is an
        index-only scan from the start, not once autovacuum comes by."""
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            cursor.execute(f"{command} search_searchentry, search_searchfacet, search_titleword")

    # --- Filters and matching ----------------------------------------------------------

    def id_list(self, entry_ids: list[int]) -> RawSQL:
        return RawSQL("SELECT unnest(%s::bigint[])", [entry_ids])

    def facet_filter(self, name: str, values: tuple[str, ...]) -> RawSQL:
        """Has the entry one of ``values`` for facet ``name``? The answer is in
        ``search_vector`` (``facet_lexeme``), so the GIN index intersects it with the words
        before any row is read: a region filter on a common word reads ~1,000 rows for the
        list, not the ~8,000 a join to the facet table walked."""
        return RawSQL(
            "search_vector @@ %s::tsquery",
            [facet_tsquery(name, values)],
            output_field=BooleanField(),
        )

    def matching(
        self, entries: QuerySet, words: list[str], language: str, any_word: bool = False
    ) -> QuerySet:
        query, params = tsquery(words, language, any_word)
        matches = RawSQL(f"search_vector @@ {query}", params, output_field=BooleanField())  # noqa: S611 -- fixed SQL, parameters bound
        return entries.alias(matches=matches).filter(matches=True)

    # --- Ranking -----------------------------------------------------------------------

    def scores(
        self, entry_ids: list[int], words: list[str], language: str, any_word: bool = False
    ) -> dict[int, float]:
        if not entry_ids:
            return {}
        query, params = tsquery(words, language, any_word)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, ts_rank_cd(search_vector, {query}) FROM search_searchentry "  # noqa: S608 -- fixed SQL, parameters bound
                "WHERE id = ANY(%s)",
                [*params, entry_ids],
            )
            return dict(cursor.fetchall())

    def tiers_page(
        self, request: SearchRequest, generation: int, page: PagePlan
    ) -> list[tuple[int, float]]:
        """The filters go into the ranking query: each tier gives its best filtered entries."""
        filtered = self.filtered(request, generation)
        ranked: list[tuple[int, float]] = []
        for tier in page.tiers:
            ranked += self.best(filtered, page, page.end - len(ranked), tier, generation)
            if len(ranked) >= page.end:
                break
        return ranked

    def best(
        self, entries: QuerySet, page: PagePlan, limit: int, tier: str, generation: int
    ) -> list[tuple[int, float]]:
        """The best ``limit`` of ``entries`` (visible, every facet filter applied) in ``tier``
        by ts_rank_cd, in the page's order: score, then newest, then id.

        The filters are in the ranking query, so only the entries a page may show are ranked
        (a region filter ranks ~1,200 titles of a common word, not ~9,000; the GIN indexes
        intersect the title tier and the facet lexemes before any row is read). The tiers are
        found through the title's own GIN index."""
        words = list(page.words)
        if tier == "all" and len(words) == 1 and _PLAIN_WORD.fullmatch(words[0]):
            return self._top_titles(entries, words[0], page.language, limit, generation)
        condition, condition_params = tier_condition(words, page.language, page.any_word, tier)
        in_tier = RawSQL(condition, condition_params, output_field=BooleanField())  # noqa: S611 -- fixed SQL, parameters bound
        return list(self._ranked(entries, in_tier, words, page.language, page.any_word)[:limit])

    @staticmethod
    def _ranked(
        entries: QuerySet, in_tier: RawSQL, words: list[str], language: str, any_word: bool
    ) -> QuerySet:
        """(id, ts_rank_cd score) of ``entries`` in the tier, in the page's order: score, then
        newest, then id (as ``plan.by_score``)."""
        query, params = tsquery(words, language, any_word)
        score = RawSQL(f"ts_rank_cd(search_vector, {query})", params, output_field=FloatField())  # noqa: S611 -- fixed SQL, parameters bound
        return (
            entries.alias(in_tier=in_tier)
            .filter(in_tier=True)
            .annotate(score=score)
            .order_by("-score", F("date").desc(nulls_last=True), "pk")
            .values_list("pk", "score")
        )

    def _top_titles(
        self, entries: QuerySet, word: str, language: str, limit: int, generation: int
    ) -> list[tuple[int, float]]:
        """``best`` of the title tier for one word, from the precomputed title-word scores.

        The word's query is one lexeme or two (the reader's stem, the plain word); an entry's
        score for it is at most the sum of its scores for each (``search_titleword``), and
        equal when they sit at different positions, as the title's two parses do. Candidates
        are read by that bound, best first, ``batch`` at a time; only they are filtered and
        ranked exactly (``ts_rank_cd``), and reading stops once the page's last score beats
        the bound of every entry not read yet, so the page is the one ranking every title
        with the word would give (ties included: an equal bound is read)."""
        every_query, every_params = title_tsquery([word], language, every=True)
        in_tier = RawSQL(  # noqa: S611 -- fixed SQL, parameters bound
            f"title_vector @@ {every_query}", every_params, output_field=BooleanField()
        )
        batch = max(plan.RANK_BATCH, 2 * limit)
        while True:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT entry_id, sum(score::float8) AS bound FROM search_titleword "
                    "WHERE generation = %s AND lexeme = ANY(tsvector_to_array("
                    "to_tsvector(%s::regconfig, %s) || to_tsvector('simple', %s))) "
                    "GROUP BY entry_id ORDER BY bound DESC, entry_id LIMIT %s",
                    [generation, config(language), word, word, batch],
                )
                candidates = cursor.fetchall()
            listed = entries.filter(pk__in=self.id_list([pk for pk, _bound in candidates]))
            ranked = list(self._ranked(listed, in_tier, [word], language, False))
            if len(candidates) < batch:
                return ranked[:limit]
            floor = candidates[-1][1]
            # Float4 scores summed in float8: allow for their rounding.
            if len(ranked) >= limit and ranked[limit - 1][1] > floor * (1 + 1e-6):
                return ranked[:limit]
            batch *= 4

    def highlights(
        self, entry_ids: list[int], words: list[str], language: str, any_word: bool = False
    ) -> dict[int, str]:
        if not entry_ids or not words:
            return {}
        query, params = tsquery(words, language, any_word)
        options = (
            f"StartSel={START}, StopSel={STOP}, MaxFragments=2, MaxWords=30, MinWords=10, "
            "FragmentDelimiter=' … '"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, ts_headline(%s::regconfig, title || ' ' || summary || ' ' || body, {query}, %s) "  # noqa: S608 -- fixed SQL, parameters bound
                "FROM search_searchentry WHERE id = ANY(%s)",
                [config(language), *params, options, entry_ids],
            )
            return dict(cursor.fetchall())
