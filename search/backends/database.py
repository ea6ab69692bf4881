"""The embedded search backend: SQLite FTS5 (bm25) or PostgreSQL tsvector (ts_rank_cd).

Entries, facets and generations are ordinary tables (``search.models``); only matching,
ranking and highlighting differ per database, in the two ``FullText`` classes below. Facets
are GROUP BY counts; geo is a bounding box on latitude/longitude.

How a query stays fast at 100,000 documents (figures in docs/design-notes.md, Search):

* the matching ids are collected once, at most ``TOTAL_CAP + 1`` of them: they give the total
  (exact up to the cap, "more than" beyond it, as nobody pages past ``MAX_PAGE``) and the facet
  scope, and relevance ranking over them is exact;
* beyond the cap, ranking reads the engine's best candidates first (title matches, then the
  rest), filters them in batches and stops once the page is full, instead of scoring and joining
  every match.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    CharField,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL
from django.utils.html import escape

from search import per_request
from search.models import IndexState, SearchEntry, SearchFacet
from search.types import (
    FacetValue,
    Hit,
    SearchDocument,
    SearchRequest,
    SearchResults,
)

START, STOP = "\x02", "\x03"
_WORDS = re.compile(r"\w+", re.UNICODE)
POSTGRES_CONFIGS = {"en": "english", "es": "spanish", "fr": "french", "pt": "portuguese"}
FACET_LIMIT = 30
REBUILD_BATCH = 500
#: Exact totals and facet counts up to this many matches (= 100 pages of 10, the deepest page).
TOTAL_CAP = 1000
#: Ids per batch when walking the full-text matches newest first to apply the filters.
MATCH_CHUNK = 2000
#: Walked this far without filling the cap, let the database join the other way round.
MATCH_SCAN_LIMIT = 12_000
#: Candidates ranked per batch when the matches exceed the cap (grows x4 while filters reject).
RANK_BATCH = 200
#: Parts a large match is ranked in, best first: every query word in the title, some, none.
TIERS = ("all", "some", "none")
#: PostgreSQL: every title lexeme of the entries (add `` AND id = ANY(...)``) with its one-word
#: score (``search_titleword``, migration 0010, which has the same statement).
TITLE_WORDS_INSERT = (
    "INSERT INTO search_titleword (entry_id, generation, lexeme, score) "
    "SELECT id, generation, lexeme, ts_rank_cd(search_vector, "
    "('''' || replace(replace(lexeme, '\\', '\\\\'), '''', '''''') || '''')::tsquery) "
    "FROM search_searchentry, unnest(tsvector_to_array(title_vector)) AS lexeme "
    "WHERE title_vector IS NOT NULL AND search_vector IS NOT NULL"
)
#: A query word PostgreSQL parses as one token (``_`` splits one), for ``_top_titles``.
_PLAIN_WORD = re.compile(r"[^\W_]+")


#: Words too common to require in every result (English, Spanish, French, Portuguese).
STOP_WORDS = frozenset(
    """a an and are as at be by for from how in into is it of on or the to with what which
    el la los las de del y o en un una para por con que como se al lo
    le les des du et ou en un une pour par avec que comme au aux
    o os as de do da dos das e ou em um uma para por com que como ao""".split()
)


def query_words(text: str) -> list[str]:
    """The words of a query, lower-cased; operators and punctuation are not syntax here.

    Common words are dropped unless the query has nothing else."""
    words = [word.lower() for word in _WORDS.findall(text)][:32]
    meaningful = [word for word in words if word not in STOP_WORDS]
    return meaningful or words


def facet_lexeme(name: str, value: str) -> str:
    """A facet value as one lexeme of the PostgreSQL ``search_vector`` ("region africa"), as
    the facet table stores it (``value[:120]``). It holds a space, which no text parser puts in a
    lexeme, and queries are built from words, so text never matches it nor it a query word."""
    return f"{name} {value[:120]}"


def facet_tsquery(name: str, values: Iterable[str]) -> str:
    """The tsquery (input syntax, each lexeme quoted as-is) for any of ``values``."""
    quoted = (
        "'" + facet_lexeme(name, value).replace("\\", "\\\\").replace("'", "''") + "'"
        for value in values
    )
    return " | ".join(quoted)


def mark(snippet: str) -> str:
    """Escape a plain-text snippet, then turn the engine's markers into <mark> elements."""
    return escape(snippet).replace(START, "<mark>").replace(STOP, "</mark>")


