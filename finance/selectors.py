"""Reads of landscape finance, each filtered by who is asking.

Published projects are public (the portfolio is meant for outside funders); drafts are for
the partnership's coordinators only. Expressions of interest are private to the funder and the
coordinators: they are read only to lead the funder back to their own conversation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet

from finance import bands
from finance.models import FinanceKind, Interest, Project, ProjectStage
from library.models import SustainableDevelopmentGoal
from network.models import LandscapePartnership, PartnershipMembership, PartnershipRole
from network.selectors import is_coordinator

Viewer = AbstractBaseUser | AnonymousUser

#: The listing's facets, in the order the page shows them.
FACETS: tuple[str, ...] = ("kind", "stage", "amount", "sdg", "region")


def published_projects() -> QuerySet[Project]:
    return Project.objects.filter(published=True)


def _with_card_data(projects: QuerySet[Project]) -> QuerySet[Project]:
    """What a project's card shows, in a fixed number of queries whatever their number."""
    return projects.select_related("partnership").prefetch_related(
        Prefetch("sdgs", queryset=SustainableDevelopmentGoal.objects.order_by("number")),
        "outcomes",
    )


@dataclass(frozen=True)
class ListingFilters:
    """What the listing's GET form validated: each facet's chosen values."""

    kind: tuple[str, ...] = ()
    stage: tuple[str, ...] = ()
    amount: tuple[str, ...] = ()
    sdg: tuple[str, ...] = ()
    region: tuple[str, ...] = ()

    def chosen(self) -> dict[str, tuple[str, ...]]:
        return {name: getattr(self, name) for name in FACETS if getattr(self, name)}


def _facet_condition(name: str, values: Sequence[str]) -> Q:
    if name == "kind":
        return Q(kind__in=values)
    if name == "stage":
        return Q(stage__in=values)
    if name == "region":
        return Q(partnership__region__in=values)
    if name == "sdg":
        return Q(sdgs__slug__in=values)
    if name == "amount":
        condition = Q(pk__in=[])
        for value in values:
            parsed = bands.parse_facet_value(value)
            if parsed is None:
                continue
            currency, band = parsed
            lower, upper = bands.bounds(band)
            part = Q(currency=currency)
            if lower is not None:
                part &= Q(amount_sought__gte=lower)
            if upper is not None:
                part &= Q(amount_sought__lt=upper)
            condition |= part
        return condition
    raise KeyError(name)


def _filtered(filters: ListingFilters, *, without: str = "") -> QuerySet[Project]:
    projects = published_projects()
    for name, values in filters.chosen().items():
        if name == without:
            continue
        # A facet with several values is an OR within it; facets are ANDed. Goals go through
        # a subquery so that a project with two chosen goals is not counted twice.
        if name == "sdg":
            projects = projects.filter(
                pk__in=Project.objects.filter(_facet_condition(name, values)).values("pk")
            )
        else:
            projects = projects.filter(_facet_condition(name, values))
    return projects


def project_listing(filters: ListingFilters) -> QuerySet[Project]:
    """The published projects the filters keep, newest first, ready for their cards."""
    return _with_card_data(_filtered(filters)).order_by("-updated_at", "-pk")


def listing_facets(filters: ListingFilters) -> dict[str, list[dict[str, Any]]]:
    """Each facet's values with how many projects each would keep: a facet's counts ignore its
    own choice (choosing "loan" still shows how many grants there are), as search does. One
    GROUP BY per facet."""
    from network.geography import Region

    goal_labels = {
        goal.slug: goal.label for goal in SustainableDevelopmentGoal.objects.order_by("number")
    }
    labels: dict[str, Mapping[str, str]] = {
        "kind": dict(FinanceKind.choices),
        "stage": dict(ProjectStage.choices),
        "region": dict(Region.choices),
        "sdg": goal_labels,
    }
    chosen = filters.chosen()
    facets: dict[str, list[dict[str, Any]]] = {}
    for name in FACETS:
        base = _filtered(filters, without=name)
        if name == "amount":
            counts: dict[str, int] = {}
            for currency, amount in base.values_list("currency", "amount_sought"):
                value = bands.facet_value(currency, amount)
                counts[value] = counts.get(value, 0) + 1
            rows = sorted(counts.items())
            label = bands.label
        else:
            field = {"kind": "kind", "stage": "stage", "region": "partnership__region"}.get(
                name, "sdgs__slug"
            )
            grouped = base.exclude(**{f"{field}__isnull": True}).values(field)
            grouped = grouped.annotate(count=Count("pk", distinct=True)).order_by(field)
            rows = [(row[field], row["count"]) for row in grouped]
            if name == "sdg":
                order = list(goal_labels)
                rows.sort(key=lambda row: order.index(row[0]) if row[0] in order else 99)
            names = labels[name]

            def label(value: str, names=names) -> str:
                return str(names.get(value, value))

        facets[name] = [
            {
                "value": value,
                "count": count,
                "label": label(value),
                "selected": value in chosen.get(name, ()),
            }
            for value, count in rows
        ]
    return facets


def map_points(projects: QuerySet[Project]) -> list[dict[str, object]]:
    """Located projects as small dicts for the map and its no-JavaScript list (one query)."""
    located = projects.filter(latitude__isnull=False, longitude__isnull=False)
    return [
        {
            "kind": "project",
            "title": project.title,
            "url": project.get_absolute_url(),
            "country": str(project.partnership.country.name),
            "lat": float(project.latitude),
            "lng": float(project.longitude),
        }
        for project in located.select_related("partnership").order_by("title", "pk")
    ]


def portfolio_of(viewer: Viewer, partnership: LandscapePartnership) -> QuerySet[Project]:
    """A partnership's projects: the published ones, and its drafts for its coordinators."""
    projects = partnership.finance_projects.all()
    if not is_coordinator(viewer, partnership):
        projects = projects.filter(published=True)
    return _with_card_data(projects).order_by("-published", "title", "pk")


def project_visible_to(viewer: Viewer, slug: str, project_slug: str) -> Project | None:
    """The project at this address if the viewer may read it (a draft: coordinators only)."""
    project = (
        Project.objects.select_related("partnership")
        .prefetch_related("documents", "outcomes", "sdgs")
        .filter(partnership__slug=slug, slug=project_slug)
        .first()
    )
    if project is None:
        return None
    if not project.published and not is_coordinator(viewer, project.partnership):
        return None
    return project


def interest_of(viewer: Viewer, project: Project) -> Interest | None:
    """The viewer's own expression of interest in the project, if any."""
    if not viewer.is_authenticated:
        return None
    return Interest.objects.filter(project=project, funder=viewer).first()


def coordinator_ids(partnership: LandscapePartnership) -> list[int]:
    return list(
        PartnershipMembership.objects.filter(
            partnership=partnership, role=PartnershipRole.COORDINATOR, user__is_active=True
        )
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def portfolio_points(partnership: LandscapePartnership) -> QuerySet[Project]:
    """The partnership's published projects that have a place, for the portfolio's GeoJSON:
    open data, so drafts are left out whoever asks (its coordinators included)."""
    return _with_card_data(
        partnership.finance_projects.filter(
            published=True, latitude__isnull=False, longitude__isnull=False
        )
    ).order_by("title", "pk")


def projects_for_export() -> QuerySet[Project]:
    """Every published project with what the open data carries (CSV, API)."""
    return _with_card_data(published_projects()).order_by("partnership__name", "title", "pk")
