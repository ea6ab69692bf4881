"""A landscape's boundary: read GeoJSON, refuse what is not a valid polygon, measure its area.

Pure functions, no database (as ``courses/grading.py``): text in, a ``Boundary`` out or a
``BoundaryError`` that says what is wrong in words a coordinator can act on.

The geometry is the libraries': ``shapely`` (GEOS) decides validity (edges that cross or
touch, holes outside their shell, parts that overlap or nest), finds a point inside and
simplifies for the map; ``pyproj``'s ``Geod`` (GeographicLib, Karney 2013) measures the area
on the WGS 84 ellipsoid with geodesic edges. What stays here is what they do not say in a
coordinator's words: the GeoJSON structure, coordinate ranges and order, the 180° meridian,
and the size limits (checked before parsing, so a huge file costs no memory beyond its first
bytes). Other formats (KML, zipped shapefiles) are read into GeoJSON by
``network.boundary_files`` and validated here.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from dataclasses import dataclass
from typing import Any

import shapely
from django.utils.translation import gettext as _
from pyproj import Geod
from shapely.geometry import MultiPolygon, Point, mapping, shape
from shapely.geometry.polygon import orient

#: The largest upload or paste read at all: checked before parsing, so a huge file costs no
#: memory beyond its first bytes.
MAX_BYTES = 1_000_000
#: The most corners a boundary may have (all rings together).
MAX_VERTICES = 20_000
#: Decimal places kept: 6 is about 0.1 m on the ground.
PRECISION = 6

# WGS 84 (NIMA TR8350.2).
WGS84_A = 6_378_137.0
WGS84_F = 1 / 298.257223563
WGS84 = Geod(ellps="WGS84")


class BoundaryError(ValueError):
    """A boundary refused, with the reason as a message for the person who sent it."""


@dataclass(frozen=True)
class Boundary:
    """A validated boundary: a GeoJSON geometry (MultiPolygon), its area and its size."""

    geometry: dict[str, Any]
    area_km2: float
    vertex_count: int

    def simplified(self) -> dict[str, Any]:
        return simplify(self.geometry)


# --- Area ----------------------------------------------------------------------------------


def area_km2(geometry: dict[str, Any]) -> float:
    """The geodesic area of a Polygon or MultiPolygon (holes subtracted) on WGS 84, in km²,
    whatever the rings' orientation."""
    polygons = [orient(polygon, sign=1.0) for polygon in _shapes(geometry).geoms]
    return abs(sum(WGS84.geometry_area_perimeter(polygon)[0] for polygon in polygons)) / 1e6


def _shapes(geometry: dict[str, Any]) -> MultiPolygon:
    """The geometry as a shapely MultiPolygon (a Polygon becomes a one-part MultiPolygon)."""
    return MultiPolygon([shape({"type": "Polygon", "coordinates": p}) for p in _polygons(geometry)])


def _polygons(geometry: dict[str, Any]) -> list:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


# --- Reading -------------------------------------------------------------------------------


def too_large_message() -> str:
    return _("The file is too large: a boundary may be at most %(size)s kB.") % {
        "size": f"{MAX_BYTES // 1000:,}"
    }


def parse(text: str | bytes, *, near: tuple[float, float] | None = None) -> Boundary:
    """Read a GeoJSON Polygon or MultiPolygon (bare, in a Feature, or the polygons of a
    FeatureCollection) and validate it. ``near`` (latitude, longitude), the partnership's
    point, lets a swapped coordinate order be recognised even when every value is in range."""
    if len(text) > MAX_BYTES:
        raise BoundaryError(too_large_message())
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise BoundaryError(_("The file is not GeoJSON: it is not UTF-8 text.")) from error
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise BoundaryError(
            _("The file is not GeoJSON: it cannot be read as JSON (%(reason)s).")
            % {"reason": str(error)[:120]}
        ) from error
    return from_geojson(document, near=near)


