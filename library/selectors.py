"""Reads of the knowledge library: listings in the reader's language, filters, map points.

Case studies and resources live in one page tree per language. A listing shows each piece of
knowledge once: in the reader's language when a translation exists, otherwise in the site's
default language, otherwise in the language it was written in. So nothing written in only one
language disappears from the others.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.db.models import CharField, F, Min, Prefetch, Q, QuerySet, Value
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.images import get_image_model

from config.page_cache import cached_value, in_restricted_section
from config.renditions import prefetch_renditions
from library.models import CaseStudyPage, ResourcePage

CARD_IMAGE_SPEC = "fill-480x270|format-webp"


def live_public(pages: QuerySet) -> QuerySet:
    """``pages.live().public()`` without a query for the view restrictions.

    Wagtail's ``public()`` reads every ``PageViewRestriction`` each time it is called (several
    times per page); here the restrictions are a condition of the same query
    (:func:`config.page_cache.in_restricted_section`), so a cold page pays nothing for them.
    """
    return pages.live().filter(~in_restricted_section())


def _content_language(language_code: str) -> str:
    try:
        return get_supported_content_language_variant(language_code)
    except LookupError:
        return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def one_version_per_translation(pages: QuerySet, language_code: str) -> QuerySet:
    """Keep one page per ``translation_key``: the reader's, else the default, else the first.

    Locales are matched by language code in the query itself (no look-up of ``Locale`` rows
    first), so this adds no query of its own.
    """
    active = _content_language(language_code)
    default = _content_language(settings.LANGUAGE_CODE)
    in_active = pages.filter(locale__language_code=active)
    in_default = pages.filter(locale__language_code=default).exclude(
        translation_key__in=in_active.values("translation_key")
    )
    covered = pages.filter(locale__language_code__in=[active, default]).values("translation_key")
    elsewhere = (
        pages.exclude(translation_key__in=covered)
        .values("translation_key")
        .annotate(first=Min("pk"))
        .values("first")
    )
    return pages.filter(
        Q(locale__language_code=active) | Q(pk__in=in_default.values("pk")) | Q(pk__in=elsewhere)
    )


def _with_card_images(pages: QuerySet, field: str = "hero_image") -> QuerySet:
    """Load each card's image with the page, and its one card rendition (``fill-480x270``,
    WebP) for all of them in one query, rather than one query per card."""
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec=CARD_IMAGE_SPEC)
    return pages.select_related(field).prefetch_related(
        Prefetch(f"{field}__renditions", queryset=renditions, to_attr="prefetched_renditions")
    )


def prefetch_card_renditions(images: Iterable[Any]) -> None:
    """Read the card rendition of every image in ``images`` (``None`` skipped, images already
    read skipped) in one query: a page showing cards of several kinds (the home page's case
    studies and courses) pays one query for all their images, not one per kind or per card."""
    prefetch_renditions(images, [CARD_IMAGE_SPEC])


def _apply_common_filters(pages: QuerySet, model, filters: dict[str, Any]) -> QuerySet:
    if text := filters.get("q"):
        pages = pages.filter(Q(title__icontains=text) | Q(summary__icontains=text))
    if region := filters.get("region"):
        pages = pages.filter(region=region)
    if year := filters.get("year"):
        pages = pages.filter(year=year)
    # Within one facet the choices widen the result (OR); across facets they narrow it (AND).
    for facet, relation in (("theme", "themes"), ("ecosystem", "ecosystems")):
        if terms := filters.get(facet):
            through = getattr(model, relation).through
            target = relation.removesuffix("s")
            owner_ids = through.objects.filter(**{f"{target}__in": terms}).values(
                f"{model._meta.model_name}_id"
            )
            pages = pages.filter(pk__in=owner_ids)
    return pages


def case_studies_listing(*, filters: dict[str, Any], language_code: str) -> QuerySet[CaseStudyPage]:
    """Live, public case studies matching the filters, newest first, one per translation (the
    listing page reads it through :class:`CaseStudyListing`)."""
    pages = live_public(CaseStudyPage.objects.all())
    if language := filters.get("language"):
        pages = pages.filter(locale__language_code=language)
    else:
        pages = one_version_per_translation(pages, language_code)
    pages = _apply_common_filters(pages, CaseStudyPage, filters)
    if country := filters.get("country"):  # the listing page counts countries: it filters rows
        pages = pages.filter(country=country)
    pages = pages.select_related("locale", "partnership").prefetch_related("themes")
    return _with_card_images(pages).order_by("-year", "title", "pk")


def resources_listing(*, filters: dict[str, Any], language_code: str) -> QuerySet[ResourcePage]:
    """Live, public resources matching the filters, newest first, one per translation."""
    pages = live_public(ResourcePage.objects.all())
    if language := filters.get("language"):
        pages = pages.filter(locale__language_code=language)
    else:
        pages = one_version_per_translation(pages, language_code)
    pages = _apply_common_filters(pages, ResourcePage, filters)
    if resource_type := filters.get("type"):
        pages = pages.filter(resource_type=resource_type)
    pages = pages.select_related("locale", "document").prefetch_related("themes")
    return pages.order_by("-first_published_at", "pk")


def latest_case_studies(
    *, language_code: str, limit: int = 3, renditions: bool = True
) -> list[CaseStudyPage]:
    """The most recently published case studies, for the home page and feeds. Without
    ``renditions`` the images come without their card renditions: the home page reads those
    with its other cards' (:func:`prefetch_card_renditions`)."""
    pages = one_version_per_translation(live_public(CaseStudyPage.objects.all()), language_code)
    pages = pages.select_related("locale", "hero_image")
    if renditions:
        pages = _with_card_images(pages)
    pages = pages.prefetch_related("themes")
    return list(pages.order_by("-first_published_at", "-pk")[:limit])


