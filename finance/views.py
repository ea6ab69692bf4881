"""Landscape finance's pages: the network-wide listing (facets and a map), each partnership's
portfolio and projects, the coordinators' project form, "Express interest", and the CSV."""

from __future__ import annotations

import csv
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from config.page_cache import cache_public
from finance import cache, selectors, services
from finance.forms import InterestForm, ProjectFilterForm, ProjectForm
from finance.models import Project
from network import boundaries
from network import selectors as network_selectors
from network.models import LandscapePartnership

PROJECTS_PER_PAGE = 20
#: What the CSV carries, in order: the public facts of each published project, nothing about
#: people, drafts or interest.
CSV_COLUMNS = (
    "partnership",
    "partnership_url",
    "title",
    "url",
    "amount_sought",
    "currency",
    "kind",
    "stage",
    "sdgs",
    "outcomes",
    "latitude",
    "longitude",
    "region",
    "country",
    "updated_at",
)


def _partnership_or_404(slug: str) -> LandscapePartnership:
    partnership = network_selectors.partnership_detail(slug)
    if partnership is None:
        raise Http404(_("No landscape partnership at this address."))
    return partnership


@cache_public(cache.LISTING_TAG, "network.partnerships", "vocabularies")
def listing(request: HttpRequest) -> HttpResponse:
    form = ProjectFilterForm(request.GET or None)
    filters = form.filters() if request.GET else selectors.ListingFilters()
    projects = selectors.project_listing(filters)
    page = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "finance/listing.html",
        {
            "page": page,
            "facets": selectors.listing_facets(filters),
            "facet_labels": {
                "kind": _("Kind of finance"),
                "stage": _("Stage"),
                "amount": _("Amount sought"),
                "sdg": _("Sustainable development goals"),
                "region": _("Region"),
            },
            "filtered": bool(filters.chosen()),
            "map_points": selectors.map_points(selectors.project_listing(filters)),
        },
    )


@cache_public(cache.PORTFOLIO_TAG, "network.partnerships", "vocabularies")
def portfolio(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership_or_404(slug)
    projects = selectors.portfolio_of(request.user, partnership)
    return render(
        request,
        "finance/portfolio.html",
        {
            "partnership": partnership,
            "projects": projects,
            "is_coordinator": network_selectors.is_coordinator(request.user, partnership),
            "map_points": selectors.map_points(projects.filter(published=True)),
        },
    )


@require_GET
def portfolio_geojson(request: HttpRequest, slug: str) -> HttpResponse:
    """The portfolio's published projects as GeoJSON points (RFC 7946: a FeatureCollection,
    [longitude, latitude]), each saying whether it lies inside the partnership's boundary
    (``null`` when the partnership has none). Open data: nothing about people or drafts."""
    partnership = _partnership_or_404(slug)
    boundary = (
        LandscapePartnership.objects.filter(pk=partnership.pk)
        .values_list("boundary", flat=True)
        .first()
    )
    site = request.build_absolute_uri("/").rstrip("/")
    features = []
    for project in selectors.portfolio_points(partnership):
        longitude, latitude = float(project.longitude), float(project.latitude)
        inside = None if not boundary else boundaries.contains(boundary, longitude, latitude)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
                "properties": {
                    "title": project.title,
                    "slug": project.slug,
                    "url": site + project.get_absolute_url(),
                    "partnership": partnership.name,
                    "amount_sought": f"{project.amount_sought:f}",
                    "currency": project.currency,
                    "kind": project.kind,
                    "stage": project.stage,
                    "sdgs": [goal.number for goal in project.sdgs.all()],
                    "inside_landscape": inside,
                    "updated_at": project.updated_at.isoformat(),
                },
            }
        )
    response = HttpResponse(
        json.dumps({"type": "FeatureCollection", "features": features}),
        content_type="application/geo+json",
    )
    response["Content-Disposition"] = f'attachment; filename="{partnership.slug}-portfolio.geojson"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@cache_public(cache.PORTFOLIO_TAG, "network.partnerships", "vocabularies", "pages.frame")