class SqliteFullText:
    """FTS5 table ``search_fts`` whose rowid is the entry id."""

    def write(self, entry_id: int, document: SearchDocument) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [entry_id])
            cursor.execute(
                "INSERT INTO search_fts (rowid, title, summary, body) VALUES (%s, %s, %s, %s)",
                [entry_id, document.title, document.summary, document.body],
            )

    def write_many(self, rows: list[tuple[int, SearchDocument]]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM search_fts WHERE rowid = %s", [(entry_id,) for entry_id, _doc in rows]
            )
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, summary, body) VALUES (%s, %s, %s, %s)",
                [(entry_id, doc.title, doc.summary, doc.body) for entry_id, doc in rows],
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
        marks = ",".join(["%s"] * len(entry_ids))
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({marks})", entry_ids)  # noqa: S608 -- placeholders only

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")

    @staticmethod
    def _match(words: list[str], any_word: bool = False) -> str:
        # Each word quoted (no FTS5 syntax from users); all must appear, or any of them.
        joiner = " OR " if any_word else " "
        return joiner.join('"{}"'.format(word.replace('"', "")) for word in words)

    def matching(
        self, entries: QuerySet, words: list[str], language: str, any_word: bool = False
    ) -> QuerySet:
        match = self._match(words, any_word)
        return entries.filter(
            id__in=RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [match])
        )

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
                [START, STOP, json.dumps(entry_ids), self._match(words, any_word)],
            )
            return dict(cursor.fetchall())

    @staticmethod
    def id_list(entry_ids: list[int]) -> RawSQL:
        """A list of ids as one parameter, for ``pk__in`` (no limit on SQL variables)."""
        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(entry_ids)])

    def newest(self, words: list[str], any_word: bool, below: int | None, limit: int) -> list[int]:
        """Matching ids, highest (most recently indexed) first, below ``below``."""
        sql = "SELECT rowid FROM search_fts WHERE search_fts MATCH %s"
        params: list = [self._match(words, any_word)]
        if below is not None:
            sql += " AND rowid < %s"
            params.append(below)
        with connection.cursor() as cursor:
            cursor.execute(sql + " ORDER BY rowid DESC LIMIT %s", [*params, limit])
            return [row[0] for row in cursor.fetchall()]

    def _tier_match(self, words: list[str], any_word: bool, tier: str | None) -> str:
        match = self._match(words, any_word)
        if tier is None:
            return match
        every = "{title}: (" + self._match(words) + ")"
        some = "{title}: (" + self._match(words, any_word=True) + ")"
        if tier == "all":
            # Every word in the title is a match (all words, or any): no need to ask for both.
            return every
        if tier == "some":
            return f"({match}) AND ({some} NOT {every})"
        return f"({match}) NOT {some}"

    def top(
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
        sql = "SELECT rowid, -bm25(search_fts, 10.0, 4.0, 1.0) AS score FROM search_fts WHERE search_fts MATCH %s"
        params: list = [self._match(words, any_word)]
        if tier is not None:
            # The tier is a filter on rowids, so bm25 scores the query's own words only, as
            # ``scores`` does (a column filter in the MATCH would count the title twice).
            sql += " AND +rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"
            params.append(self._tier_match(words, any_word, tier))
        if at_least is not None:
            sql = f"SELECT rowid, score FROM ({sql}) WHERE score >= %s"  # noqa: S608 -- fixed SQL, parameters bound
            params.append(at_least)
        with connection.cursor() as cursor:
            cursor.execute(
                sql + " ORDER BY score DESC LIMIT %s", [*params, -1 if limit is None else limit]
            )
            return cursor.fetchall()

    def among(self, entry_ids: list[int], words: list[str], any_word: bool) -> list[int]:
        """Those of ``entry_ids`` that match, in one walk over the match."""
        if not entry_ids:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s "
                "AND +rowid IN (SELECT value FROM json_each(%s)) ORDER BY rowid DESC",
                [self._match(words, any_word), json.dumps(entry_ids)],
            )
            return [row[0] for row in cursor.fetchall()]

    def scores(
        self, entry_ids: list[int], words: list[str], language: str, any_word: bool = False
    ) -> dict[int, float]:
        if not entry_ids:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid, -bm25(search_fts, 10.0, 4.0, 1.0) FROM search_fts "
                "WHERE search_fts MATCH %s AND +rowid IN (SELECT value FROM json_each(%s))",
                [self._match(words, any_word), json.dumps(entry_ids)],
            )
            return dict(cursor.fetchall())