def latest_resources(*, language_code: str, limit: int = 20) -> list[ResourcePage]:
    pages = one_version_per_translation(live_public(ResourcePage.objects.all()), language_code)
    return list(
        pages.select_related("locale", "document").order_by("-first_published_at", "-pk")[:limit]
    )


class CaseStudyListing:
    """A filtered case-study listing for ``Paginator``: the primary key, country and
    translation key of every match in the listing's order (:func:`case_study_listing`). A page
    of it is those matches' ``(primary key, translation key)``; the page type renders their
    cards (``library.cards``), reading only those not cached (:func:`case_study_cards`).

    The country filter is applied to these rows rather than in the query, so the same rows
    also say how many case studies each country has under the other filters
    (``country_counts``: the filter's choices, with no query of their own). The map reads its
    points apart (:func:`case_study_map_points`), from its own address.
    """

    def __init__(self, rows: list[tuple[int, str, str]], *, country: str | None = None) -> None:
        self.country_counts: dict[str, int] = dict(
            Counter(code for _pk, code, _key in rows if code)
        )
        self.matches: list[tuple[int, str]] = [
            (pk, str(key)) for pk, code, key in rows if not country or code == country
        ]

    def __len__(self) -> int:
        return len(self.matches)

    def __getitem__(self, index: int | slice):
        return self.matches[index]


def case_study_cards(pks: list[int]) -> list[CaseStudyPage]:
    """The case studies ``pks`` names, in that order, with what their cards show: locale,
    image and its card rendition, themes (three queries, whatever their number)."""
    cards = CaseStudyPage.objects.filter(pk__in=pks).select_related("locale")
    by_pk = {card.pk: card for card in _with_card_images(cards).prefetch_related("themes")}
    return [by_pk[pk] for pk in pks if pk in by_pk]


def case_study_listing(*, filters: dict[str, Any], language_code: str) -> CaseStudyListing:
    """The case-study listing page's matches (:class:`CaseStudyListing`).

    One light query reads the primary key and country of every match, as tuples (at 2,000
    matches, model instances cost more than the query), and Django's way would count and read
    the page, each a query compiling the one-version-per-translation subqueries again. The
    rows are kept per language and filters (the country aside) until a page or a vocabulary
    changes (``pages``: publishing, unpublishing, moves and view restrictions bump it): a warm
    listing reads only its page of cards. Building the query alone cost a third of a warm
    rendering on SQLite at 2,000 case studies."""
    others = {name: value for name, value in filters.items() if name != "country"}

    def build() -> list[tuple[int, str, str]]:
        pages = case_studies_listing(filters=others, language_code=language_code)
        light = pages.prefetch_related(None).select_related(None)
        return list(light.values_list("pk", "country", "translation_key"))

    key = f"library.listing:{language_code}:{_filters_digest(others)}"
    rows = cached_value(key, ("pages", "vocabularies"), build)
    return CaseStudyListing(rows, country=filters.get("country"))


#: What a map point needs of a case study (its URL is built from ``url_path``).
_MAP_FIELDS = ("title", "url_path", "country", "latitude", "longitude", "locale", "depth", "path")


def map_point(page: CaseStudyPage) -> dict[str, Any]:
    """A located case study as the map and its no-JavaScript list show it: title, link,
    country and place, nothing else (2,000 of them stay a few hundred KB)."""
    return {
        "kind": "case-study",
        "title": page.title,
        "url": page.url,
        "country": page.country.name,
        "lat": float(page.latitude),
        "lng": float(page.longitude),
    }


