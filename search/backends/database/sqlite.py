"""SQLite: an FTS5 table ``search_fts`` whose rowid is the entry id, ranked by bm25.

The matched ids come from a walk over the full-text matches, newest first, filtered in batches
(``sqlite_walk``); beyond ``TOTAL_CAP`` matches a page is ranked from the engine's best
candidates, tier by tier (``tiers_page``)."""

from __future__ import annotations

import json

from django.db import connection
from django.db.models import CharField, Exists, F, Func, OuterRef, QuerySet
from django.db.models.expressions import RawSQL

from search.backends.database import plan, rows
from search.backends.database.analysis import stem_word, stemmed_text
from search.backends.database.engine import SharedReads
from search.backends.database.facets import selected_facets
from search.backends.database.plan import START, STOP, PagePlan
from search.backends.database.sqlite_walk import IdQuery, walk
from search.models import SearchEntry, SearchFacet
from search.types import SearchDocument, SearchRequest

#: The columns of ``search_fts`` (migration 0012), and their bm25 weights: a document in
#: Spanish, French or Portuguese also has its text's stems (``analysis``) in the last two.
COLUMNS = ("title", "summary", "body", "title_stems", "text_stems")
BM25 = "bm25(search_fts, 10.0, 4.0, 1.0, 10.0, 2.0)"


def _quoted(word: str) -> str:
    # Quoted, so no FTS5 syntax comes from users.
    return '"{}"'.format(word.replace('"', ""))


def term(word: str, language: str, title_only: bool = False) -> str:
    """One query word: the word in the text columns (``porter`` stems it as English), or, for
    a reader of a language stemmed here, its stem in that language in the stems columns."""
    plain = ("{title}" if title_only else "{title summary body}") + " : " + _quoted(word)
    stem = stem_word(word, language)
    if stem is None:
        return plain
    stems = "{title_stems}" if title_only else "{title_stems text_stems}"
    return f"({plain} OR {stems} : {_quoted(stem)})"


def match_expression(
    words: list[str], language: str, any_word: bool = False, title_only: bool = False
) -> str:
    """The FTS5 query for the words: all must appear, or any of them."""
    joiner = " OR " if any_word else " AND "
    return joiner.join(term(word, language, title_only) for word in words)


def tier_expression(words: list[str], language: str, any_word: bool, tier: str) -> str:
    """The match narrowed to a tier (``plan.TIERS``): every word in the title, some, none."""
    match = match_expression(words, language, any_word)
    every = match_expression(words, language, title_only=True)
    some = match_expression(words, language, any_word=True, title_only=True)
    if tier == "all":
        # Every word in the title is a match (all words, or any): no need to ask for both.
        return every
    if tier == "some":
        return f"({match}) AND ({some}) NOT ({every})"
    return f"({match}) NOT ({some})"


def highlight_expression(words: list[str], language: str) -> str:
    """Any of the words (and their stems) in the text columns only, so the snippet is cut
    from the text a reader sees, never from the stems."""
    candidates = dict.fromkeys(words)
    candidates.update(dict.fromkeys(filter(None, (stem_word(w, language) for w in words))))
    return "{title summary body} : (" + " OR ".join(map(_quoted, candidates)) + ")"


def fts_row(document: SearchDocument) -> tuple[str, str, str, str, str]:
    """The full-text columns of a document (``COLUMNS``)."""
    language = document.language
    return (
        document.title,
        document.summary,
        document.body,
        stemmed_text(document.title, language),
        stemmed_text(f"{document.summary} {document.body}", language),
    )


