"""The embedded search backend: a thin executor over the index state (``state``), the rows
(``rows``), a pure plan of the page (``plan``), facet counts (``facets``), suggestions
(``suggestions``) and one full-text engine per database (``engine.Engine``: ``sqlite``,
``postgresql``), chosen once, in the constructor."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import connection, transaction

from search.backends.database import facets, plan, rows, state, suggestions
from search.backends.database.engine import Engine
from search.backends.database.plan import mark, query_words
from search.models import SearchEntry, SearchFacet
from search.types import Hit, SearchDocument, SearchRequest, SearchResults


def engine_for(vendor: str) -> Engine:
    """The full-text engine of a database vendor: the one place that asks which it is."""
    if vendor == "postgresql":
        from search.backends.database.postgresql import PostgresEngine

        return PostgresEngine()
    if vendor == "sqlite":
        from search.backends.database.sqlite import SqliteEngine

        return SqliteEngine()
    raise NotImplementedError(f"No database search on {vendor}")


class DatabaseBackend:
    name = "database"

    def __init__(self, engine: Engine | None = None) -> None:
        self.engine = engine if engine is not None else engine_for(connection.vendor)

    # --- State ---------------------------------------------------------------------------

    def active_generation(self) -> int:
        return state.active_generation()

    def index_version(self) -> str:
        return state.index_version()

    # --- Writes --------------------------------------------------------------------------

    @transaction.atomic
    def _write(self, document: SearchDocument, generation: int) -> None:
        state.count_change([document.key])
        entry = rows.write_entry(document, generation)
        self.engine.write(entry.pk, document)

    @transaction.atomic
    def _write_batch(self, documents: list[SearchDocument], generation: int) -> None:
        """A rebuild's fresh generation: insert many entries at once (none exist yet)."""
        entries = rows.insert_entries(documents, generation)
        self.engine.write_many(
            [(entry.pk, doc) for entry, doc in zip(entries, documents, strict=True)]
        )

    def upsert(self, documents: Iterable[SearchDocument]) -> int:
        generations = state.writable_generations()
        written = 0
        for document in documents:
            for generation in generations:
                self._write(document, generation)
            written += 1
        return written

    @transaction.atomic
    def delete(self, keys: Iterable[str]) -> int:
        keys = list(keys)
        found = list(SearchEntry.objects.filter(key__in=keys).values_list("pk", "key"))
        entry_ids = [pk for pk, _key in found]
        if entry_ids:
            state.count_change(sorted({key for _pk, key in found}))
        self.engine.forget(entry_ids)
        SearchEntry.objects.filter(pk__in=entry_ids).delete()
        return len(entry_ids)

    def rebuild(
        self, documents: Iterable[SearchDocument], *, progress: Callable[[int], None] | None = None
    ) -> int:
        """Fill generation N+1 while N answers, then switch in one transaction."""
        new = state.begin_rebuild()
        SearchEntry.objects.filter(generation=new).delete()
        count, batch, seen = 0, [], set()
        for document in documents:
            if document.key in seen:
                continue
            seen.add(document.key)
            batch.append(document)
            if len(batch) == plan.REBUILD_BATCH:
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
            state.switch_to(new)
            # Older generations go in three set-based statements, however large they are.
            self.engine.forget_other_generations(new)
            SearchFacet.objects.filter(entry__generation__lt=new)._raw_delete(
                SearchFacet.objects.db
            )
            SearchEntry.objects.exclude(generation=new)._raw_delete(SearchEntry.objects.db)
        self.engine.after_rebuild()
        return count

    def keys(self) -> set[str]:
        return set(
            SearchEntry.objects.filter(generation=self.active_generation()).values_list(
                "key", flat=True
            )
        )

    @transaction.atomic
    def clear(self) -> None:
        state.count_clear()
        SearchEntry.objects.all().delete()
        self.engine.clear()

    # --- Reads ---------------------------------------------------------------------------
    #
    # One query reads the index state once (``generation``) and hands it down, so the state
    # is read once per search whatever route the search takes.

    def query(self, request: SearchRequest) -> SearchResults:
        generation = self.active_generation()
        words = query_words(request.text)
        any_word = False
        matched, scopes = self.engine.matches(request, generation, words, any_word)
        if not matched and len(words) > 1:
            # Nothing has every word: show what has any of them, best first.
            any_word = True
            matched, scopes = self.engine.matches(request, generation, words, any_word)
        page_plan = plan.plan_page(request, words, any_word, len(matched))
        page = self.engine.ranked_page(request, generation, matched, page_plan)
        page_ids = [pk for pk, _score in page]
        # The body is only searched, never shown: the page's rows are read without it.
        entries = SearchEntry.objects.defer("body").in_bulk(page_ids)
        highlights = self.engine.highlights(page_ids, words, request.reader_language, any_word)
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
        counts = facets.count(
            request,
            matched[: plan.TOTAL_CAP],
            scopes,
            self.engine.id_list,
            self.engine.facet_name_column,
        )
        suggestion = ""
        if not matched and words:
            suggestion = self.spelling_suggestion(words, generation)
        return SearchResults(
            hits=hits,
            total=min(len(matched), plan.TOTAL_CAP),
            page=request.page,
            per_page=request.per_page,
            facets=counts,
            suggestion=suggestion,
            capped=len(matched) > plan.TOTAL_CAP,
            extra={"any_word": any_word},
        )

    def suggest(self, prefix: str, *, audiences: tuple[str, ...], limit: int = 8) -> list[dict]:
        """Titles that start with the prefix, or have a word that does (public ones first)."""
        return suggestions.suggest(
            prefix, generation=self.active_generation(), audiences=audiences, limit=limit
        )

    def spelling_suggestion(self, words: list[str], generation: int | None = None) -> str:
        """The query with each unknown word replaced by the closest public title word."""
        return suggestions.spelling_suggestion(
            words,
            generation=generation or self.active_generation(),
            version=self.index_version(),
        )
