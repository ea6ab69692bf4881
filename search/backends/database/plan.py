"""The pure part of a database search: the query's words, the limits a query works within, and
which of the ranking strategies a page takes. No database here: tested as data, as
``search.backends.elasticsearch.build_search`` is.

How a query stays fast at 100,000 documents (figures in docs/design-notes.md, Search):

* the matching ids are collected once, at most ``TOTAL_CAP + 1`` of them: they give the total
  (exact up to the cap, "more than" beyond it, as nobody pages past ``MAX_PAGE``) and the facet
  scope, and relevance ranking over them is exact;
* beyond the cap, ranking reads the engine's best candidates first (title matches, then the
  rest), filters them in batches and stops once the page is full, instead of scoring and joining
  every match.

The limits are read as ``plan.NAME`` where they are used, so a test can lower them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.html import escape

from search.types import SearchRequest

START, STOP = "\x02", "\x03"
_WORDS = re.compile(r"\w+", re.UNICODE)
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


#: How a page is ordered (``PagePlan.strategy``).
BY_DATE = "date"  # newest first: a date sort, or no words
BY_SCORE = "score"  # every match known (at most the cap): score them all, exactly
BY_TIERS = "tiers"  # more matches than the cap: the engine's best candidates, tier by tier


@dataclass(frozen=True)
class PagePlan:
    """What a page of results needs, decided from the request and the matches alone.

    ``matched_known``: the matched ids are the whole match (not capped), so a date sort orders
    those ids rather than running the match again."""

    words: tuple[str, ...]
    any_word: bool
    language: str
    strategy: str
    start: int
    end: int
    matched_known: bool
    tiers: tuple[str, ...] = ()


def plan_page(
    request: SearchRequest, words: list[str], any_word: bool, matched_count: int
) -> PagePlan:
    """The ranking strategy of the requested page (one of ``BY_DATE``, ``BY_SCORE``,
    ``BY_TIERS``) and its window."""
    start = (request.page - 1) * request.per_page
    capped = matched_count > TOTAL_CAP
    if not words or request.sort != "relevance":
        strategy = BY_DATE
    elif not capped:
        strategy = BY_SCORE
    else:
        strategy = BY_TIERS
    tiers = (TIERS if len(words) > 1 else ("all", "none")) if strategy == BY_TIERS else ()
    return PagePlan(
        words=tuple(words),
        any_word=any_word,
        language=request.reader_language,
        strategy=strategy,
        start=start,
        end=start + request.per_page,
        matched_known=bool(words) and not capped,
        tiers=tiers,
    )


def by_score(scores: dict[int, float], ids: list[int], dates: dict) -> list[tuple[int, float]]:
    """Best score first; ties newest date first, then by id (as the date sort does)."""

    def key(pk: int) -> tuple:
        when = dates.get(pk)
        return (-scores[pk], when is None, -(when.timestamp() if when else 0), pk)

    return [(pk, scores[pk]) for pk in sorted((pk for pk in ids if pk in scores), key=key)]