def project_detail(request: HttpRequest, slug: str, project_slug: str) -> HttpResponse:
    project = selectors.project_visible_to(request.user, slug, project_slug)
    if project is None:
        raise Http404(_("No project at this address."))
    partnership = project.partnership
    return render(
        request,
        "finance/project_detail.html",
        {
            "project": project,
            "partnership": partnership,
            "is_coordinator": network_selectors.is_coordinator(request.user, partnership),
            "is_member": network_selectors.is_member(request.user, partnership),
            "interest": selectors.interest_of(request.user, project),
            "map_points": selectors.map_points(Project.objects.filter(pk=project.pk)),
        },
    )


def _coordinated_partnership_or_403(request: HttpRequest, slug: str) -> LandscapePartnership:
    partnership = _partnership_or_404(slug)
    if not network_selectors.is_coordinator(request.user, partnership):
        raise PermissionDenied(_("Only the partnership's coordinators can manage its portfolio."))
    return partnership


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _coordinated_partnership_or_403(request, slug)
    return _project_form(request, partnership, project=None)


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, slug: str, project_slug: str) -> HttpResponse:
    partnership = _coordinated_partnership_or_403(request, slug)
    project = selectors.project_visible_to(request.user, slug, project_slug)
    if project is None:
        raise Http404(_("No project at this address."))
    return _project_form(request, partnership, project=project)


def _project_form(request: HttpRequest, partnership, *, project) -> HttpResponse:
    """A new project (``project`` None) or an edit: the coordinator's form, saved through the
    service; a refusal comes back with what was typed and why (400)."""
    if request.method == "POST":
        form = ProjectForm(request.POST, request.FILES)
    elif project is not None:
        form = ProjectForm(initial=ProjectForm.initial_for(project))
    else:
        form = ProjectForm()
    status = 200
    if request.method == "POST":
        if form.is_valid():
            save = {"coordinator": request.user, "data": form.project_data()}
            save["document"] = form.cleaned_data["document"]
            try:
                if project is None:
                    project = services.project_create(partnership=partnership, **save)
                else:
                    project = services.project_update(project=project, **save)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The project has been saved."))
                return redirect(project)
        status = 400
    return render(
        request,
        "finance/project_form.html",
        {"form": form, "partnership": partnership, "project": project},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def express_interest(request: HttpRequest, slug: str, project_slug: str) -> HttpResponse:
    """A funder's "Express interest": one private conversation with the coordinators, however
    often it is pressed (the second press leads to the first conversation)."""
    project = selectors.project_visible_to(request.user, slug, project_slug)
    if project is None or not project.published:
        raise Http404(_("No project at this address."))
    existing = selectors.interest_of(request.user, project)
    if existing is not None:
        return redirect(existing.topic)
    form = InterestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                interest, _created = services.interest_express(
                    project=project, funder=request.user, message=form.cleaned_data["message"]
                )
            except PermissionDenied as error:
                form.add_error(None, str(error))
                status = 403
            except ValidationError as error:
                form.add_error(None, error)
                status = 400
            else:
                messages.success(
                    request,
                    _("Your interest has been sent: this private conversation is between you "
                      "and the partnership's coordinators."),
                )  # fmt: skip
                return redirect(interest.topic)
        else:
            status = 400
    return render(
        request,
        "finance/express_interest.html",
        {
            "form": form,
            "project": project,
            "partnership": project.partnership,
            "is_member": network_selectors.is_member(request.user, project.partnership),
        },
        status=status,
    )


def projects_csv(request: HttpRequest) -> HttpResponse:
    """Every published project as CSV (RFC 4180, UTF-8): open data, nothing private."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="landscape-finance-projects.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    site = request.build_absolute_uri("/").rstrip("/")
    for project in selectors.projects_for_export():
        partnership = project.partnership
        writer.writerow(
            [
                _safe(partnership.name),
                site + partnership.get_absolute_url(),
                _safe(project.title),
                site + project.get_absolute_url(),
                f"{project.amount_sought:f}",
                project.currency,
                project.kind,
                project.stage,
                " ".join(str(goal.number) for goal in project.sdgs.all()),
                "; ".join(
                    _safe(f"{o.label}: {o.value.normalize():f} {o.unit}")
                    for o in project.outcomes.all()
                ),
                "" if project.latitude is None else f"{project.latitude:f}",
                "" if project.longitude is None else f"{project.longitude:f}",
                partnership.region,
                str(partnership.country.code or ""),
                project.updated_at.isoformat(),
            ]
        )
    return response


def _safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
