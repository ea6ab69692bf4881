"""A landscape's boundary: read GeoJSON, refuse what is not a valid polygon, measure its area.

Pure functions, no database (as ``courses/grading.py``): text in, a ``Boundary`` out or a
``BoundaryError`` that says what is wrong in words a coordinator can act on.

Neither ``shapely`` nor ``pyproj`` is a dependency of the project, so the two pieces they
would give are written here, with their limits said:

- **Area** on the WGS 84 ellipsoid: each vertex is projected to Lambert's cylindrical
  equal-area projection of the ellipsoid (longitude and *authalic* latitude, on the sphere of
  the same surface), where a planar shoelace sum is the ellipsoidal area. It is exact for
  polygons whose edges run along meridians and parallels (a 1° cell at the equator:
  12,308.8 km²) and, for landscape-sized polygons, within a few parts in a million of the
  geodesic-edged area; polygons spanning tens of degrees differ from a geodesic-edged
  computation (GeographicLib's) because their long edges are not geodesics here.
- **Validity**: rings closed, at least three distinct corners, no edge crossing or touching
  another (a sweep over the edges' longitude spans, pruned by latitude span), holes inside
  their shell, no edge jumping the 180° meridian. Limits: parts of a multipolygon are checked
  for crossing edges, but a part lying wholly inside another is not detected; the sweep is
  quadratic in the worst case, so a pathological shape (thousands of edges sharing one
  longitude span) is refused as too complex rather than checked for minutes.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

#: The largest upload or paste read at all: checked before parsing, so a huge file costs no
#: memory beyond its first bytes.
MAX_BYTES = 1_000_000
#: The most corners a boundary may have (all rings together).
MAX_VERTICES = 20_000
#: The edge pairs the crossing check may look at before it gives up (about a second).
MAX_EDGE_PAIRS = 2_000_000
#: Decimal places kept: 6 is about 0.1 m on the ground.
PRECISION = 6

# WGS 84 (NIMA TR8350.2).
WGS84_A = 6_378_137.0
WGS84_F = 1 / 298.257223563
_E2 = WGS84_F * (2 - WGS84_F)
_E = math.sqrt(_E2)


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


def _q(latitude_radians: float) -> float:
    """Snyder's q (Map Projections, eq. 3-12): sin β of the authalic latitude times q_p."""
    sine = math.sin(latitude_radians)
    return (1 - _E2) * (
        sine / (1 - _E2 * sine * sine)
        - (1 / (2 * _E)) * math.log((1 - _E * sine) / (1 + _E * sine))
    )


_Q_POLE = _q(math.pi / 2)
#: The radius of the sphere with the ellipsoid's surface (6,371,007.2 m for WGS 84).
AUTHALIC_RADIUS = WGS84_A * math.sqrt(_Q_POLE / 2)


def _projected(position: list[float]) -> tuple[float, float]:
    """Lambert cylindrical equal-area on the authalic sphere, in metres."""
    longitude, latitude = position[0], position[1]
    return (
        AUTHALIC_RADIUS * math.radians(longitude),
        AUTHALIC_RADIUS * _q(math.radians(latitude)) / _Q_POLE,
    )


def ring_area_m2(ring: list[list[float]]) -> float:
    """The area a closed ring encloses on the ellipsoid, in m², whatever its orientation."""
    points = [_projected(position) for position in ring]
    twice = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(points))
    return abs(twice) / 2


def area_km2(geometry: dict[str, Any]) -> float:
    """The area of a Polygon or MultiPolygon (holes subtracted), in km²."""
    total = 0.0
    for polygon in _polygons(geometry):
        shell, *holes = polygon
        total += ring_area_m2(shell) - sum(ring_area_m2(hole) for hole in holes)
    return total / 1_000_000


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
    _check_simple(polygons)
    _check_holes_inside(polygons)
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