def from_geojson(document: Any, *, near: tuple[float, float] | None = None) -> Boundary:
    """Validate a GeoJSON object already read (from a file, or built by
    ``network.boundary_files`` from KML or a shapefile)."""
    polygons = _polygons_of_document(document)
    polygons = [[_clean_ring(ring) for ring in polygon] for polygon in polygons]
    vertex_count = sum(len(ring) - 1 for polygon in polygons for ring in polygon)
    if vertex_count > MAX_VERTICES:
        raise BoundaryError(
            _(
                "The boundary has %(count)s corners; at most %(limit)s are kept. "
                "Simplify it in your GIS before uploading."
            )
            % {"count": f"{vertex_count:,}", "limit": f"{MAX_VERTICES:,}"}
        )
    _check_ranges(polygons)
    _check_antimeridian(polygons)
    geometry = {"type": "MultiPolygon", "coordinates": polygons}
    if near is not None:
        _check_order_near(geometry, near)
    _check_valid(geometry)
    return Boundary(geometry=geometry, area_km2=area_km2(geometry), vertex_count=vertex_count)


def _polygons_of_document(document: Any) -> list:
    if not isinstance(document, dict) or not isinstance(document.get("type"), str):
        raise BoundaryError(
            _('The file is not GeoJSON: it should be an object with a "type" member.')
        )
    kind = document["type"]
    if kind == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list) or not features:
            raise BoundaryError(_("The feature collection holds no features."))
        polygons = []
        for feature in features:
            polygons += _polygons_of_document(feature)
        return polygons
    if kind == "Feature":
        geometry = document.get("geometry")
        if geometry is None:
            raise BoundaryError(_("A feature has no geometry."))
        return _polygons_of_document(geometry)
    if kind == "Polygon":
        return [_checked_polygon(document.get("coordinates"))]
    if kind == "MultiPolygon":
        coordinates = document.get("coordinates")
        if not isinstance(coordinates, list) or not coordinates:
            raise BoundaryError(_("The MultiPolygon has no polygons."))
        return [_checked_polygon(polygon) for polygon in coordinates]
    if kind in {"Point", "MultiPoint", "LineString", "MultiLineString", "GeometryCollection"}:
        raise BoundaryError(
            _("The file holds a %(kind)s; a boundary must be a Polygon or a MultiPolygon.")
            % {"kind": kind}
        )
    raise BoundaryError(
        _('The file is not GeoJSON: "%(kind)s" is not a GeoJSON type.') % {"kind": kind[:40]}
    )


def _checked_polygon(polygon: Any) -> list:
    if not isinstance(polygon, list) or not polygon:
        raise BoundaryError(_("A polygon has no rings of coordinates."))
    for ring in polygon:
        if not isinstance(ring, list):
            raise BoundaryError(_("A polygon's ring is not a list of positions."))
        for position in ring:
            if (
                not isinstance(position, list)
                or len(position) < 2
                or not all(
                    isinstance(value, int | float) and not isinstance(value, bool)
                    for value in position[:2]
                )
                or not all(math.isfinite(value) for value in position[:2])
            ):
                raise BoundaryError(_("A position is not a pair of numbers [longitude, latitude]."))
    return polygon


def _clean_ring(ring: list) -> list[list[float]]:
    """Positions rounded, altitude dropped, repeated consecutive positions merged."""
    cleaned: list[list[float]] = []
    for position in ring:
        point = [round(float(position[0]), PRECISION), round(float(position[1]), PRECISION)]
        if not cleaned or cleaned[-1] != point:
            cleaned.append(point)
    if len(ring) >= 2 and [float(v) for v in ring[0][:2]] != [float(v) for v in ring[-1][:2]]:
        raise BoundaryError(_("A ring is not closed: its last position must repeat its first."))
    if len(cleaned) < 4:
        raise BoundaryError(
            _("A ring needs at least three distinct corners (and the first repeated at the end).")
        )
    return cleaned


def _check_ranges(polygons: list) -> None:
    positions = [position for polygon in polygons for ring in polygon for position in ring]
    longitudes_in_latitude_range = all(-90 <= lon <= 90 for lon, _lat in positions)
    if any(not -90 <= lat <= 90 for _lon, lat in positions):
        if longitudes_in_latitude_range and all(-180 <= lat <= 180 for _lon, lat in positions):
            raise BoundaryError(
                _(
                    "The coordinates look swapped: GeoJSON gives longitude first, then latitude "
                    "([longitude, latitude]), and some latitudes here are beyond ±90°."
                )
            )
        raise BoundaryError(_("A latitude is out of range: it must be between -90 and 90."))
    if any(not -180 <= lon <= 180 for lon, _lat in positions):
        raise BoundaryError(_("A longitude is out of range: it must be between -180 and 180."))


