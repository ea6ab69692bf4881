"""A landscape's boundary (``network.boundaries``): the geodesic area on the WGS 84 ellipsoid
(pyproj) against values that can be checked independently, and every refusal (shapely's
validity among them) with the reason in words."""

from __future__ import annotations

import json
import math

import pytest

from network import boundaries
from network.boundaries import BoundaryError, parse

#: A 1° by 1° cell at the equator on WGS 84, in km²: the integral of M(φ) N(φ) cos φ dφ dλ over
#: the cell bounded by parallels (Simpson's rule below) gives 12,308.464 km². The boundary's
#: edges are geodesics, and the geodesic between two points of the parallel at 1° bulges
#: towards the pole, so the often-quoted geodesic-edged value is 12,308.78 (0.003 % more).
EQUATOR_CELL_KM2 = 12_308.464
#: The surface of the WGS 84 ellipsoid, 5.10065621724e8 km² (NIMA TR8350.2, table 3.5).
WGS84_SURFACE_KM2 = 510_065_621.724


def polygon(*rings) -> str:
    return json.dumps({"type": "Polygon", "coordinates": [list(ring) for ring in rings]})


def square(lon, lat, size=0.1):
    return [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]


def _cell_by_integration(lat1: float, lat2: float, dlon: float) -> float:
    a, e2 = boundaries.WGS84_A, boundaries.WGS84_F * (2 - boundaries.WGS84_F)

    def integrand(phi):
        sine = math.sin(phi)
        return a * a * (1 - e2) * math.cos(phi) / (1 - e2 * sine * sine) ** 2

    steps = 2000
    start, end = math.radians(lat1), math.radians(lat2)
    h = (end - start) / steps
    total = integrand(start) + integrand(end)
    total += sum((4 if i % 2 else 2) * integrand(start + i * h) for i in range(1, steps))
    return total * h / 3 * math.radians(dlon) / 1e6


def test_the_reference_value_of_the_equator_cell_is_what_integration_gives():
    assert _cell_by_integration(0, 1, 1) == pytest.approx(EQUATOR_CELL_KM2, abs=0.001)


def test_a_one_degree_cell_at_the_equator_has_its_ellipsoidal_area():
    boundary = parse(polygon(square(0, 0, 1)))
    assert boundary.area_km2 == pytest.approx(EQUATOR_CELL_KM2, rel=0.005)
    assert boundary.area_km2 == pytest.approx(12_308.78, abs=0.01)


@pytest.mark.parametrize("latitude", [-60, 45, 89])
def test_cells_away_from_the_equator_match_the_integral(latitude):
    """Within 0.01 %: what is left is the geodesic edges' bulge against the parallels."""
    ring = square(10, latitude, 1)
    assert boundaries.area_km2(json.loads(polygon(ring))) == pytest.approx(
        _cell_by_integration(latitude, latitude + 1, 1), rel=1e-4
    )


def test_an_octant_bounded_by_geodesics_is_an_eighth_of_the_ellipsoid():
    """The equator and two meridians are geodesics, so this triangle is exactly an eighth of
    the surface: a check of the geodesic area with nothing approximated."""
    octant = {"type": "Polygon", "coordinates": [[[0, 0], [90, 0], [0, 90], [0, 0]]]}
    assert 8 * boundaries.area_km2(octant) == pytest.approx(WGS84_SURFACE_KM2, rel=1e-9)


def test_orientation_does_not_change_the_area_and_holes_are_subtracted():
    clockwise = list(reversed(square(30, -1, 1)))
    with_hole = parse(polygon(square(30, -1, 1), list(reversed(square(30.25, -0.75, 0.5)))))
    assert parse(polygon(clockwise)).area_km2 == pytest.approx(
        parse(polygon(square(30, -1, 1))).area_km2
    )
    assert with_hole.area_km2 == pytest.approx(
        parse(polygon(square(30, -1, 1))).area_km2 * 0.75, rel=1e-3
    )


def test_a_feature_collection_of_polygons_becomes_one_multipolygon():
    document = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {}, "geometry": json.loads(polygon(square(0, 0)))},
            {"type": "Feature", "properties": {}, "geometry": json.loads(polygon(square(1, 1)))},
        ],
    }
    boundary = parse(json.dumps(document).encode())
    assert boundary.geometry["type"] == "MultiPolygon"
    assert len(boundary.geometry["coordinates"]) == 2
    assert boundary.vertex_count == 8


def test_altitudes_are_dropped_and_repeated_corners_merged():
    ring = [[0, 0, 1200], [1, 0, 1200], [1, 0, 1200], [1, 1, 5], [0, 1, 5], [0, 0, 1200]]
    boundary = parse(polygon(ring))
    assert boundary.geometry["coordinates"][0][0] == [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]