class SqliteEngine(SharedReads):
    """FTS5 (bm25 weights: title 10, summary 4, body 1)."""

    facet_name_column = "+name"

    # --- Writes ------------------------------------------------------------------------

    def write(self, entry_id: int, document: SearchDocument) -> None:
        self.write_many([(entry_id, document)])

    def write_many(self, rows: list[tuple[int, SearchDocument]]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM search_fts WHERE rowid = %s", [(entry_id,) for entry_id, _doc in rows]
            )
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, summary, body, title_stems, text_stems) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [(entry_id, *fts_row(doc)) for entry_id, doc in rows],
            )

    def forget_other_generations(self, generation: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_fts WHERE rowid IN "
                "(SELECT id FROM search_searchentry WHERE generation <> %s)",
                [generation],
            )

    def forget(self, entry_ids: list[int]) -> None:
        if not entry_ids:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_fts WHERE rowid IN (SELECT value FROM json_each(%s))",
                [json.dumps(entry_ids)],
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")

    def after_rebuild(self) -> None:
        """Nothing: FTS5 needs no statistics."""

    # --- Filters -----------------------------------------------------------------------

    def id_list(self, entry_ids: list[int]) -> RawSQL:
        """A list of ids as one parameter, for ``pk__in`` (no limit on SQL variables)."""
        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(entry_ids)])

    def facet_filter(self, name: str, values: tuple[str, ...]) -> Exists:
        """Has the entry one of ``values`` for facet ``name``?"""
        return Exists(
            SearchFacet.objects.filter(entry=OuterRef("pk"), name=name, value__in=list(values))
        )

    def visible_by_id(self, request: SearchRequest, generation: int) -> QuerySet:
        """The entries ``request`` may see, for a list of ids: the (generation, audience)
        index would cost a seek per id and audience; unary ``+`` keeps the planner on the
        primary key."""
        entries = SearchEntry.objects.alias(
            unindexed_generation=Func(F("generation"), template="+%(expressions)s"),
            unindexed_audience=Func(
                F("audience"), template="+%(expressions)s", output_field=CharField()
            ),
        ).filter(unindexed_generation=generation, unindexed_audience__in=request.audiences)
        return rows.visible(request, entries)

    # --- Matching ----------------------------------------------------------------------

    def matching(
        self, entries: QuerySet, words: list[str], language: str, any_word: bool = False
    ) -> QuerySet:
        match = match_expression(words, language, any_word)
        return entries.filter(
            id__in=RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [match])
        )

    def newest(
        self, words: list[str], language: str, any_word: bool, below: int | None, limit: int
    ) -> list[int]:
        """Matching ids, highest (most recently indexed) first, below ``below``."""
        sql = "SELECT rowid FROM search_fts WHERE search_fts MATCH %s"
        params: list = [match_expression(words, language, any_word)]
        if below is not None:
            sql += " AND rowid < %s"
            params.append(below)
        with connection.cursor() as cursor:
            cursor.execute(sql + " ORDER BY rowid DESC LIMIT %s", [*params, limit])
            return [row[0] for row in cursor.fetchall()]

    def among(
        self, entry_ids: list[int], words: list[str], language: str, any_word: bool
    ) -> list[int]:
        """Those of ``entry_ids`` that match, in one walk over the match."""
        if not entry_ids:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s "
                "AND +rowid IN (SELECT value FROM json_each(%s)) ORDER BY rowid DESC",
                [match_expression(words, language, any_word), json.dumps(entry_ids)],
            )
            return [row[0] for row in cursor.fetchall()]

    def matches(
        self, request: SearchRequest, generation: int, words: list[str], any_word: bool
    ) -> tuple[list[int], dict[str, list[int]]]:
        """Without a map box, one walk over the full-text matches collects the list and every
        scope (each entry read once, with a flag per selected facet) instead of one walk per
        list."""
        if words and request.geo is None:
            # No count first: the walk's first batch says as much when nothing matches.
            return self._walk(request, generation, words, any_word, scoped=selected_facets(request))
        return super().matches(request, generation, words, any_word)

    def matched_ids(
        self,
        request: SearchRequest,
        generation: int,
        words: list[str],
        any_word: bool,
        limit: int,
        skip: tuple[str, ...] = (),
    ) -> list[int]:
        """The cheaper side drives: the full-text matches walked newest first in batches, each
        batch filtered by the entries table (a common word and broad filters), or the entries
        table joined to the full match (a small map box or a rare audience)."""
        if not words:
            return super().matched_ids(request, generation, words, any_word, limit, skip)
        if request.geo is not None:
            # A map box usually holds few entries: list them, then keep those that match.
            filtered = self.filtered(request, generation, skip)
            boxed = list(
                filtered.order_by().values_list("pk", flat=True)[: plan.MATCH_SCAN_LIMIT + 1]
            )
            if len(boxed) <= plan.MATCH_SCAN_LIMIT:
                return self.among(boxed, words, request.reader_language, any_word)[:limit]
        found, _scopes = self._walk(request, generation, words, any_word, skip=skip, limit=limit)
        return found

    def _walk(
        self,
        request: SearchRequest,
        generation: int,
        words: list[str],
        any_word: bool,
        *,
        skip: tuple[str, ...] = (),
        scoped: list[str] | None = None,
        limit: int | None = None,
    ) -> tuple[list[int], dict[str, list[int]]]:
        def joined(skipped: tuple[str, ...], most: int) -> list[int]:
            """The entries table joined to the full match (the walk's fallback)."""
            filtered = self.filtered(request, generation, skipped)
            matching = self.matching(filtered, words, request.reader_language, any_word)
            return list(matching.order_by().values_list("pk", flat=True)[:most])

        return walk(
            newest=lambda below, size: self.newest(
                words, request.reader_language, any_word, below, size
            ),
            shown=IdQuery(self.visible_by_id(request, generation)),
            filters={
                name: values
                for name, values in request.filters.items()
                if values and name not in skip
            },
            joined=joined,
            skip=skip,
            scoped=scoped or [],
            limit=plan.TOTAL_CAP + 1 if limit is None else limit,
        )

    # --- Ranking -----------------------------------------------------------------------

    def scores(
        self, entry_ids: list[int], words: list[str], language: str, any_word: bool = False
    ) -> dict[int, float]:
        if not entry_ids:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, -{BM25} FROM search_fts "  # noqa: S608 -- fixed SQL
                "WHERE search_fts MATCH %s AND +rowid IN (SELECT value FROM json_each(%s))",
                [match_expression(words, language, any_word), json.dumps(entry_ids)],
            )
            return dict(cursor.fetchall())

    def best(
        self,
        words: list[str],
        language: str,
        any_word: bool,
        limit: int | None,
        tier: str | None = None,
        at_least: float | None = None,
    ) -> list[tuple[int, float]]:
        """The best ``limit`` matches by bm25, before filters; ``tier`` (see ``TIERS``) keeps
        those with every word in the title, some of them, or none (so a large match is ranked
        in smaller parts, best part first); ``at_least``: only scores from it up (the same
        expression gives the same float, so a tie compares equal)."""
        sql = f"SELECT rowid, -{BM25} AS score FROM search_fts WHERE search_fts MATCH %s"  # noqa: S608 -- fixed SQL
        params: list = [match_expression(words, language, any_word)]
        if tier is not None:
            # The tier is a filter on rowids, so bm25 scores the query's own words only, as
            # ``scores`` does (a column filter in the MATCH would count the title twice).
            sql += " AND +rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"
            params.append(tier_expression(words, language, any_word, tier))
        if at_least is not None:
            sql = f"SELECT rowid, score FROM ({sql}) WHERE score >= %s"  # noqa: S608 -- fixed SQL, parameters bound
            params.append(at_least)
        with connection.cursor() as cursor:
            cursor.execute(
                sql + " ORDER BY score DESC LIMIT %s", [*params, -1 if limit is None else limit]
            )
            return cursor.fetchall()

    def tiers_page(
        self, request: SearchRequest, generation: int, page: PagePlan
    ) -> list[tuple[int, float]]:
        """Too many matches to score them all: take the engine's best candidates (title
        matches first), keep those the filters allow, and stop when the page is full."""
        words, language, any_word, end = list(page.words), page.language, page.any_word, page.end
        by_id = rows.with_facet_filters(
            self.visible_by_id(request, generation), request.filters, self.facet_filter
        )

        def allowed(scores: dict[int, float]) -> dict:
            """The dates of the scored entries the filters keep (visible, every facet)."""
            listed = by_id.filter(pk__in=self.id_list(list(scores)))
            return dict(listed.values_list("pk", "date"))

        ranked: list[tuple[int, float]] = []
        for tier in page.tiers:
            limit: int | None = max(plan.RANK_BATCH, 2 * end)
            while True:
                candidates = self.best(words, language, any_word, limit, tier)
                exhausted = limit is None or len(candidates) < limit
                scores = dict(candidates)
                dates = allowed(scores)
                if exhausted or len(dates) >= end - len(ranked):
                    break
                limit = None if limit * 4 > plan.MATCH_SCAN_LIMIT else limit * 4
            tier_ranked = plan.by_score(scores, list(dates), dates)
            need = end - len(ranked)
            if not exhausted and len(tier_ranked) >= need:
                floor = candidates[-1][1]
                if tier_ranked[need - 1][1] == floor:
                    # The page ends on the score the batch was cut at: rows with that score
                    # beyond the cut may be newer, so take every row with it.
                    scores = dict(self.best(words, language, any_word, None, tier, floor))
                    dates = allowed(scores)
                    tier_ranked = plan.by_score(scores, list(dates), dates)
            ranked += tier_ranked
            if len(ranked) >= end:
                break
        return ranked

    def highlights(
        self, entry_ids: list[int], words: list[str], language: str, any_word: bool = False
    ) -> dict[int, str]:
        if not entry_ids or not words:
            return {}
        # A page's few ids, each looked up with the match (``rowid =``, ~0.1 ms each): walking
        # a common word's whole match to test each row against the list took ~5 ms at 100,000
        # documents. (bm25 is another matter: it counts the match again at every lookup.)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT search_fts.rowid, snippet(search_fts, -1, %s, %s, '…', 24) "
                "FROM json_each(%s) AS page CROSS JOIN search_fts ON search_fts.rowid = page.value "
                "WHERE search_fts MATCH %s",
                [START, STOP, json.dumps(entry_ids), highlight_expression(words, language)],
            )
            return dict(cursor.fetchall())
