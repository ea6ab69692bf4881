"""A boundary sent as KML or a zipped shapefile (``network.boundary_files``): small real files
built here (the shapefile with pyshp's writer, projected with pyproj), read into the same
boundary as the GeoJSON they describe, and bad files refused with their reason."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
import shapefile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pyproj import CRS, Transformer

from network import boundaries
from network.boundaries import BoundaryError
from network.boundary_files import MAX_SHAPEFILE_MEMBER_BYTES, read

#: Around the ``partnership`` fixture's point (Mount Kenya), with a hole.
SHELL = [[37.1, -0.3], [37.5, -0.3], [37.5, 0.0], [37.1, 0.0], [37.1, -0.3]]
HOLE = [[37.2, -0.2], [37.2, -0.1], [37.3, -0.1], [37.3, -0.2], [37.2, -0.2]]
GEOJSON_AREA = boundaries.parse(json.dumps({"type": "Polygon", "coordinates": [SHELL, HOLE]}))


def kml(body: str, *, prolog: str = '<?xml version="1.0" encoding="UTF-8"?>') -> bytes:
    return f'{prolog}<kml xmlns="http://www.opengis.net/kml/2.2">{body}</kml>'.encode()


def kml_ring(ring, *, altitude=True) -> str:
    suffix = ",1200" if altitude else ""
    text = " ".join(f"{lon},{lat}{suffix}" for lon, lat in ring)
    return f"<LinearRing><coordinates>\n  {text}\n</coordinates></LinearRing>"


def kml_polygon(shell, *holes) -> str:
    inner = "".join(f"<innerBoundaryIs>{kml_ring(hole)}</innerBoundaryIs>" for hole in holes)
    return f"<Polygon><outerBoundaryIs>{kml_ring(shell)}</outerBoundaryIs>{inner}</Polygon>"


def zipped_shapefile(
    rings, *, epsg: int | None = 4326, shape_type=shapefile.POLYGON, files=None
) -> bytes:
    """A real shapefile (.shp, .shx, .dbf, .prj) in a zip, its rings projected to ``epsg``."""
    to_crs = Transformer.from_crs(4326, epsg or 4326, always_xy=True)
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    writer = shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shape_type)
    writer.field("name", "C")
    projected = [[list(to_crs.transform(lon, lat)) for lon, lat in ring] for ring in rings]
    if shape_type == shapefile.POLYGON:
        writer.poly(projected)
    else:
        writer.line(projected)
    writer.record("Mount Kenya")
    writer.close()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("landscape/kenya.shp", shp.getvalue())
        zipped.writestr("landscape/kenya.shx", shx.getvalue())
        zipped.writestr("landscape/kenya.dbf", dbf.getvalue())
        if epsg is not None:
            zipped.writestr("landscape/kenya.prj", CRS.from_epsg(epsg).to_wkt("WKT1_ESRI"))
        for name, content in (files or {}).items():
            zipped.writestr(name, content)
    return archive.getvalue()


def test_a_kml_polygon_with_a_hole_reads_as_its_geojson():
    document = kml(
        "<Document><Folder><Placemark><name>Mount Kenya</name><MultiGeometry>"
        f"{kml_polygon(SHELL, HOLE)}<Point><coordinates>37.3,-0.15</coordinates></Point>"
        "</MultiGeometry></Placemark></Folder></Document>"
    )
    boundary = read(document, name="Mount Kenya.KML")
    assert boundary.geometry == GEOJSON_AREA.geometry
    assert boundary.area_km2 == GEOJSON_AREA.area_km2


@pytest.mark.parametrize("epsg", [4326, 32737], ids=["wgs84", "utm-37s"])
def test_a_zipped_shapefile_reads_as_its_geojson_whatever_its_projection(epsg):
    # A shapefile's outer rings run clockwise and its holes anticlockwise (ESRI's rule).
    rings = [list(reversed(SHELL)), list(reversed(HOLE))]
    boundary = read(zipped_shapefile(rings, epsg=epsg), name="kenya.zip")
    assert boundary.area_km2 == pytest.approx(GEOJSON_AREA.area_km2, rel=1e-6)
    corners = {tuple(position) for position in boundary.geometry["coordinates"][0][0]}
    assert corners == {tuple(position) for position in SHELL}


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    b'<kml xmlns="http://www.opengis.net/kml/2.2"><name>&b;</name></kml>'
)
CROSSING = [[37.1, -0.3], [37.5, 0.0], [37.5, -0.3], [37.1, 0.0], [37.1, -0.3]]

KML_REFUSALS = {
    "not XML": (b"<kml><Placemark>", "cannot be read as XML"),
    "entities (billion laughs)": (BILLION_LAUGHS, "DTD or entities"),
    "another root": (b"<gpx><trk/></gpx>", "root element should be <kml>"),
    "no polygon": (
        kml("<Placemark><LineString><coordinates>37,0 38,1</coordinates></LineString></Placemark>"),
        "holds no polygon",
    ),
    "words for coordinates": (
        kml(kml_polygon(SHELL).replace("37.5,0.0", "east,north")),
        "not longitude,latitude numbers",
    ),
    "self-intersecting": (kml(kml_polygon(CROSSING)), "crosses itself"),
}


@pytest.mark.parametrize("data, reason", KML_REFUSALS.values(), ids=list(KML_REFUSALS))
def test_a_bad_kml_file_is_refused_with_its_reason(data, reason):
    with pytest.raises(BoundaryError, match=reason):
        read(data, name="boundary.kml")


def _bomb() -> bytes:
    """A zip whose .shp is small packed and too large unpacked."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("bomb.shp", b"\0" * (MAX_SHAPEFILE_MEMBER_BYTES + 1))
    return archive.getvalue()