def _check_antimeridian(polygons: list) -> None:
    for polygon in polygons:
        for ring in polygon:
            for (lon1, _a), (lon2, _b) in itertools.pairwise(ring):
                if abs(lon2 - lon1) > 180:
                    raise BoundaryError(
                        _(
                            "The boundary crosses the 180° meridian; split it into two "
                            "polygons, one on each side."
                        )
                    )


def _check_order_near(geometry: dict[str, Any], near: tuple[float, float]) -> None:
    """When the partnership's point is outside the boundary but inside the same boundary
    read latitude first, the file was almost certainly written in the wrong order."""
    latitude, longitude = near
    if contains(geometry, longitude, latitude):
        return
    swapped = {
        "type": "MultiPolygon",
        "coordinates": [
            [[[lat, lon] for lon, lat in ring] for ring in polygon]
            for polygon in geometry["coordinates"]
        ],
    }
    if contains(swapped, longitude, latitude):
        raise BoundaryError(
            _(
                "The coordinates look swapped: read as [latitude, longitude] the boundary "
                "surrounds the partnership's location. GeoJSON gives longitude first."
            )
        )


# --- Geometry tests -------------------------------------------------------------------------


def contains(geometry: dict[str, Any], x: float, y: float) -> bool:
    """Whether the point (longitude x, latitude y) lies inside the geometry."""
    return _shapes(geometry).contains(Point(x, y))


#: GEOS's reason ("Self-intersection[0.5 1]"): its kind, then the place it found.
_REASON = re.compile(r"^(?P<kind>[^\[]+)\[(?P<x>[-0-9.e+]+) (?P<y>[-0-9.e+]+)")


def _check_valid(geometry: dict[str, Any]) -> None:
    """GEOS's validity (OGC simple features) with its reason put in a coordinator's words."""
    multipolygon = _shapes(geometry)
    if multipolygon.is_valid:
        return
    reason = shapely.is_valid_reason(multipolygon)
    match = _REASON.match(reason)
    kind = match["kind"].strip() if match else reason
    place = {"lon": f"{float(match['x']):.5f}", "lat": f"{float(match['y']):.5f}"} if match else {}
    if kind == "Hole lies outside shell":
        raise BoundaryError(_("A hole of the boundary lies outside its outer ring."))
    if kind in {"Nested shells", "Holes are nested"}:
        raise BoundaryError(
            _(
                "One part of the boundary lies inside another (near longitude %(lon)s, "
                "latitude %(lat)s): make the inner one a hole, or remove it."
            )
            % place
        )
    if place:
        # Self-intersection, Ring Self-intersection, Interior is disconnected.
        raise BoundaryError(
            _(
                "The boundary crosses itself (near longitude %(lon)s, latitude %(lat)s): edges "
                "may not cross or touch. Redraw that part, or fix it in your GIS."
            )
            % place
        )
    raise BoundaryError(
        _("The boundary is not a valid polygon (%(reason)s).") % {"reason": reason[:120]}
    )


def representative_point(geometry: dict[str, Any]) -> tuple[float, float]:
    """A point inside the boundary (GEOS's point on surface, in the largest part), for its
    marker: unlike the centre of its extent, it lies inside a crescent or an L."""
    largest = max(_shapes(geometry).geoms, key=lambda polygon: polygon.area)
    point = largest.representative_point()
    return (point.x, point.y)


# --- Simplification ------------------------------------------------------------------------

#: The map gets at most about this many corners per ring: enough to see the shape.
SIMPLIFY_FRACTION = 1 / 400


def simplify(geometry: dict[str, Any]) -> dict[str, Any]:
    """The geometry simplified for the map (Douglas-Peucker keeping it valid), at a tolerance
    of a small fraction of the whole boundary's extent: never for the download or the area.
    Parts that would vanish keep their original corners."""
    multipolygon = _shapes(geometry)
    min_x, min_y, max_x, max_y = multipolygon.bounds
    tolerance = math.hypot(max_x - min_x, max_y - min_y) * SIMPLIFY_FRACTION
    simplified = []
    for polygon in multipolygon.geoms:
        smaller = polygon.simplify(tolerance, preserve_topology=True)
        if smaller.is_empty or smaller.geom_type != "Polygon":
            smaller = polygon
        simplified.append(_rounded(mapping(smaller)["coordinates"]))
    return {"type": "MultiPolygon", "coordinates": simplified}


def _rounded(polygon) -> list:
    return [[[round(x, PRECISION), round(y, PRECISION)] for x, y, *_z in ring] for ring in polygon]


def feature(geometry: dict[str, Any], properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}
