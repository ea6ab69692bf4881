"""The ordinary rows of the index: one ``SearchEntry`` per document and generation with its
``SearchFacet`` values, and the querysets of entries a request may see. The full text beside
them is the engine's (``sqlite``, ``postgresql``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Q, QuerySet

from search.models import SearchEntry, SearchFacet
from search.types import SearchDocument, SearchRequest


def entry_fields(document: SearchDocument) -> dict:
    """The entry's columns for ``document``."""
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
        "stands_for_missing": document.stands_for_missing,
    }


def facet_rows(entry: SearchEntry, document: SearchDocument) -> list[SearchFacet]:
    return [
        SearchFacet(entry=entry, name=name, value=value[:120])
        for name, values in document.facet_values().items()
        for value in values
    ]


def write_entry(document: SearchDocument, generation: int) -> SearchEntry:
    """Insert or update ``document``'s entry in ``generation``, with its facets (the caller
    holds the transaction and writes the full text)."""
    entry, _created = SearchEntry.objects.update_or_create(
        generation=generation, key=document.key, defaults=entry_fields(document)
    )
    entry.facet_values.all().delete()
    SearchFacet.objects.bulk_create(facet_rows(entry, document))
    return entry


def insert_entries(documents: list[SearchDocument], generation: int) -> list[SearchEntry]:
    """A rebuild's fresh generation: many entries at once (none exist yet), with facets."""
    entries = SearchEntry.objects.bulk_create(
        SearchEntry(generation=generation, key=document.key, **entry_fields(document))
        for document in documents
    )
    SearchFacet.objects.bulk_create(
        [
            facet
            for entry, doc in zip(entries, documents, strict=True)
            for facet in facet_rows(entry, doc)
        ],
        batch_size=2000,
    )
    return entries


def visible(request: SearchRequest, entries: QuerySet) -> QuerySet:
    """``entries`` (already limited to a generation and the request's audiences) narrowed to
    the reader's language version and the map box."""
    if "language" not in request.filters:
        # One version per page: the reader's language when the page exists in it, else the
        # version standing for the missing languages.
        reader = request.reader_language
        entries = entries.filter(
            Q(language=reader)
            | (~Q(translations__contains=f"|{reader}|") & Q(stands_for_missing=True))
        )
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


def visible_entries(request: SearchRequest, generation: int) -> QuerySet:
    """The entries ``request`` may see, by the (generation, audience) index."""
    return visible(
        request, SearchEntry.objects.filter(generation=generation, audience__in=request.audiences)
    )


def with_facet_filters(
    entries: QuerySet,
    filters: dict[str, tuple[str, ...]],
    facet_filter: Callable,
    skip: Iterable[str] = (),
) -> QuerySet:
    """``entries`` with every facet filter but ``skip``; ``facet_filter(name, values)`` is the
    engine's expression for one."""
    skipped = set(skip)
    for name, values in filters.items():
        if name in skipped or not values:
            continue
        entries = entries.filter(facet_filter(name, values))
    return entries


def dates_of(entry_ids: Iterable[int]) -> dict:
    return dict(SearchEntry.objects.filter(pk__in=list(entry_ids)).values_list("pk", "date"))