def _filters_digest(filters: dict[str, Any]) -> str:
    """The same digest for the same filters in any order (terms by primary key): a visitor's
    free text stays out of the cache key's length."""

    def plain(value: Any) -> Any:
        if isinstance(value, list | tuple):
            return sorted(str(plain(each)) for each in value)
        return str(getattr(value, "pk", value))

    chosen = sorted((name, plain(value)) for name, value in filters.items() if value)
    return hashlib.sha256(json.dumps(chosen).encode()).hexdigest()[:32]


def case_study_map_points(*, filters: dict[str, Any], language_code: str) -> list[dict[str, Any]]:
    """The located case studies of a filtered listing (all its pages, not one page of cards) as
    map points by title: what the map shows follows the filters.

    Served from its own address (``library.views.case_study_map``) and cached per language and
    filters until a page or a vocabulary changes: built, it reads every match and resolves each
    one's URL, which the listing's HTML no longer pays for (9 ms a listing at 2,000 case
    studies on SQLite, and twice the points in its bytes)."""
    key = f"library.map_points:{language_code}:{_filters_digest(filters)}"

    def build() -> list[dict[str, Any]]:
        pages = case_studies_listing(filters=filters, language_code=language_code)
        located = (
            pages.prefetch_related(None)
            .select_related(None)
            .select_related("locale")
            .filter(latitude__isnull=False, longitude__isnull=False)
            .only(*_MAP_FIELDS)
            .order_by("title", "pk")
        )
        return [map_point(page) for page in located]

    return cached_value(key, ("pages", "vocabularies"), build)


def vocabulary(model) -> dict[int, Any]:
    """Every term of a vocabulary (themes, ecosystems, SDGs) by id, in its usual order.

    A few dozen rows that editors rarely change and every listing, filter and case study shows:
    read once for all three vocabularies (:func:`vocabularies`), cached until any term is saved
    or deleted (``library.cache``).
    """
    return vocabularies()[model._meta.label_lower]


def _loaded(model, values: dict[str, Any]):
    """A model instance from some of its columns (Django's ``Model.from_db``, which takes
    them in the model's field order; the others are deferred)."""
    names = [field.attname for field in model._meta.concrete_fields if field.attname in values]
    return model.from_db(DEFAULT_DB_ALIAS, names, [values[name] for name in names])


#: What a term of each vocabulary shows (``LocalizedTerm``'s columns, and the goal's number).
_TERM_FIELDS = ("id", "slug", "name", "name_es", "name_fr", "name_pt")


def vocabularies() -> dict[str, dict[int, Any]]:
    """The three vocabularies by model label, each ``{id: term}`` in its model's order, read
    in one query (a ``UNION`` of the three tables, Django's ``QuerySet.union``) rather than one
    per vocabulary: a filtered listing shows two of them, a case study all three."""
    from library.models import Ecosystem, SustainableDevelopmentGoal, Theme

    models = {
        model._meta.label_lower: model for model in (Theme, Ecosystem, SustainableDevelopmentGoal)
    }

    def build() -> dict[str, dict[int, Any]]:
        def rows(model, number):
            return (
                model.objects.order_by()
                .annotate(vocabulary=Value(model._meta.label_lower, output_field=CharField()))
                .annotate(rank=number)
                .values_list("vocabulary", *_TERM_FIELDS, "rank")
            )

        theme, ecosystem, goal = models.values()
        query = rows(theme, Value(0)).union(
            rows(ecosystem, Value(0)), rows(goal, F("number")), all=True
        )
        found: dict[str, dict[int, Any]] = {label: {} for label in models}
        # The models' own orders: themes and ecosystems by name, goals by number.
        for label, *values in query.order_by("rank", "name"):
            model = models[label]
            row = dict(zip((*_TERM_FIELDS, "number"), values, strict=True))
            if model is not goal:
                del row["number"]
            term = _loaded(model, row)
            found[label][term.pk] = term
        return found

    return cached_value("vocabularies", "vocabularies", build)


@dataclass(frozen=True)
class CaseStudyRelations:
    """What a case study names from other tables, each list in its model's order."""

    themes: list[Any]
    ecosystems: list[Any]
    goals: list[Any]
    partners: list[Any]
    tags: list[Any]