REFUSALS = {
    "self-intersecting (a bow tie)": (
        polygon([[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]),
        "crosses itself",
    ),
    "touching itself at a corner": (
        polygon([[0, 0], [2, 0], [1, 1], [2, 2], [0, 2], [1, 1], [0, 0]]),
        "crosses itself",
    ),
    "folding back along an edge": (
        polygon([[0, 0], [2, 0], [1, 0], [1, 1], [0, 0]]),
        "crosses itself",
    ),
    "a hole crossing its shell": (
        polygon(square(0, 0, 1), square(0.5, 0.5, 1)),
        "crosses itself",
    ),
    "a part inside another": (
        json.dumps({"type": "MultiPolygon", "coordinates": [[square(0, 0, 3)], [square(1, 1, 1)]]}),
        "lies inside another",
    ),
    "two parts overlapping": (
        json.dumps(
            {"type": "MultiPolygon", "coordinates": [[square(0, 0, 1)], [square(0.5, 0.5, 1)]]}
        ),
        "crosses itself",
    ),
    "a hole outside its shell": (
        polygon(square(0, 0, 1), square(5, 5, 1)),
        "outside its outer ring",
    ),
    "latitude first (beyond 90)": (
        polygon([[-1, 36], [-1, 37], [1, 37], [1, 36], [-1, 36]]).replace("36", "136"),
        "look swapped",
    ),
    "a latitude out of range": (polygon(square(120, 89.95, 1)), "latitude is out of range"),
    "a longitude out of range": (polygon(square(179.5, 0, 1)), "longitude is out of range"),
    "crossing the 180° meridian": (
        polygon([[179, 0], [-179, 0], [-179, 1], [179, 1], [179, 0]]),
        "180° meridian",
    ),
    "an open ring": (polygon([[0, 0], [1, 0], [1, 1], [0, 1]]), "not closed"),
    "a ring of two corners": (polygon([[0, 0], [1, 0], [0, 0]]), "three distinct corners"),
    "not JSON": ("<kml><Placemark/></kml>", "not GeoJSON"),
    "JSON but not GeoJSON": (json.dumps({"name": "Mount Kenya"}), "not GeoJSON"),
    "an unknown type": (json.dumps({"type": "Circle", "radius": 3}), "not a GeoJSON type"),
    "a point": (json.dumps({"type": "Point", "coordinates": [37, 0]}), "Polygon or a MultiPolygon"),
    "a string for a coordinate": (
        polygon([["0", 0], [1, 0], [1, 1], [0, 0]]),
        "pair of numbers",
    ),
    "not a number (NaN)": (
        '{"type":"Polygon","coordinates":[[[NaN,0],[1,0],[1,1],[0,0]]]}',
        "pair of numbers",
    ),
    "deeply nested arrays": ("[" * 100_000 + "]" * 100_000, "not GeoJSON"),
    "bytes that are not UTF-8": (b"\xff\xfe\x00{", "not GeoJSON"),
    "an empty feature collection": (
        json.dumps({"type": "FeatureCollection", "features": []}),
        "no features",
    ),
}


@pytest.mark.parametrize("text, reason", REFUSALS.values(), ids=list(REFUSALS))
def test_an_invalid_boundary_is_refused_with_its_reason(text, reason):
    with pytest.raises(BoundaryError, match=reason):
        parse(text)


def test_a_boundary_too_large_is_refused_before_parsing():
    text = polygon(square(0, 0)) + " " * boundaries.MAX_BYTES
    with pytest.raises(BoundaryError, match="too large"):
        parse(text)


def test_a_boundary_with_too_many_corners_is_refused():
    count = boundaries.MAX_VERTICES + 1
    ring = [
        [math.cos(2 * math.pi * i / count), math.sin(2 * math.pi * i / count)] for i in range(count)
    ]
    ring.append(ring[0])
    with pytest.raises(BoundaryError, match="corners; at most 20,000"):
        parse(polygon(ring))


def test_a_swapped_order_is_recognised_from_the_partnership_point_when_values_are_in_range():
    # Around Mount Kenya (latitude -0.15, longitude 37.3), written [latitude, longitude].
    ring = [[-0.3, 37.1], [-0.3, 37.5], [0.0, 37.5], [0.0, 37.1], [-0.3, 37.1]]
    with pytest.raises(BoundaryError, match="look swapped"):
        parse(polygon(ring), near=(-0.15, 37.3))
    right_way = [[lat, lon] for lon, lat in ring]
    assert parse(polygon(right_way), near=(-0.15, 37.3)).area_km2 > 1000


def test_a_large_valid_ring_is_checked_quickly_and_simplified_for_the_map():
    count = 15_000
    ring = [
        [37 + 0.3 * math.cos(2 * math.pi * i / count), 0.3 * math.sin(2 * math.pi * i / count)]
        for i in range(count)
    ]
    ring.append(ring[0])
    boundary = parse(polygon(ring))
    assert boundary.area_km2 == pytest.approx(math.pi * (0.3 * 111.32) * (0.3 * 110.57), rel=0.01)
    simplified = boundary.simplified()["coordinates"][0][0]
    assert 8 < len(simplified) < 400
    assert simplified[0] == simplified[-1]
    assert boundaries.area_km2({"type": "Polygon", "coordinates": [simplified]}) == (
        pytest.approx(boundary.area_km2, rel=0.02)
    )


def test_the_representative_point_lies_inside_a_concave_boundary():
    # An L shape whose extent's centre is outside it.
    ring = [[0, 0], [2, 0], [2, 0.2], [0.2, 0.2], [0.2, 2], [0, 2], [0, 0]]
    boundary = parse(polygon(ring))
    assert not boundaries.contains(boundary.geometry, 1, 1)  # the centre of its extent
    assert boundaries.contains(
        boundary.geometry, *boundaries.representative_point(boundary.geometry)
    )


def test_a_comb_of_edges_sharing_one_longitude_span_is_checked_and_accepted():
    """The worst case of a sweep over edges' longitude spans (every pair looked at) is an
    ordinary shape for GEOS's indexed validity check: accepted, and in well under a second."""
    teeth = 9_999
    ring = [[0, 0]] + [[1 if i % 2 == 0 else 0.001, 0.0001 * (i + 1)] for i in range(teeth)]
    ring += [[0, 0.0001 * (teeth + 1)], [0, 0]]
    assert parse(polygon(ring)).vertex_count == teeth + 2