class PostgresFullText:
    """A weighted ``tsvector`` column: title A, summary B, body C, in the document's language
    and in ``simple`` (so words from another language still match unstemmed)."""

    @staticmethod
    def config(language: str) -> str:
        return POSTGRES_CONFIGS.get(language, "simple")

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

    def _vector_params(self, entry_id: int, document: SearchDocument) -> dict:
        return {
            "config": self.config(document.language),
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

    @staticmethod
    def _write_title_words(cursor, entry_ids: list[int]) -> None:
        """The one-word scores of the entries' title lexemes (``search_titleword``, migration
        0010), from their fresh vectors."""
        cursor.execute("DELETE FROM search_titleword WHERE entry_id = ANY(%s)", [entry_ids])
        cursor.execute(TITLE_WORDS_INSERT + " AND id = ANY(%s)", [entry_ids])

    def write(self, entry_id: int, document: SearchDocument) -> None:
        with connection.cursor() as cursor:
            cursor.execute(self.VECTOR_SQL, self._vector_params(entry_id, document))
            self._write_title_words(cursor, [entry_id])

    def write_many(self, rows: list[tuple[int, SearchDocument]]) -> None:
        """One statement sent for many rows (psycopg pipelines ``executemany``)."""
        with connection.cursor() as cursor:
            cursor.executemany(
                self.VECTOR_SQL, [self._vector_params(entry_id, doc) for entry_id, doc in rows]
            )
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

    @staticmethod
    def _either(function: str, config: str, text: str) -> tuple[str, list[str]]:
        """The query in the language's configuration or in ``simple``; once when both read the
        same (``soil``: the stem is the word), as ``ts_rank_cd`` walks every query item and a
        twin doubles its work for the same score. Immutable calls on constants, so PostgreSQL
        folds this to one constant tsquery when planning (the GIN index still applies)."""
        own, simple = f"{function}(%s::regconfig, %s)", f"{function}('simple', %s)"
        return (
            f"(CASE WHEN {own} = {simple} THEN {own} ELSE {own} || {simple} END)",
            [config, text, text, config, text, config, text, text],
        )

    def _tsquery(
        self, words: list[str], language: str, any_word: bool = False
    ) -> tuple[str, list[str]]:
        if any_word:
            # Words are \w+ only, so they are safe lexemes for to_tsquery.
            return self._either("to_tsquery", self.config(language), " | ".join(words))
        return self._either("plainto_tsquery", self.config(language), " ".join(words))

    def matching(
        self, entries: QuerySet, words: list[str], language: str, any_word: bool = False
    ) -> QuerySet:
        tsquery, params = self._tsquery(words, language, any_word)
        # All words must match: plainto_tsquery ANDs the words of each configuration.
        matches = RawSQL(f"search_vector @@ {tsquery}", params, output_field=BooleanField())  # noqa: S611 -- fixed SQL, parameters bound
        return entries.alias(matches=matches).filter(matches=True)

    def highlights(
        self, entry_ids: list[int], words: list[str], language: str, any_word: bool = False
    ) -> dict[int, str]:
        if not entry_ids or not words:
            return {}
        tsquery, params = self._tsquery(words, language, any_word)
        options = f"StartSel={START}, StopSel={STOP}, MaxFragments=2, MaxWords=30, MinWords=10, FragmentDelimiter=' … '"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, ts_headline(%s::regconfig, title || ' ' || summary || ' ' || body, {tsquery}, %s) "  # noqa: S608 -- fixed SQL, parameters bound
                "FROM search_searchentry WHERE id = ANY(%s)",
                [self.config(language), *params, options, entry_ids],
            )
            return dict(cursor.fetchall())

    @staticmethod
    def id_list(entry_ids: list[int]) -> RawSQL:
        return RawSQL("SELECT unnest(%s::bigint[])", [entry_ids])

    def _title_tsquery(
        self, words: list[str], language: str, every: bool = False
    ) -> tuple[str, list[str]]:
        """Any of the words (or ``every`` one), for the title's own vector (``title_vector``,
        GIN-indexed)."""
        return self._either(
            "to_tsquery", self.config(language), (" & " if every else " | ").join(words)
        )

    def top(
        self,
        entries: QuerySet,
        words: list[str],
        language: str,
        any_word: bool,
        limit: int,
        tier: str,
        generation: int,
    ) -> list[tuple[int, float]]:
        """The best ``limit`` of ``entries`` (visible, every facet filter applied) in ``tier``
        by ts_rank_cd, in the page's order: score, then newest, then id (as ``_by_score``).

        The filters are in the ranking query, so only the entries a page may show are ranked
        (a region filter ranks ~1,200 titles of a common word, not ~9,000; the GIN indexes
        intersect the title tier and the facet lexemes before any row is read). The tiers are found
        through the title's own GIN index; the ``all`` tier is only the title index: a title
        holding every word is a match (the title's words are in ``search_vector`` too), so
        the large vector is read once per candidate, to rank it, not twice."""
        if tier == "all" and len(words) == 1 and _PLAIN_WORD.fullmatch(words[0]):
            return self._top_titles(entries, words[0], language, limit, generation)
        tsquery, params = self._tsquery(words, language, any_word)
        where, where_params = [], []
        if tier != "all":
            where.append(f"search_vector @@ {tsquery}")
            where_params += params
        some_query, some_params = self._title_tsquery(words, language)
        every_query, every_params = self._title_tsquery(words, language, every=True)
        # Bare ``@@`` for the index; the last tier also takes rows without a title vector.
        if tier == "all":
            where.append(f"title_vector @@ {every_query}")
            where_params += every_params
        elif tier == "some":
            where.append(f"title_vector @@ {some_query} AND NOT title_vector @@ {every_query}")
            where_params += some_params + every_params
        else:
            where.append(f"NOT COALESCE(title_vector @@ {some_query}, false)")
            where_params += some_params
        in_tier = RawSQL(" AND ".join(where), where_params, output_field=BooleanField())  # noqa: S611 -- fixed SQL, parameters bound
        return list(self._ranked(entries, in_tier, tsquery, params)[:limit])

    @staticmethod
    def _ranked(entries: QuerySet, in_tier: RawSQL, tsquery: str, params: list) -> QuerySet:
        """(id, ts_rank_cd score) of ``entries`` in the tier, in the page's order: score, then
        newest, then id (as ``_by_score``)."""
        score = RawSQL(f"ts_rank_cd(search_vector, {tsquery})", params, output_field=FloatField())  # noqa: S611 -- fixed SQL, parameters bound
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
        """``top`` of the title tier for one word, from the precomputed title-word scores.

        The word's query is one lexeme or two (the reader's stem, the plain word); an entry's
        score for it is at most the sum of its scores for each (``search_titleword``), and
        equal when they sit at different positions, as the title's two parses do. Candidates
        are read by that bound, best first, ``batch`` at a time; only they are filtered and
        ranked exactly (``ts_rank_cd``), and reading stops once the page's last score beats
        the bound of every entry not read yet, so the page is the one ranking every title
        with the word would give (ties included: an equal bound is read)."""
        config = self.config(language)
        tsquery, params = self._tsquery([word], language)
        every_query, every_params = self._title_tsquery([word], language, every=True)
        in_tier = RawSQL(  # noqa: S611 -- fixed SQL, parameters bound
            f"title_vector @@ {every_query}", every_params, output_field=BooleanField()
        )
        batch = max(RANK_BATCH, 2 * limit)
        while True:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT entry_id, sum(score::float8) AS bound FROM search_titleword "
                    "WHERE generation = %s AND lexeme = ANY(tsvector_to_array("
                    "to_tsvector(%s::regconfig, %s) || to_tsvector('simple', %s))) "
                    "GROUP BY entry_id ORDER BY bound DESC, entry_id LIMIT %s",
                    [generation, config, word, word, batch],
                )
                candidates = cursor.fetchall()
            listed = entries.filter(pk__in=self.id_list([pk for pk, _bound in candidates]))
            ranked = list(self._ranked(listed, in_tier, tsquery, params))
            if len(candidates) < batch:
                return ranked[:limit]
            floor = candidates[-1][1]
            # Float4 scores summed in float8: allow for their rounding.
            if len(ranked) >= limit and ranked[limit - 1][1] > floor * (1 + 1e-6):
                return ranked[:limit]
            batch *= 4

    def scores(
        self, entry_ids: list[int], words: list[str], language: str, any_word: bool = False
    ) -> dict[int, float]:
        if not entry_ids:
            return {}
        tsquery, params = self._tsquery(words, language, any_word)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, ts_rank_cd(search_vector, {tsquery}) FROM search_searchentry "  # noqa: S608 -- fixed SQL, parameters bound
                "WHERE id = ANY(%s)",
                [*params, entry_ids],
            )
            return dict(cursor.fetchall())


