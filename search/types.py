"""The shapes that cross the search interface, whatever the backend.

Apps never see these built by hand: ``search.sources`` turns their objects into documents, and
``search.query`` returns ``SearchResults``.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

#: Facets every backend counts, in the order the search page shows them.
FACETS: tuple[str, ...] = (
    "kind",
    "region",
    "country",
    "theme",
    "ecosystem",
    "language",
    "tag",
    "year",
    # Projects seeking finance (``finance``): kind of finance, stage, goals, amount range.
    "finance",
    "stage",
    "sdg",
    "amount",
)
SORTS = ("relevance", "date")
PUBLIC = "public"
MEMBERS = "members"


def partnership_audience(partnership_id: int) -> str:
    return f"partnership:{partnership_id}"


def course_audience(course_key) -> str:
    """The learners and trainers of one course (lessons of cohort courses)."""
    return f"course:{course_key}"


@dataclasses.dataclass(frozen=True)
class SearchDocument:
    """One findable thing: a case study, a lesson, a forum post, a partnership...

    ``audience`` is who may find it: ``public``, ``members`` (signed-in) or
    ``partnership:<id>``. Text fields are plain text: markup is stripped before indexing, so a
    highlight can be escaped and marked safely.
    """

    key: str  # "<app_label>.<model>:<pk>", unique across the index
    kind: str  # "case_study", "resource", "course", "lesson", "topic", "post", "partnership", "organisation", "project", "event"
    title: str
    url: str
    language: str
    summary: str = ""
    body: str = ""
    audience: str = PUBLIC
    date: datetime.datetime | None = None
    region: str = ""
    country: str = ""
    year: int | None = None
    themes: tuple[str, ...] = ()
    ecosystems: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    latitude: float | None = None
    longitude: float | None = None
    group: str = ""  # translation group: versions of one page share it
    #: languages this page exists in (all versions), so a listing can show one per reader
    translations: tuple[str, ...] = ()
    #: whether readers of a language the page lacks see this version: the one in the site's
    #: default language, else the first written (the listings' rule). Only one version of a
    #: translated page says so; anything not translated does.
    stands_for_missing: bool = True
    #: a project seeking finance: its kind of finance, stage, goals (slugs) and amount range
    #: within its currency (``finance.bands``: "USD:100k-1m")
    finance_kind: str = ""
    stage: str = ""
    sdgs: tuple[str, ...] = ()
    amount: str = ""

    def facet_values(self) -> dict[str, tuple[str, ...]]:
        """Each facet's values for this document (several for themes, ecosystems and tags)."""
        return {
            "kind": (self.kind,),
            "region": (self.region,) if self.region else (),
            "country": (self.country,) if self.country else (),
            "theme": self.themes,
            "ecosystem": self.ecosystems,
            "language": (self.language,) if self.language else (),
            "tag": tuple(tag.lower() for tag in self.tags),
            "year": (str(self.year),) if self.year else (),
            "finance": (self.finance_kind,) if self.finance_kind else (),
            "stage": (self.stage,) if self.stage else (),
            "sdg": self.sdgs,
            "amount": (self.amount,) if self.amount else (),
        }


@dataclasses.dataclass(frozen=True)
class BoundingBox:
    south: float
    west: float
    north: float
    east: float

    def contains(self, latitude: float, longitude: float) -> bool:
        return self.south <= latitude <= self.north and self.west <= longitude <= self.east


@dataclasses.dataclass(frozen=True)
class SearchRequest:
    """A validated query: the view builds it from the URL, the backends read it."""

    text: str = ""
    audiences: tuple[str, ...] = (PUBLIC,)
    #: the reader's language: a translated page is shown once, in it when the page exists in
    #: it, else in the version that stands for missing languages
    reader_language: str = "en"
    filters: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    facets: tuple[str, ...] = FACETS
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    geo: BoundingBox | None = None
    located_only: bool = False


@dataclasses.dataclass(frozen=True)
class Hit:
    key: str
    kind: str
    title: str
    url: str
    language: str
    summary: str
    highlight: str  # HTML: escaped text with <mark> around matches
    date: datetime.datetime | None
    latitude: float | None
    longitude: float | None
    score: float = 0.0


@dataclasses.dataclass(frozen=True)
class FacetValue:
    value: str
    count: int
    selected: bool = False


@dataclasses.dataclass
class SearchResults:
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    facets: dict[str, list[FacetValue]]
    suggestion: str = ""
    #: more matches than ``total`` (a lower bound) and facet counts cover only the first ones
    capped: bool = False
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1