def _zip(**members: bytes) -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        for name, content in members.items():
            zipped.writestr(name.replace("_", "."), content)
    return archive.getvalue()


def _utm_without_prj() -> bytes:
    """A shapefile in UTM 37S whose .prj was left out of the zip."""
    with_prj = zipfile.ZipFile(io.BytesIO(zipped_shapefile([list(reversed(SHELL))], epsg=32737)))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        for member in with_prj.infolist():
            if not member.filename.endswith(".prj"):
                zipped.writestr(member.filename, with_prj.read(member))
    return archive.getvalue()


def _truncated_shp() -> bytes:
    with_prj = zipfile.ZipFile(io.BytesIO(zipped_shapefile([list(reversed(SHELL))])))
    return with_prj.read("landscape/kenya.shp")[:150]


SHAPEFILE_REFUSALS = {
    "not a zip": (b"PK\x03\x04 and then nothing", "not a zip file"),
    "no .shp inside": (_zip(readme_txt=b"see the GIS team"), "holds no shapefile"),
    "lines, not polygons": (
        zipped_shapefile([SHELL], shape_type=shapefile.POLYLINE),
        "POLYLINE shapes; a boundary must be polygons",
    ),
    "projected without a .prj": (_utm_without_prj(), "no .prj file"),
    "damaged .shp (cut short)": (_zip(kenya_shp=_truncated_shp()), "cannot be read"),
    "too large unpacked (a zip bomb)": (_bomb(), "too large once unpacked"),
}


@pytest.mark.parametrize("data, reason", SHAPEFILE_REFUSALS.values(), ids=list(SHAPEFILE_REFUSALS))
def test_a_bad_zipped_shapefile_is_refused_with_its_reason(data, reason):
    with pytest.raises(BoundaryError, match=reason):
        read(data, name="boundary.zip")


@pytest.mark.django_db
def test_a_coordinator_uploads_a_kml_file_on_the_landscape_page(partnership, coordinator):
    client = Client()
    client.force_login(coordinator)
    address = reverse("network:landscape", args=[partnership.slug])
    upload = SimpleUploadedFile("kenya.kml", kml(kml_polygon(SHELL, HOLE)))
    assert client.post(address, {"file": upload}).status_code == 302
    partnership.refresh_from_db()
    assert float(partnership.boundary_area_km2) == pytest.approx(GEOJSON_AREA.area_km2, abs=0.01)
    crossing = SimpleUploadedFile("crossing.kml", kml(kml_polygon(CROSSING)))
    response = client.post(address, {"file": crossing})
    assert response.status_code == 400
    assert "The boundary crosses itself" in response.content.decode()