def case_study_relations(page: CaseStudyPage) -> CaseStudyRelations:
    """The case study's themes, ecosystems, goals, partner organisations and tags in one query:
    a ``UNION`` of the five link tables, each joined to what the page shows of the row (their
    columns line up as a term's: id, slug, names, rank), rather than one query per relation.
    The rows become model instances with Django's ``Model.from_db`` (partners and tags with
    only the fields the page shows; another field would be read on access)."""
    from taggit.models import Tag

    from library.models import Ecosystem, SustainableDevelopmentGoal, Theme
    from library.models.case_studies import CaseStudyPageTag
    from network.models import Organisation

    blank = Value("", output_field=CharField())
    zero = Value(0)

    def linked(kind: str, through, owner: str, target: str, *, names=None, rank=zero):
        names = names or (f"{target}__name_es", f"{target}__name_fr", f"{target}__name_pt")
        return (
            through.objects.filter(**{owner: page.pk})
            .order_by()
            .annotate(
                kind=Value(kind, output_field=CharField()), rank=rank, label=F(f"{target}__name")
            )
            .values_list("kind", f"{target}_id", f"{target}__slug", "label", *names, "rank")
        )

    no_names = (blank, blank, blank)
    query = linked("theme", CaseStudyPage.themes.through, "casestudypage_id", "theme").union(
        linked("ecosystem", CaseStudyPage.ecosystems.through, "casestudypage_id", "ecosystem"),
        linked(
            "goal",
            CaseStudyPage.sdgs.through,
            "casestudypage_id",
            "sustainabledevelopmentgoal",
            rank=F("sustainabledevelopmentgoal__number"),
        ),
        linked(
            "partner",
            CaseStudyPage.partners.through,
            "casestudypage_id",
            "organisation",
            names=no_names,
        ),
        linked("tag", CaseStudyPageTag, "content_object_id", "tag", names=no_names),
        all=True,
    )
    found: dict[str, list[Any]] = {
        "theme": [],
        "ecosystem": [],
        "goal": [],
        "partner": [],
        "tag": [],
    }
    models = {"theme": Theme, "ecosystem": Ecosystem, "goal": SustainableDevelopmentGoal}
    for kind, pk, slug, name, name_es, name_fr, name_pt, rank in query.order_by("rank", "label"):
        values = {"id": pk, "slug": slug, "name": name}
        if kind in models:
            values.update(name_es=name_es, name_fr=name_fr, name_pt=name_pt)
        if kind == "goal":
            values["number"] = rank
        model = models.get(kind) or (Organisation if kind == "partner" else Tag)
        found[kind].append(_loaded(model, values))
    return CaseStudyRelations(
        themes=found["theme"],
        ecosystems=found["ecosystem"],
        goals=found["goal"],
        partners=found["partner"],
        tags=found["tag"],
    )


def case_study_relations_in_memory(page: CaseStudyPage) -> CaseStudyRelations:
    """The same, read through the page's own relations: a preview's are those of the draft
    (held in memory by modelcluster), not the database's."""
    return CaseStudyRelations(
        themes=list(page.themes.all()),
        ecosystems=list(page.ecosystems.all()),
        goals=list(page.sdgs.all()),
        partners=list(page.partners.all()),
        tags=list(page.tags.all()),
    )


# --- A partnership's home (``network.home``) -------------------------------------------------

#: How many of a partnership's case studies its home lists, and how many others it recommends.
PARTNERSHIP_CASE_STUDIES = 24
RECOMMENDED_CASE_STUDIES = 5


@dataclass(frozen=True)
class CaseStudyEntry:
    """A case study as a partnership's home lists it: ``foreign`` when it is not written in the
    reader's language (no translation in it yet), so the link says which language it is in."""

    page: CaseStudyPage
    foreign: bool


def _entries(pages: QuerySet, language_code: str) -> list[CaseStudyEntry]:
    active = _content_language(language_code)
    return [
        CaseStudyEntry(page=page, foreign=page.locale.language_code != active) for page in pages
    ]


def partnership_case_studies(home) -> list[CaseStudyEntry]:
    """The partnership's case studies, one per translation group, in the reader's language
    where it exists (else the default language's, else the first): one query."""
    pages = one_version_per_translation(
        live_public(CaseStudyPage.objects.filter(partnership_id=home.partnership.pk)),
        home.language,
    )
    pages = pages.select_related("locale").order_by("-first_published_at", "-pk")
    return _entries(pages[:PARTNERSHIP_CASE_STUDIES], home.language)


def case_studies_recommended_for(home) -> list[CaseStudyEntry]:
    """Other partnerships' case studies that share a theme or an ecosystem with this one, one
    per translation group, the most recent first: one query (none without terms)."""
    themes, ecosystems = home.terms.theme_ids, home.terms.ecosystem_ids
    if not themes and not ecosystems:
        return []
    sharing = CaseStudyPage.objects.filter(
        Q(themes__in=themes) | Q(ecosystems__in=ecosystems)
    ).values("pk")
    pages = live_public(
        CaseStudyPage.objects.filter(pk__in=sharing).exclude(partnership_id=home.partnership.pk)
    )
    pages = one_version_per_translation(pages, home.language).select_related("locale")
    pages = pages.order_by("-first_published_at", "-pk")
    return _entries(pages[:RECOMMENDED_CASE_STUDIES], home.language)
