"""What each database's full-text engine does for the backend (``backend.DatabaseBackend``):
keep its structure beside the entries, find "the matched ids" and order "the ranked page".
``sqlite.SqliteEngine`` and ``postgresql.PostgresEngine`` implement it; the backend picks one
in its constructor and never asks which database it runs on again."""

from __future__ import annotations

from typing import Protocol

from django.db.models import Expression, QuerySet
from django.db.models.expressions import RawSQL

from search.backends.database import plan, rows
from search.backends.database.facets import selected_facets
from search.backends.database.plan import BY_DATE, BY_SCORE, PagePlan
from search.models import SearchEntry
from search.types import SearchDocument, SearchRequest


class Engine(Protocol):
    """One database's full text: its writes, and the two reads a search is made of."""

    #: The facet table's name column as the facet count statement spells it.
    facet_name_column: str

    def write(self, entry_id: int, document: SearchDocument) -> None: ...

    def write_many(self, rows: list[tuple[int, SearchDocument]]) -> None: ...

    def forget(self, entry_ids: list[int]) -> None: ...

    def forget_other_generations(self, generation: int) -> None: ...

    def clear(self) -> None: ...

    def after_rebuild(self) -> None:
        """Whatever the database needs once a whole generation was written."""
        ...

    def id_list(self, entry_ids: list[int]) -> RawSQL:
        """A list of ids as one parameter, for ``pk__in``."""
        ...

    def facet_filter(self, name: str, values: tuple[str, ...]) -> Expression | RawSQL: ...

    def matches(
        self, request: SearchRequest, generation: int, words: list[str], any_word: bool
    ) -> tuple[list[int], dict[str, list[int]]]:
        """The matched ids: up to ``TOTAL_CAP + 1`` ids that pass every filter and match the
        words, and for each facet with a selection up to ``TOTAL_CAP`` ids that pass every
        other filter (its scope)."""
        ...

    def ranked_page(
        self, request: SearchRequest, generation: int, matched: list[int], page: PagePlan
    ) -> list[tuple[int, float]]:
        """The ranked page: (id, score) of the page ``page`` describes, in order."""
        ...

    def highlights(
        self, entry_ids: list[int], words: list[str], language: str, any_word: bool
    ) -> dict[int, str]:
        """A snippet per id with the engine's ``START``/``STOP`` markers around matches."""
        ...


class SharedReads:
    """What both engines do the same way, given their ``matching``, ``scores`` and
    ``facet_filter``: the filtered entries, the matched ids by the ORM, and the pages that
    need no engine-specific ranking (a date sort; an exact ranking of every match)."""

    def matching(
        self, entries: QuerySet, words: list[str], language: str, any_word: bool = False
    ) -> QuerySet:
        raise NotImplementedError

    def scores(
        self, entry_ids: list[int], words: list[str], language: str, any_word: bool = False
    ) -> dict[int, float]:
        raise NotImplementedError

    def facet_filter(self, name: str, values: tuple[str, ...]) -> Expression | RawSQL:
        raise NotImplementedError

    def id_list(self, entry_ids: list[int]) -> RawSQL:
        raise NotImplementedError

    def tiers_page(
        self, request: SearchRequest, generation: int, page: PagePlan
    ) -> list[tuple[int, float]]:
        raise NotImplementedError

    def filtered(
        self, request: SearchRequest, generation: int, skip: tuple[str, ...] = ()
    ) -> QuerySet:
        """The entries ``request`` may see with every facet filter but ``skip``."""
        return rows.with_facet_filters(
            rows.visible_entries(request, generation), request.filters, self.facet_filter, skip
        )

    def matched_ids(
        self,
        request: SearchRequest,
        generation: int,
        words: list[str],
        any_word: bool,
        limit: int,
        skip: tuple[str, ...] = (),
    ) -> list[int]:
        """Up to ``limit`` ids of entries that pass the filters (but ``skip``) and match."""
        filtered = self.filtered(request, generation, skip)
        if words:
            filtered = self.matching(filtered, words, request.reader_language, any_word)
        return list(filtered.order_by().values_list("pk", flat=True)[:limit])

    def matches(
        self, request: SearchRequest, generation: int, words: list[str], any_word: bool
    ) -> tuple[list[int], dict[str, list[int]]]:
        matched = self.matched_ids(request, generation, words, any_word, plan.TOTAL_CAP + 1)
        scopes = {
            name: self.matched_ids(
                request, generation, words, any_word, plan.TOTAL_CAP, skip=(name,)
            )
            for name in selected_facets(request)
        }
        return matched, scopes

    def ranked_page(
        self, request: SearchRequest, generation: int, matched: list[int], page: PagePlan
    ) -> list[tuple[int, float]]:
        words = list(page.words)
        if page.strategy == BY_DATE:
            if page.matched_known:
                ordered = SearchEntry.objects.filter(pk__in=self.id_list(matched))
            else:
                ordered = self.filtered(request, generation)
                if words:
                    ordered = self.matching(ordered, words, page.language, page.any_word)
            ids = ordered.order_by("-date", "pk").values_list("pk", flat=True)
            return [(pk, 0.0) for pk in ids[page.start : page.end]]
        if page.strategy == BY_SCORE:
            # Every match is known: score them all, exactly.
            scores = self.scores(matched, words, page.language, page.any_word)
            ranked = plan.by_score(scores, matched, rows.dates_of(scores))
            return ranked[page.start : page.end]
        return self.tiers_page(request, generation, page)[page.start : page.end]