def _ring_contains(ring: list[list[float]], x: float, y: float) -> bool:
    """Even-odd rule (W. Randolph Franklin's pnpoly)."""
    inside = False
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def contains(geometry: dict[str, Any], x: float, y: float) -> bool:
    """Whether the point (longitude x, latitude y) lies inside the geometry."""
    for polygon in _polygons(geometry):
        shell, *holes = polygon
        if _ring_contains(shell, x, y) and not any(_ring_contains(h, x, y) for h in holes):
            return True
    return False


def _orientation(p, q, r) -> float:
    return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])


def _on_segment(p, q, r) -> bool:
    """r, collinear with p and q, lies within their bounding box."""
    return min(p[0], q[0]) <= r[0] <= max(p[0], q[0]) and min(p[1], q[1]) <= r[1] <= max(p[1], q[1])


def segments_meet(a, b, c, d) -> bool:
    """Whether the closed segments ab and cd share at least one point."""
    d1, d2 = _orientation(c, d, a), _orientation(c, d, b)
    d3, d4 = _orientation(a, b, c), _orientation(a, b, d)
    if ((d1 > 0 > d2) or (d1 < 0 < d2)) and ((d3 > 0 > d4) or (d3 < 0 < d4)):
        return True
    return (
        (d1 == 0 and _on_segment(c, d, a))
        or (d2 == 0 and _on_segment(c, d, b))
        or (d3 == 0 and _on_segment(a, b, c))
        or (d4 == 0 and _on_segment(a, b, d))
    )


def _check_simple(polygons: list) -> None:
    """No two edges of the boundary meet, except neighbours of one ring at their shared
    corner: a sweep along longitude keeps the edges whose spans overlap the current one."""
    edges = []  # (min x, max x, min y, max y, start, end, ring id, index in ring, ring size)
    ring_id = 0
    for polygon in polygons:
        for ring in polygon:
            size = len(ring) - 1
            for index in range(size):
                start, end = ring[index], ring[index + 1]
                edges.append(
                    (
                        min(start[0], end[0]),
                        max(start[0], end[0]),
                        min(start[1], end[1]),
                        max(start[1], end[1]),
                        start,
                        end,
                        ring_id,
                        index,
                        size,
                    )
                )
            ring_id += 1
    edges.sort(key=lambda edge: edge[0])
    active: list[tuple] = []
    compared = 0
    for edge in edges:
        min_x = edge[0]
        active = [other for other in active if other[1] >= min_x]
        # Every pair looked at counts, even one the latitude test skips: a comb of edges
        # sharing one longitude span would otherwise cost n² skips before any refusal.
        compared += len(active)
        if compared > MAX_EDGE_PAIRS:
            raise BoundaryError(
                _("The boundary is too complex to check; simplify it before uploading.")
            )
        for other in active:
            if other[3] < edge[2] or other[2] > edge[3]:
                continue
            if other[6] == edge[6]:
                gap = abs(other[7] - edge[7])
                if gap == 1 or gap == edge[8] - 1:
                    # Neighbours share a corner; they are wrong only if they fold back on
                    # each other (collinear and overlapping beyond that corner).
                    if _folds_back(edge, other):
                        raise _crossing_error(edge)
                    continue
            if segments_meet(edge[4], edge[5], other[4], other[5]):
                raise _crossing_error(edge)
        active.append(edge)


def _folds_back(edge, other) -> bool:
    a, b = edge[4], edge[5]
    c, d = other[4], other[5]
    if _orientation(a, b, c) != 0 or _orientation(a, b, d) != 0:
        return False
    shared = a if a in (c, d) else b
    far_edge = b if shared == a else a
    far_other = d if shared == c else c
    # Both far ends on the same side of the shared corner: the ring turns back on itself.
    dot = (far_edge[0] - shared[0]) * (far_other[0] - shared[0]) + (far_edge[1] - shared[1]) * (
        far_other[1] - shared[1]
    )
    return dot > 0