class _IdQuery:
    """SQLite: the ids of a list that an entries query keeps, compiled once and run per list
    (the walk asks once per batch; the ORM compiled the same statement each time)."""

    LIST = "\x00ids\x00"

    def __init__(self, entries: QuerySet) -> None:
        listed = entries.filter(pk__in=RawSQL("SELECT value FROM json_each(%s)", [self.LIST]))
        self.sql, params = listed.order_by().values_list("pk", flat=True).query.sql_with_params()
        self.params = list(params)
        self.slot = self.params.index(self.LIST)

    def among(self, entry_ids: list[int]) -> set[int]:
        params = list(self.params)
        params[self.slot] = json.dumps(entry_ids)
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            return {row[0] for row in cursor.fetchall()}


class DatabaseBackend:
    name = "database"

    @property
    def full_text(self) -> SqliteFullText | PostgresFullText:
        if connection.vendor == "postgresql":
            return PostgresFullText()
        if connection.vendor == "sqlite":
            return SqliteFullText()
        raise NotImplementedError(f"No database search on {connection.vendor}")

    # --- Generations -------------------------------------------------------------------

    @staticmethod
    def _state() -> IndexState:
        """The state row as it is now (writes always read it afresh)."""
        state, _created = IndexState.objects.get_or_create(name="default")
        return state

    def _answering(self) -> tuple[int, int]:
        """(active generation, version) for answering: one read per request
        (``search.per_request``), shared by the page cache, the answer cache and the query."""

        def read() -> tuple[int, int]:
            row = IndexState.objects.filter(name="default").values_list("active", "version")[:1]
            if not row:
                state = self._state()
                return state.active, state.version
            return row[0]

        return per_request.remembered("search.database.index_state", read)

    def active_generation(self) -> int:
        return self._answering()[0]

    def index_version(self) -> str:
        """The active generation and the count of changes to it: the same value means the same
        answers. Read from the database (one row), so a change made by any process counts."""
        active, version = self._answering()
        return f"{active}.{version}"

    @staticmethod
    def _count_change() -> None:
        """Count a change to the index, inside the transaction that makes it (see
        ``IndexState.version``)."""
        IndexState.objects.filter(name="default").update(version=F("version") + 1)
        per_request.forget()

    def _writable_generations(self) -> list[int]:
        state = self._state()
        return [state.active] + ([state.building] if state.building else [])

    # --- Writes --------------------------------------------------------------------------

    @staticmethod
    def _entry_fields(document: SearchDocument) -> dict:
        return {
            "kind": document.kind,
            "title": document.title[:300],
            "summary": document.summary,
            "body": document.body,
            "url": document.url,
            "language": document.language,
            "audience": document.audience,
            "date": document.date,
            "latitude": document.latitude,
            "longitude": document.longitude,
            "group": document.group,
            "translations": "".join(f"|{code}" for code in document.translations)
            + ("|" if document.translations else ""),
        }

    @staticmethod
    def _facets(entry: SearchEntry, document: SearchDocument) -> list[SearchFacet]:
        return [
            SearchFacet(entry=entry, name=name, value=value[:120])
            for name, values in document.facet_values().items()
            for value in values
        ]

    @transaction.atomic
    def _write(self, document: SearchDocument, generation: int) -> None:
        # The state row first, as a rebuild's switch locks it: one order, no deadlock.
        self._count_change()
        entry, _created = SearchEntry.objects.update_or_create(
            generation=generation, key=document.key, defaults=self._entry_fields(document)
        )
        entry.facet_values.all().delete()
        SearchFacet.objects.bulk_create(self._facets(entry, document))
        self.full_text.write(entry.pk, document)

    @transaction.atomic
    def _write_batch(self, documents: list[SearchDocument], generation: int) -> None:
        """A rebuild's fresh generation: insert many entries at once (none exist yet)."""
        entries = SearchEntry.objects.bulk_create(
            SearchEntry(generation=generation, key=document.key, **self._entry_fields(document))
            for document in documents
        )
        SearchFacet.objects.bulk_create(
            [
                facet
                for entry, doc in zip(entries, documents, strict=True)
                for facet in self._facets(entry, doc)
            ],
            batch_size=2000,
        )
        self.full_text.write_many(
            [(entry.pk, doc) for entry, doc in zip(entries, documents, strict=True)]
        )

    def upsert(self, documents: Iterable[SearchDocument]) -> int:
        generations = self._writable_generations()
        written = 0
        for document in documents:
            for generation in generations:
                self._write(document, generation)
            written += 1
        return written

    @transaction.atomic
    def delete(self, keys: Iterable[str]) -> int:
        keys = list(keys)
        entries = SearchEntry.objects.filter(key__in=keys)
        entry_ids = list(entries.values_list("pk", flat=True))
        if entry_ids:
            self._count_change()
        self.full_text.forget(entry_ids)
        SearchEntry.objects.filter(pk__in=entry_ids).delete()
        return len(entry_ids)

    def rebuild(
        self, documents: Iterable[SearchDocument], *, progress: Callable[[int], None] | None = None
    ) -> int:
        """Fill generation N+1 while N answers, then switch in one transaction."""
        with transaction.atomic():
            state = IndexState.objects.select_for_update().get_or_create(name="default")[0]
            new = max(state.active, state.building or 0) + 1
            state.building = new
            state.save()
        SearchEntry.objects.filter(generation=new).delete()
        count, batch, seen = 0, [], set()
        for document in documents:
            if document.key in seen:
                continue
            seen.add(document.key)
            batch.append(document)
            if len(batch) == REBUILD_BATCH:
                self._write_batch(batch, new)
                count += len(batch)
                batch = []
                if progress:
                    progress(count)
        if batch:
            self._write_batch(batch, new)
            count += len(batch)
            if progress:
                progress(count)
        with transaction.atomic():
            state = IndexState.objects.select_for_update().get(name="default")
            state.active, state.building = new, None
            state.version += 1
            state.save()
            per_request.forget()
            # Older generations go in three set-based statements, however large they are.
            self.full_text.forget_other_generations(new)
            SearchFacet.objects.filter(entry__generation__lt=new)._raw_delete(
                SearchFacet.objects.db
            )
            SearchEntry.objects.exclude(generation=new)._raw_delete(SearchEntry.objects.db)
        if connection.vendor == "postgresql":
            # The whole table changed: fresh statistics, or the planner guesses (a facet count
            # planned on stale statistics took minutes at 100,000 entries).
            # VACUUM too (outside a transaction only): it marks the fresh pages all-visible, so
            # a facet filter is an index-only scan from the start, not once autovacuum comes by.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            with connection.cursor() as cursor:
                cursor.execute(
                    f"{command} search_searchentry, search_searchfacet, search_titleword"
                )
        _vocabulary.cache_clear()
        return count

    def keys(self) -> set[str]:
        return set(
            SearchEntry.objects.filter(generation=self.active_generation()).values_list(
                "key", flat=True
            )
        )

    @transaction.atomic
    def clear(self) -> None:
        # The state row stays, so its version keeps counting: a fresh row would start again
        # at a version that answers cached before the clear were keyed by.
        self._state()
        IndexState.objects.filter(name="default").update(building=None, version=F("version") + 1)
        per_request.forget()
        SearchEntry.objects.all().delete()
        self.full_text.clear()
        _vocabulary.cache_clear()

    # --- Reads ---------------------------------------------------------------------------
    #
    # One query reads the index state once (``generation``) and hands it down, so the state
    # row is read once per search whatever route the search takes.

    def _visible(self, request: SearchRequest, generation: int, by_id: bool = False) -> QuerySet:
        """The entries ``request`` may see. ``by_id``: for a list of ids on SQLite, where
        the (generation, audience) index would cost a seek per id and audience; unary ``+``
        keeps the planner on the primary key."""
        if by_id and connection.vendor == "sqlite":
            entries = SearchEntry.objects.alias(
                unindexed_generation=Func(F("generation"), template="+%(expressions)s"),
                unindexed_audience=Func(
                    F("audience"), template="+%(expressions)s", output_field=CharField()
                ),
            ).filter(
                unindexed_generation=generation,
                unindexed_audience__in=request.audiences,
            )
        else:
            entries = SearchEntry.objects.filter(
                generation=generation, audience__in=request.audiences
            )
        if "language" not in request.filters:
            # One version per page: the reader's language when the page exists in it.
            reader = request.reader_language
            entries = entries.filter(Q(language=reader) | ~Q(translations__contains=f"|{reader}|"))
        if request.geo is not None:
            box = request.geo
            entries = entries.filter(
                latitude__gte=box.south,
                latitude__lte=box.north,
                longitude__gte=box.west,
                longitude__lte=box.east,
            )
        elif request.located_only:
            entries = entries.filter(latitude__isnull=False, longitude__isnull=False)
        return entries

    @staticmethod
    def _facet_filter(name: str, values: Iterable[str]) -> Exists | RawSQL:
        """Has the entry one of ``values`` for facet ``name``?

        On PostgreSQL the answer is in ``search_vector`` (``facet_lexeme``), so the GIN index
        intersects it with the words before any row is read: a region filter on a common word
        reads ~1,000 rows for the list, not the ~8,000 a join to the facet table walked."""
        if connection.vendor == "postgresql":
            return RawSQL(
                "search_vector @@ %s::tsquery",
                [facet_tsquery(name, values)],
                output_field=BooleanField(),
            )
        return Exists(
            SearchFacet.objects.filter(entry=OuterRef("pk"), name=name, value__in=list(values))
        )

    @classmethod
    def _with_facet_filters(
        cls, entries: QuerySet, filters: dict[str, tuple[str, ...]], skip: Iterable[str] = ()
    ) -> QuerySet:
        skipped = set(skip)
        for name, values in filters.items():
            if name in skipped or not values:
                continue
            entries = entries.filter(cls._facet_filter(name, values))
        return entries

    @staticmethod
    def _selected_facets(request: SearchRequest) -> list[str]:
        """Facets counted without their own selection (so a choice can be widened): each needs
        the matches of every *other* filter, its scope."""
        return [name for name in request.facets if request.filters.get(name)]

    def _matches(
        self, request: SearchRequest, generation: int, words: list[str], any_word: bool
    ) -> tuple[list[int], dict[str, list[int]]]:
        """Up to ``TOTAL_CAP + 1`` ids that pass every filter and match the words, and for each
        facet with a selection the first ``TOTAL_CAP`` ids that pass every other filter.

        On SQLite, without a map box, one walk over the full-text matches collects them all
        (each entry read once, with a flag per selected facet) instead of one walk per list."""
        selected = self._selected_facets(request)
        if words and isinstance(self.full_text, SqliteFullText) and request.geo is None:
            # No count first: the walk's first batch says as much when nothing matches.
            return self._walk(request, generation, words, any_word, scoped=selected)
        visible = self._visible(request, generation)
        matched = self._matched_ids(
            self._with_facet_filters(visible, request.filters),
            words,
            request,
            generation,
            any_word,
        )
        scopes = {
            name: self._matched_ids(
                self._with_facet_filters(visible, request.filters, skip=(name,)),
                words,
                request,
                generation,
                any_word,
                limit=TOTAL_CAP,
                skip=(name,),
            )
            for name in selected
        }
        return matched, scopes

    def _matched_ids(
        self,
        filtered: QuerySet,
        words: list[str],
        request: SearchRequest,
        generation: int,
        any_word: bool,
        limit: int = TOTAL_CAP + 1,
        skip: tuple[str, ...] = (),
    ) -> list[int]:
        """Up to ``limit`` ids of entries that pass the filters (but ``skip``) and match.

        On SQLite the cheaper side drives: the full-text matches walked newest first in
        batches, each batch filtered by the entries table (a common word and broad filters), or
        the entries table joined to the full match (a small map box or a rare audience)."""
        if not words:
            return list(filtered.order_by().values_list("pk", flat=True)[:limit])
        full_text = self.full_text
        if isinstance(full_text, PostgresFullText):
            matching = full_text.matching(filtered, words, request.reader_language, any_word)
            return list(matching.order_by().values_list("pk", flat=True)[:limit])
        if request.geo is not None:
            # A map box usually holds few entries: list them, then keep those that match.
            boxed = list(filtered.order_by().values_list("pk", flat=True)[: MATCH_SCAN_LIMIT + 1])
            if len(boxed) <= MATCH_SCAN_LIMIT:
                return full_text.among(boxed, words, any_word)[:limit]
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
        limit: int = TOTAL_CAP + 1,
    ) -> tuple[list[int], dict[str, list[int]]]:
        """SQLite: the full-text matches newest first, in batches, each batch filtered by the
        facet index and the entries table; stops once ``limit`` pass every filter (but
        ``skip``).

        Each facet of ``scoped`` is not filtered on, so the same walk also gives its scope:
        the entries that pass every filter but that facet's. A scope always holds the full
        list, so it is complete (``TOTAL_CAP``) when the list is."""
        scoped = scoped or []
        full_text = self.full_text
        filters = {
            name: values for name, values in request.filters.items() if values and name not in skip
        }
        shown = _IdQuery(self._visible(request, generation, by_id=True))
        found: list[int] = []
        scopes: dict[str, list[int]] = {name: [] for name in scoped}
        below = None
        scanned = 0
        size = MATCH_CHUNK
        while len(found) < limit:
            chunk = full_text.newest(words, any_word, below, size)
            if chunk:
                self._sort_batch(chunk, shown, filters, found, scopes)
                below = chunk[-1]
                scanned += len(chunk)
            if len(chunk) < size:
                break
            size = self._next_batch_size(scanned, len(found), limit)
            if scanned >= MATCH_SCAN_LIMIT and len(found) < limit:
                # Filters reject most matches: let the database join the other way round, for
                # the list and for each scope not yet complete.
                visible = self._visible(request, generation)
                found = self._joined_ids(
                    self._with_facet_filters(visible, request.filters, skip),
                    words,
                    request,
                    any_word,
                    limit,
                )
                for name, ids in scopes.items():
                    if len(ids) < TOTAL_CAP:
                        scopes[name] = self._joined_ids(
                            self._with_facet_filters(visible, request.filters, (*skip, name)),
                            words,
                            request,
                            any_word,
                            TOTAL_CAP,
                        )
                break
        return found[:limit], {name: ids[:TOTAL_CAP] for name, ids in scopes.items()}

    def _sort_batch(
        self,
        batch: list[int],
        visible: _IdQuery,
        filters: dict[str, tuple[str, ...]],
        found: list[int],
        scopes: dict[str, list[int]],
    ) -> None:
        """Append the ids of ``batch`` (newest first) that pass every filter to ``found``, and
        those that pass every filter but a scope's own to that scope (while it is incomplete).

        Each facet filter is one range scan of the (name, value, entry) index over the batch's
        ids, read into a set; only the ids that go somewhere are then looked up in the entries
        table, for visibility. (Testing each id against the facet table inside the entries
        query cost a seek per facet and id: ~2 µs per match, ~16 ms for the ~8,000 matches a
        region filter walks at 100,000 documents.)"""
        lowest, highest = batch[-1], batch[0]
        having: dict[str, set[int]] = {name: set() for name in filters}
        if filters:
            # One statement for every filter: (filter number, entry id).
            selects, params = [], []
            for number, (name, values) in enumerate(filters.items()):
                marks = ",".join(["%s"] * len(values))
                selects.append(
                    f"SELECT {number}, entry_id FROM search_searchfacet WHERE name = %s "  # noqa: S608 -- placeholders only
                    f"AND value IN ({marks}) AND entry_id >= %s AND entry_id <= %s"
                )
                params += [name, *values, lowest, highest]
            names = list(filters)
            with connection.cursor() as cursor:
                cursor.execute(" UNION ALL ".join(selects), params)
                for number, entry_id in cursor.fetchall():
                    having[names[number]].add(entry_id)
        open_scopes = {name: ids for name, ids in scopes.items() if len(ids) < TOTAL_CAP}

        def passing(names: Iterable[str]) -> set[int] | None:
            """Ids of the batch with every facet of ``names`` (None: no such filter)."""
            sets = [having[name] for name in names]
            return set.intersection(*sets) if sets else None

        every = passing(having)
        # A scope's entries pass every filter but its own.
        scope_passing = {
            name: passing(other for other in having if other != name) for name in open_scopes
        }
        if every is None or any(ids is None for ids in scope_passing.values()):
            wanted = batch
        else:
            going = every.union(*scope_passing.values())
            wanted = [pk for pk in batch if pk in going]
        if not wanted:
            return
        shown = visible.among(wanted)
        for pk in wanted:
            if pk not in shown:
                continue
            if every is None or pk in every:
                found.append(pk)
            for name, ids in scope_passing.items():
                if ids is None or pk in ids:
                    open_scopes[name].append(pk)

    @staticmethod
    def _next_batch_size(scanned: int, found: int, limit: int) -> int:
        """As many matches as the filters' pass rate so far says the list still needs (and a
        fifth more), never fewer than ``MATCH_CHUNK`` nor past ``MATCH_SCAN_LIMIT``: a narrow
        filter then takes two or three batches, not six. The walk's answer does not depend on
        the batch sizes, only its number of statements does."""
        rate = max(found, 1) / scanned
        wanted = int((limit - found) / rate * 1.2) + 1
        return max(MATCH_CHUNK, min(wanted, MATCH_SCAN_LIMIT - scanned))

    def _joined_ids(
        self,
        filtered: QuerySet,
        words: list[str],
        request: SearchRequest,
        any_word: bool,
        limit: int,
    ) -> list[int]:
        matching = self.full_text.matching(filtered, words, request.reader_language, any_word)
        return list(matching.order_by().values_list("pk", flat=True)[:limit])

    def _ordered_page(
        self,
        filtered: QuerySet,
        matched: list[int],
        words: list[str],
        request: SearchRequest,
        generation: int,
        any_word: bool,
    ) -> list[tuple[int, float]]:
        """(id, score) of the requested page, best first."""
        start = (request.page - 1) * request.per_page
        end = start + request.per_page
        full_text = self.full_text
        language = request.reader_language
        capped = len(matched) > TOTAL_CAP
        if not words or request.sort != "relevance":
            if capped or not words:
                if words:
                    filtered = full_text.matching(filtered, words, language, any_word)
                ordered = filtered.order_by("-date", "pk")
            else:
                ordered = SearchEntry.objects.filter(pk__in=full_text.id_list(matched)).order_by(
                    "-date", "pk"
                )
            return [(pk, 0.0) for pk in ordered.values_list("pk", flat=True)[start:end]]
        if not capped:
            # Every match is known: score them all, exactly.
            scores = full_text.scores(matched, words, language, any_word)
            return self._by_score(scores, matched)[start:end]
        # Too many matches to score them all: take the engine's best candidates (title matches
        # first), keep those the filters allow, and stop when the page is full.
        tiers = TIERS if len(words) > 1 else ("all", "none")
        if isinstance(full_text, PostgresFullText):
            # The filters go into the ranking query: each tier gives its best filtered entries.
            ranked: list[tuple[int, float]] = []
            for tier in tiers:
                ranked += full_text.top(
                    filtered, words, language, any_word, end - len(ranked), tier, generation
                )
                if len(ranked) >= end:
                    break
            return ranked[start:end]
        by_id = self._with_facet_filters(
            self._visible(request, generation, by_id=True), request.filters
        )

        def allowed(scores: dict[int, float]) -> dict:
            """The dates of the scored entries the filters keep (visible, every facet)."""
            listed = by_id.filter(pk__in=full_text.id_list(list(scores)))
            return dict(listed.values_list("pk", "date"))

        ranked = []
        for tier in tiers:
            limit: int | None = max(RANK_BATCH, 2 * end)
            while True:
                candidates = full_text.top(words, language, any_word, limit, tier)
                exhausted = limit is None or len(candidates) < limit
                scores = dict(candidates)
                dates = allowed(scores)
                if exhausted or len(dates) >= end - len(ranked):
                    break
                limit = None if limit * 4 > MATCH_SCAN_LIMIT else limit * 4
            tier_ranked = self._by_score(scores, list(dates), dates)
            need = end - len(ranked)
            if not exhausted and len(tier_ranked) >= need:
                floor = candidates[-1][1]
                if tier_ranked[need - 1][1] == floor:
                    # The page ends on the score the batch was cut at: rows with that score
                    # beyond the cut may be newer, so take every row with it.
                    scores = dict(full_text.top(words, language, any_word, None, tier, floor))
                    dates = allowed(scores)
                    tier_ranked = self._by_score(scores, list(dates), dates)
            ranked += tier_ranked
            if len(ranked) >= end:
                break
        return ranked[start:end]

    @staticmethod
    def _by_score(
        scores: dict[int, float], ids: list[int], dates: dict | None = None
    ) -> list[tuple[int, float]]:
        """Best score first; ties newest date first, then by id (as the date sort does).
        ``dates`` of the scored ids when the caller has read them already."""
        if dates is None:
            dates = dict(SearchEntry.objects.filter(pk__in=list(scores)).values_list("pk", "date"))

        def key(pk: int) -> tuple:
            when = dates.get(pk)
            return (-scores[pk], when is None, -(when.timestamp() if when else 0), pk)

        return [(pk, scores[pk]) for pk in sorted((pk for pk in ids if pk in scores), key=key)]

    def query(self, request: SearchRequest) -> SearchResults:
        generation = self.active_generation()
        words = query_words(request.text)
        any_word = False
        matched, scopes = self._matches(request, generation, words, any_word)
        if not matched and len(words) > 1:
            # Nothing has every word: show what has any of them, best first.
            any_word = True
            matched, scopes = self._matches(request, generation, words, any_word)
        capped = len(matched) > TOTAL_CAP
        filtered = self._with_facet_filters(self._visible(request, generation), request.filters)
        page = self._ordered_page(filtered, matched, words, request, generation, any_word)
        page_ids = [pk for pk, _score in page]
        # The body is only searched, never shown: the page's rows are read without it.
        entries = SearchEntry.objects.defer("body").in_bulk(page_ids)
        highlights = self.full_text.highlights(page_ids, words, request.reader_language, any_word)
        hits = [
            Hit(
                key=entry.key,
                kind=entry.kind,
                title=entry.title,
                url=entry.url,
                language=entry.language,
                summary=entry.summary,
                highlight=mark(highlights.get(entry.pk) or entry.summary[:300]),
                date=entry.date,
                latitude=entry.latitude,
                longitude=entry.longitude,
                score=float(score or 0.0),
            )
            for pk, score in page
            if (entry := entries.get(pk)) is not None
        ]
        facets = self._facet_counts(request, matched[:TOTAL_CAP], scopes)
        suggestion = ""
        if not matched and words:
            suggestion = self.spelling_suggestion(words, generation)
        return SearchResults(
            hits=hits,
            total=min(len(matched), TOTAL_CAP),
            page=request.page,
            per_page=request.per_page,
            facets=facets,
            suggestion=suggestion,
            capped=capped,
            extra={"any_word": any_word},
        )

    def _facet_counts(
        self, request: SearchRequest, matched: list[int], scopes: dict[str, list[int]]
    ) -> dict[str, list[FacetValue]]:
        """Counts per facet over the matched ids (at most ``TOTAL_CAP``), in one query. A facet
        with a selection is counted over its scope (the matches without its own selection);
        all the others over the query's own matches."""
        selected_names = self._selected_facets(request)
        shared = [name for name in request.facets if name not in selected_names]
        groups = [(shared, matched)] if shared else []
        groups += [([name], scopes[name]) for name in selected_names]
        counts: dict[str, list[tuple[str, int]]] = {name: [] for name in request.facets}
        for name, value, count in self._group_facets(groups):
            if len(counts[name]) < FACET_LIMIT:
                counts[name].append((value, count))
        facets = {}
        for name in request.facets:
            selected = set(request.filters.get(name, ()))
            values = [FacetValue(value, count, value in selected) for value, count in counts[name]]
            shown = {value.value for value in values}
            values += [FacetValue(value, 0, True) for value in sorted(selected - shown)]
            facets[name] = values
        return facets

    def _group_facets(
        self, groups: list[tuple[list[str], list[int]]]
    ) -> list[tuple[str, int, int]]:
        """(name, value, count) of each group's facets over the group's ids, one GROUP BY per
        group in one statement, walking the (entry, name, value) index from the ids. On SQLite
        ``+name`` stops the planner from scanning every row of a facet by the (name, value)
        index instead."""
        groups = [(names, ids) for names, ids in groups if names and ids]
        if not groups:
            return []
        name_column = "+name" if connection.vendor == "sqlite" else "name"
        selects, params = [], []
        for names, ids in groups:
            id_list = self.full_text.id_list(ids)
            marks = ",".join(["%s"] * len(names))
            selects.append(
                "SELECT name, value, COUNT(DISTINCT entry_id) AS count FROM search_searchfacet "  # noqa: S608 -- placeholders only
                f"WHERE entry_id IN ({id_list.sql}) AND {name_column} IN ({marks}) "
                "GROUP BY name, value"
            )
            params += [*id_list.params, *names]
        with connection.cursor() as cursor:
            cursor.execute(
                " UNION ALL ".join(selects) + " ORDER BY name, count DESC, value", params
            )
            return cursor.fetchall()

    def suggest(self, prefix: str, *, audiences: tuple[str, ...], limit: int = 8) -> list[dict]:
        """Titles that start with the prefix, or have a word that does (public ones first)."""
        prefix = " ".join(query_words(prefix))
        if len(prefix) < 2:
            return []
        entries = (
            SearchEntry.objects.filter(generation=self.active_generation(), audience__in=audiences)
            .filter(Q(title__istartswith=prefix) | Q(title__icontains=f" {prefix}"))
            .order_by("title", "pk")
            .values("title", "url", "kind")
        )
        seen: set[str] = set()
        suggestions = []
        for entry in entries[: limit * 3]:
            if entry["title"].lower() in seen:
                continue
            seen.add(entry["title"].lower())
            suggestions.append(entry)
            if len(suggestions) == limit:
                break
        return suggestions

    def spelling_suggestion(self, words: list[str], generation: int | None = None) -> str:
        """The query with each unknown word replaced by the closest public title word."""
        vocabulary = _vocabulary(generation or self.active_generation())
        corrected, changed = [], False
        for word in words:
            if word in vocabulary or len(word) < 3:
                corrected.append(word)
                continue
            close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.75)
            corrected.append(close[0] if close else word)
            changed = changed or bool(close)
        return " ".join(corrected) if changed else ""


@lru_cache(maxsize=4)
def _vocabulary(generation: int) -> frozenset[str]:
    """Words of public titles and summaries (never private text) for spelling suggestions."""
    words: set[str] = set()
    rows = SearchEntry.objects.filter(generation=generation, audience="public").values_list(
        "title", "summary"
    )
    for title, summary in rows.iterator(chunk_size=1000):
        words.update(query_words(f"{title} {summary}"))
    return frozenset(word for word in words if len(word) > 2)
