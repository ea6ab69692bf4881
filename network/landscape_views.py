"""A partnership's landscape: its boundary (edit and download) and the directory as open
data (CSV and GeoJSON).

The downloads hold only what the directory's pages show any visitor: no member, no
coordinator, no e-mail address (``selectors.EXPORT_FIELDS``). Partnerships themselves are
public; what is private to a partnership is its forums, which nothing here reads.
"""

from __future__ import annotations

import csv
import io
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from network import boundaries, selectors, services
from network.filters import PartnershipFilterForm
from network.forms import BoundaryForm

GEOJSON_TYPE = "application/geo+json"
CSV_COLUMNS = (
    "name",
    "slug",
    "url",
    "country",
    "region",
    "status",
    "year_founded",
    "latitude",
    "longitude",
    "area_km2",
    "website",
)


def _partnership_or_404(slug: str):
    partnership = selectors.partnership_detail(slug)
    if partnership is None:
        raise Http404(_("No landscape partnership at this address."))
    return partnership


@login_required
@require_http_methods(["GET", "POST"])
def partnership_landscape(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload, paste, draw or remove the boundary (the partnership's coordinators and the
    site's editors). A refused boundary comes back with the reason and what was pasted."""
    partnership = _partnership_or_404(slug)
    if not selectors.may_edit_landscape(request.user, partnership):
        raise PermissionDenied(_("Only the partnership's coordinators and editors can do this."))
    near = (
        (float(partnership.latitude), float(partnership.longitude))
        if partnership.has_location
        else None
    )
    status = 200
    if request.method == "POST":
        form = BoundaryForm(request.POST, request.FILES, near=near)
        if form.is_valid():
            boundary = form.cleaned_data["boundary"]
            services.partnership_boundary_set(
                partnership=partnership, editor=request.user, boundary=boundary
            )
            if boundary is None:
                messages.success(request, _("The boundary has been removed."))
            else:
                messages.success(
                    request,
                    _("The boundary has been saved: %(area)s km².")
                    % {"area": f"{boundary.area_km2:,.2f}"},
                )
            return redirect(partnership)
        status = 400
    else:
        form = BoundaryForm(near=near)
    return render(
        request,
        "network/partnership_landscape.html",
        {
            "partnership": partnership,
            "form": form,
            "map_points": selectors.partnership_map_points(partnership=partnership),
            "limits": {"bytes": boundaries.MAX_BYTES, "vertices": boundaries.MAX_VERTICES},
        },
        status=status,
    )


@require_GET
def boundary_download(request: HttpRequest, slug: str) -> HttpResponse:
    """The whole boundary as a GeoJSON Feature (RFC 7946), as saved."""
    partnership = selectors.partnership_with_boundary(slug)
    if partnership is None or not partnership.boundary:
        raise Http404(_("This partnership has no boundary yet."))
    document = boundaries.feature(
        partnership.boundary,
        {
            "name": partnership.name,
            "slug": partnership.slug,
            "area_km2": float(partnership.boundary_area_km2),
            "url": request.build_absolute_uri(partnership.get_absolute_url()),
        },
    )
    return _download(json.dumps(document), GEOJSON_TYPE, f"{partnership.slug}.geojson")


def _export_rows(request: HttpRequest, *, simplified: bool = False):
    form = PartnershipFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    rows = selectors.partnerships_for_export(
        simplified=simplified,
        region=filters.get("region", ""),
        country=filters.get("country", ""),
        text=filters.get("q", ""),
        status=filters.get("status", ""),
        theme=filters.get("theme", ""),
        ecosystem=filters.get("ecosystem", ""),
        sdg=filters.get("sdg"),
    )
    # Every address is the same pattern: built once, not one ``reverse`` per row.
    prefix, suffix = request.build_absolute_uri(
        reverse("network:partnership", kwargs={"slug": "slug"})
    ).rsplit("slug", 1)
    for row in rows:
        row["url"] = f"{prefix}{row['slug']}{suffix}"
        yield row


def _properties(row: dict) -> dict:
    area = row["boundary_area_km2"]
    return {
        "name": row["name"],
        "slug": row["slug"],
        "url": row["url"],
        "country": row["country"],
        "region": row["region"],
        "status": row["status"],
        "year_founded": row["year_founded"],
        "area_km2": float(area) if area is not None else None,
    }


@require_GET
def directory_csv(request: HttpRequest) -> HttpResponse:
    """The directory (with the page's filters) as CSV, one partnership a row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in _export_rows(request):
        area = row["boundary_area_km2"]
        writer.writerow(
            [
                row["name"],
                row["slug"],
                row["url"],
                row["country"],
                row["region"],
                row["status"],
                row["year_founded"] or "",
                "" if row["latitude"] is None else row["latitude"],
                "" if row["longitude"] is None else row["longitude"],
                "" if area is None else area,
                row["website"],
            ]
        )
    return _download(buffer.getvalue(), "text/csv; charset=utf-8", "partnerships.csv")


@require_GET
def directory_geojson(request: HttpRequest) -> HttpResponse:
    """The directory as a GeoJSON FeatureCollection: each partnership's boundary, or its
    point when it has none (or no geometry: ``null``, as RFC 7946 allows). With
    ``?simplified=1`` the map's light boundaries, which the directory's map draws."""
    simplified = request.GET.get("simplified") == "1"
    geometry_field = "boundary_simplified" if simplified else "boundary"
    features = []
    for row in _export_rows(request, simplified=simplified):
        geometry = row[geometry_field]
        if geometry is None and row["latitude"] is not None and row["longitude"] is not None:
            geometry = {
                "type": "Point",
                "coordinates": [float(row["longitude"]), float(row["latitude"])],
            }
        features.append(boundaries.feature(geometry, _properties(row)))
    document = {"type": "FeatureCollection", "features": features}
    return _download(json.dumps(document), GEOJSON_TYPE, "partnerships.geojson")


def _download(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
