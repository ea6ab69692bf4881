"""The embedded search backend: SQLite FTS5 (bm25) or PostgreSQL tsvector (ts_rank_cd).

Entries, facets and generations are ordinary tables (``search.models``); only matching,
ranking and highlighting differ per database, in the two ``FullText`` classes below. Facets
are GROUP BY counts; geo is a bounding box on latitude/longitude.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape

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

    def ranked(
        self, entries: QuerySet, words: list[str], language: str, any_word: bool = False
    ) -> QuerySet:
        """Add ``score`` for ordering, in one pass over the FTS index joined to the entries
        (bm25 is lower for better matches; negated so that higher is better everywhere).
        Only for the outermost query: subqueries alias the entries table."""
        return entries.extra(
            tables=["search_fts"],
            where=["search_fts.rowid = search_searchentry.id", "search_fts MATCH %s"],
            params=[self._match(words, any_word)],
            select={"score": "-bm25(search_fts, 10.0, 4.0, 1.0)"},
        )

    def highlights(
        self, entry_ids: list[int], words: list[str], language: str, any_word: bool = False
    ) -> dict[int, str]:
        if not entry_ids or not words:
            return {}
        marks = ",".join(["%s"] * len(entry_ids))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid, snippet(search_fts, -1, %s, %s, '…', 24) FROM search_fts "  # noqa: S608 -- placeholders only
                f"WHERE search_fts MATCH %s AND rowid IN ({marks})",
                [START, STOP, self._match(words, any_word), *entry_ids],
            )
            return dict(cursor.fetchall())


class PostgresFullText:
    """A weighted ``tsvector`` column: title A, summary B, body C, in the document's language
    and in ``simple`` (so words from another language still match unstemmed)."""

    @staticmethod
    def config(language: str) -> str:
        return POSTGRES_CONFIGS.get(language, "simple")

    def write(self, entry_id: int, document: SearchDocument) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE search_searchentry SET search_vector =
                    setweight(to_tsvector(%(config)s::regconfig, %(title)s), 'A')
                    || setweight(to_tsvector('simple', %(title)s), 'A')
                    || setweight(to_tsvector(%(config)s::regconfig, %(summary)s), 'B')
                    || setweight(to_tsvector(%(config)s::regconfig, %(body)s), 'C')
                    || setweight(to_tsvector('simple', %(summary)s || ' ' || %(body)s), 'D')
                WHERE id = %(id)s
                """,
                {
                    "config": self.config(document.language),
                    "title": document.title,
                    "summary": document.summary,
                    "body": document.body,
                    "id": entry_id,
                },
            )

    def write_many(self, rows: list[tuple[int, SearchDocument]]) -> None:
        for entry_id, document in rows:
            self.write(entry_id, document)

    def forget_other_generations(self, generation: int) -> None:
        """The vector is a column of the entry: deleting the entry deletes it."""

    def forget(self, entry_ids: list[int]) -> None:
        """The vector is a column of the entry: deleting the entry deletes it."""

    def clear(self) -> None:
        """Nothing beside the entries table."""

    def _tsquery(
        self, words: list[str], language: str, any_word: bool = False
    ) -> tuple[str, list[str]]:
        if any_word:
            # Words are \w+ only, so they are safe lexemes for to_tsquery.
            text = " | ".join(words)
            return (
                "(to_tsquery(%s::regconfig, %s) || to_tsquery('simple', %s))",
                [self.config(language), text, text],
            )
        text = " ".join(words)
        return (
            "(plainto_tsquery(%s::regconfig, %s) || plainto_tsquery('simple', %s))",
            [self.config(language), text, text],
        )

    def matching(
        self, entries: QuerySet, words: list[str], language: str, any_word: bool = False
    ) -> QuerySet:
        tsquery, params = self._tsquery(words, language, any_word)
        # All words must match: plainto_tsquery ANDs the words of each configuration.
        matches = RawSQL(f"search_vector @@ {tsquery}", params, output_field=BooleanField())  # noqa: S611 -- fixed SQL, parameters bound
        return entries.alias(matches=matches).filter(matches=True)

    def ranked(
        self, entries: QuerySet, words: list[str], language: str, any_word: bool = False
    ) -> QuerySet:
        tsquery, params = self._tsquery(words, language, any_word)
        rank = RawSQL(f"ts_rank_cd(search_vector, {tsquery})", params)  # noqa: S611 -- fixed SQL, parameters bound
        return entries.annotate(score=rank)

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
        state, _created = IndexState.objects.get_or_create(name="default")
        return state

    def active_generation(self) -> int:
        return self._state().active

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
            state.save()
            # Older generations go in three set-based statements, however large they are.
            self.full_text.forget_other_generations(new)
            SearchFacet.objects.filter(entry__generation__lt=new)._raw_delete(
                SearchFacet.objects.db
            )
            SearchEntry.objects.exclude(generation=new)._raw_delete(SearchEntry.objects.db)
        _vocabulary.cache_clear()
        return count

    def keys(self) -> set[str]:
        return set(
            SearchEntry.objects.filter(generation=self.active_generation()).values_list(
                "key", flat=True
            )
        )

    def clear(self) -> None:
        SearchEntry.objects.all().delete()
        self.full_text.clear()
        IndexState.objects.all().delete()
        _vocabulary.cache_clear()

    # --- Reads ---------------------------------------------------------------------------

    def _visible(self, request: SearchRequest) -> QuerySet:
        entries = SearchEntry.objects.filter(
            generation=self.active_generation(), audience__in=request.audiences
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
    def _with_facet_filters(
        entries: QuerySet, filters: dict[str, tuple[str, ...]], skip: str = ""
    ) -> QuerySet:
        for name, values in filters.items():
            if name == skip or not values:
                continue
            entries = entries.filter(
                Exists(
                    SearchFacet.objects.filter(
                        entry=OuterRef("pk"), name=name, value__in=list(values)
                    )
                )
            )
        return entries

    def query(self, request: SearchRequest) -> SearchResults:
        words = query_words(request.text)
        visible = self._visible(request)
        full_text = self.full_text
        any_word = False
        base = full_text.matching(visible, words, request.reader_language) if words else visible
        results = self._with_facet_filters(base, request.filters)
        total = results.count()
        if total == 0 and len(words) > 1:
            # Nothing has every word: show what has any of them, best first.
            any_word = True
            base = full_text.matching(visible, words, request.reader_language, any_word=True)
            results = self._with_facet_filters(base, request.filters)
            total = results.count()
        if words and request.sort == "relevance":
            ordered = full_text.ranked(results, words, request.reader_language, any_word).order_by(
                "-score", "-date", "pk"
            )
        else:
            ordered = results.order_by("-date", "pk")
        start = (request.page - 1) * request.per_page
        entries = list(ordered[start : start + request.per_page])
        highlights = full_text.highlights(
            [entry.pk for entry in entries], words, request.reader_language, any_word
        )
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
                score=float(getattr(entry, "score", 0.0) or 0.0),
            )
            for entry in entries
        ]
        facets = self._facet_counts(base, request)
        suggestion = ""
        if total == 0 and words:
            suggestion = self.spelling_suggestion(words)
        return SearchResults(
            hits=hits,
            total=total,
            page=request.page,
            per_page=request.per_page,
            facets=facets,
            suggestion=suggestion,
            extra={"any_word": any_word},
        )

    def _facet_counts(self, base: QuerySet, request: SearchRequest) -> dict[str, list[FacetValue]]:
        """GROUP BY counts per facet. A facet with a selection is counted without its own
        selection (so choices can be widened); all the others share one scope and one query."""
        selected_names = [name for name in request.facets if request.filters.get(name)]
        shared = [name for name in request.facets if name not in selected_names]
        counts: dict[str, list[tuple[str, int]]] = {name: [] for name in request.facets}
        groups = [(shared, "")] if shared else []
        groups += [([name], name) for name in selected_names]
        for names, skip in groups:
            scope = self._with_facet_filters(base, request.filters, skip=skip)
            rows = (
                SearchFacet.objects.filter(name__in=names, entry__in=scope.values("pk"))
                .values("name", "value")
                .annotate(count=Count("entry", distinct=True))
                .order_by("name", "-count", "value")
            )
            for row in rows:
                if len(counts[row["name"]]) < FACET_LIMIT:
                    counts[row["name"]].append((row["value"], row["count"]))
        facets = {}
        for name in request.facets:
            selected = set(request.filters.get(name, ()))
            values = [FacetValue(value, count, value in selected) for value, count in counts[name]]
            shown = {value.value for value in values}
            values += [FacetValue(value, 0, True) for value in sorted(selected - shown)]
            facets[name] = values
        return facets

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

    def spelling_suggestion(self, words: list[str]) -> str:
        """The query with each unknown word replaced by the closest public title word."""
        vocabulary = _vocabulary(self.active_generation())
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