def _crossing_error(edge) -> BoundaryError:
    lon, lat = edge[4]
    return BoundaryError(
        _(
            "The boundary crosses itself (near longitude %(lon)s, latitude %(lat)s): edges "
            "may not cross or touch. Redraw that part, or fix it in your GIS."
        )
        % {"lon": f"{lon:.5f}", "lat": f"{lat:.5f}"}
    )


def _check_holes_inside(polygons: list) -> None:
    for polygon in polygons:
        shell, *holes = polygon
        for hole in holes:
            if not _ring_contains(shell, hole[0][0], hole[0][1]):
                raise BoundaryError(_("A hole of the boundary lies outside its outer ring."))


def representative_point(geometry: dict[str, Any]) -> tuple[float, float]:
    """A point inside the boundary, for its marker: on the horizontal line through the middle
    of the largest part's extent, halfway between the line's first two crossings of the outer
    ring (inside it, unlike the centre of a crescent's extent). Holes are not avoided."""
    polygons = _polygons(geometry)
    shell = max(polygons, key=lambda polygon: ring_area_m2(polygon[0]))[0]
    ys = [position[1] for position in shell]
    middle = (min(ys) + max(ys)) / 2
    if any(position[1] == middle for position in shell):
        # A corner on the line would count twice; any nearby line will do.
        middle += (max(ys) - min(ys)) * 1e-4
    crossings = sorted(
        x1 + (middle - y1) * (x2 - x1) / (y2 - y1)
        for (x1, y1), (x2, y2) in itertools.pairwise(shell)
        if (y1 > middle) != (y2 > middle)
    )
    return ((crossings[0] + crossings[1]) / 2, middle)


# --- Simplification ------------------------------------------------------------------------

#: The map gets at most about this many corners per ring: enough to see the shape.
SIMPLIFY_FRACTION = 1 / 400


def simplify(geometry: dict[str, Any]) -> dict[str, Any]:
    """The geometry with Douglas-Peucker applied to each ring, at a tolerance of a small
    fraction of the whole boundary's extent: for the map, never for the download or the
    area. Rings that would collapse keep their original corners; holes smaller than the
    tolerance are dropped."""
    positions = [p for polygon in _polygons(geometry) for ring in polygon for p in ring]
    xs = [p[0] for p in positions]
    ys = [p[1] for p in positions]
    tolerance = math.hypot(max(xs) - min(xs), max(ys) - min(ys)) * SIMPLIFY_FRACTION
    simplified = []
    for polygon in _polygons(geometry):
        shell, *holes = polygon
        rings = [_simplify_ring(shell, tolerance) or shell]
        rings += [ring for ring in (_simplify_ring(hole, tolerance) for hole in holes) if ring]
        simplified.append(rings)
    return {"type": "MultiPolygon", "coordinates": simplified}


def _simplify_ring(ring: list[list[float]], tolerance: float) -> list[list[float]] | None:
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    # A closed ring's ends coincide: split it at its farthest corner from the start first.
    far = max(range(len(ring)), key=lambda i: _distance2(ring[0], ring[i]))
    keep[far] = True
    stack = [(0, far), (far, len(ring) - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        index, distance = first, -1.0
        for candidate in range(first + 1, last):
            offset = _segment_distance(ring[candidate], ring[first], ring[last])
            if offset > distance:
                index, distance = candidate, offset
        if distance > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    kept = [position for position, flag in zip(ring, keep, strict=True) if flag]
    return kept if len(kept) >= 4 else None


def _distance2(p, q) -> float:
    return (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2


def _segment_distance(p, a, b) -> float:
    length2 = _distance2(a, b)
    if length2 == 0:
        return math.sqrt(_distance2(p, a))
    t = max(
        0.0, min(1.0, ((p[0] - a[0]) * (b[0] - a[0]) + (p[1] - a[1]) * (b[1] - a[1])) / length2)
    )
    return math.sqrt(_distance2(p, (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))))


def feature(geometry: dict[str, Any], properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}
