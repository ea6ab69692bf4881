"""Autocomplete titles and the "did you mean" spelling of a query that found nothing.

The spelling vocabulary is kept per index version (``state.index_version``), not per
generation: an incremental write changes the version, so a word a write added is known to the
next search that needs it."""

from __future__ import annotations

import difflib
from functools import lru_cache

from django.db.models import Q

from search.backends.database.plan import query_words
from search.models import SearchEntry


def suggest(prefix: str, *, generation: int, audiences: tuple[str, ...], limit: int) -> list[dict]:
    """Titles that start with the prefix, or have a word that does (public ones first)."""
    prefix = " ".join(query_words(prefix))
    if len(prefix) < 2:
        return []
    entries = (
        SearchEntry.objects.filter(generation=generation, audience__in=audiences)
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


def correct(words: list[str], vocabulary: frozenset[str]) -> str:
    """The query with each unknown word replaced by the closest vocabulary word ("" when
    nothing changes). Pure."""
    corrected, changed = [], False
    for word in words:
        if word in vocabulary or len(word) < 3:
            corrected.append(word)
            continue
        close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.75)
        corrected.append(close[0] if close else word)
        changed = changed or bool(close)
    return " ".join(corrected) if changed else ""


def spelling_suggestion(words: list[str], *, generation: int, version: str) -> str:
    """The query with each unknown word replaced by the closest public title word."""
    return correct(words, vocabulary(generation, version))


@lru_cache(maxsize=4)
def vocabulary(generation: int, version: str) -> frozenset[str]:
    """Words of public titles and summaries (never private text) of ``generation`` as it is at
    index ``version`` (the version is the cache key only)."""
    words: set[str] = set()
    rows = SearchEntry.objects.filter(generation=generation, audience="public").values_list(
        "title", "summary"
    )
    for title, summary in rows.iterator(chunk_size=1000):
        words.update(query_words(f"{title} {summary}"))
    return frozenset(word for word in words if len(word) > 2)
