"""A boundary sent as a file in another format than GeoJSON: KML, or a zipped shapefile.

Each reader turns the file into a GeoJSON MultiPolygon and hands it to
``network.boundaries.from_geojson``, so every format is validated and measured by the same
rules and refused with the same words. Pure, like ``boundaries``: bytes in, a ``Boundary`` or
a ``BoundaryError`` out.

Memory stays bounded whatever is sent: the upload's size is checked before it is read (the
form), a zip's members are judged by the sizes its directory declares and read with a limit
(so one that lies is cut short), and only the members a boundary needs are read at all.

- **KML**: the standard library's XML parser through ``defusedxml``, which refuses DTDs,
  entities and external references (a "billion laughs" file costs nothing). Only the
  coordinates of ``Polygon`` elements are read (wherever they are: in a ``Placemark``, a
  ``MultiGeometry``, a ``Folder``); styles, names and other geometries are ignored.
- **Shapefile** (zipped, as GIS programs export it): ``pyshp`` reads the ``.shp`` (and
  ``.shx``); the ``.dbf`` attributes are not needed. When a ``.prj`` says the coordinates are
  projected (UTM, a national grid), ``pyproj`` brings them to WGS 84 longitude and latitude.
"""

from __future__ import annotations

import io
import math
import zipfile
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import shapefile
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError, ProjError

from network.boundaries import (
    MAX_BYTES,
    Boundary,
    BoundaryError,
    from_geojson,
    parse,
    too_large_message,
)

#: The most a zip's ``.shp`` (or ``.shx``) may unpack to: 20,000 corners of polygons with
#: altitudes and measures take about 650 kB, so this leaves room for a shape's headers.
MAX_SHAPEFILE_MEMBER_BYTES = 2_000_000
#: A ``.prj`` is a line of WKT.
MAX_PRJ_BYTES = 20_000
#: Members a zip may list at all (a shapefile is four to eight files).
MAX_ZIP_MEMBERS = 50

ZIP_MAGIC = b"PK\x03\x04"
WGS84_LONLAT = CRS.from_epsg(4326)


def read(data: bytes, *, name: str = "", near: tuple[float, float] | None = None) -> Boundary:
    """A boundary from an uploaded file, its format told by its first bytes (a zip, XML) or
    else its name; GeoJSON otherwise. ``data`` is at most ``boundaries.MAX_BYTES`` + 1 bytes
    (the caller read no more)."""
    if len(data) > MAX_BYTES:
        raise BoundaryError(too_large_message())
    lower = name.lower()
    if data.startswith(ZIP_MAGIC) or lower.endswith(".zip"):
        return read_zipped_shapefile(data, near=near)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") or lower.endswith(".kml"):
        return read_kml(data, near=near)
    return parse(data, near=near)


# --- KML -----------------------------------------------------------------------------------


def read_kml(data: bytes, *, near: tuple[float, float] | None = None) -> Boundary:
    """The polygons of a KML document (OGC KML 2.2), holes included."""
    if len(data) > MAX_BYTES:
        raise BoundaryError(too_large_message())
    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise BoundaryError(
            _("The KML file declares a DTD or entities, which are not accepted: export it again.")
        ) from error
    except (ParseError, ValueError) as error:
        raise BoundaryError(
            _("The file is not KML: it cannot be read as XML (%(reason)s).")
            % {"reason": str(error)[:120]}
        ) from error
    if _local(root) != "kml":
        raise BoundaryError(_("The file is not KML: its root element should be <kml>."))
    polygons = [_kml_polygon(element) for element in root.iter() if _local(element) == "Polygon"]
    if not polygons:
        raise BoundaryError(
            _(
                "The KML file holds no polygon: a boundary must be drawn as a Polygon "
                "(lines and placemarks are not boundaries)."
            )
        )
    return from_geojson({"type": "MultiPolygon", "coordinates": polygons}, near=near)


def _local(element: Element) -> str:
    """The element's name without its namespace (KML 2.2, 2.1, Google's extensions)."""
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child) == name]


def _kml_polygon(polygon: Element) -> list[list[list[float]]]:
    outer = _children(polygon, "outerBoundaryIs")
    if len(outer) != 1:
        raise BoundaryError(_("A KML polygon needs exactly one outer boundary."))
    rings = [_kml_ring(outer[0])]
    rings += [_kml_ring(inner) for inner in _children(polygon, "innerBoundaryIs")]
    return rings


def _kml_ring(boundary: Element) -> list[list[float]]:
    rings = _children(boundary, "LinearRing")
    coordinates = _children(rings[0], "coordinates") if len(rings) == 1 else []
    if len(coordinates) != 1:
        raise BoundaryError(_("A KML polygon's boundary needs one LinearRing with coordinates."))
    positions = []
    for token in (coordinates[0].text or "").split():
        try:
            values = [float(value) for value in token.split(",")]
        except ValueError:
            values = []
        if len(values) < 2 or not all(math.isfinite(value) for value in values[:2]):
            raise BoundaryError(
                _('The KML coordinates "%(token)s" are not longitude,latitude numbers.')
                % {"token": token[:40]}
            )
        positions.append(values[:2])
    return positions


# --- Zipped shapefile -----------------------------------------------------------------------


def read_zipped_shapefile(data: bytes, *, near: tuple[float, float] | None = None) -> Boundary:
    """The polygons of the one shapefile in a zip, in WGS 84 longitude and latitude."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise BoundaryError(_("The file is not a zip file that can be opened.")) from error
    if len(members) > MAX_ZIP_MEMBERS:
        raise BoundaryError(_("The zip file holds too many files: send the shapefile alone."))
    by_extension: dict[str, list[zipfile.ZipInfo]] = {}
    for member in members:
        base = member.filename.rsplit("/", 1)[-1]
        if member.is_dir() or base.startswith(".") or member.filename.startswith("__MACOSX/"):
            continue
        extension = base.rsplit(".", 1)[-1].lower() if "." in base else ""
        by_extension.setdefault(extension, []).append(member)
    shps = by_extension.get("shp", [])
    if not shps:
        raise BoundaryError(
            _("The zip file holds no shapefile: it should contain a .shp file (with its .shx).")
        )
    if len(shps) > 1:
        raise BoundaryError(_("The zip file holds several shapefiles: send one at a time."))
    stem = shps[0].filename[: -len(".shp")]

    def companion(extension: str, limit: int) -> bytes | None:
        for member in by_extension.get(extension, []):
            if member.filename[: -len(extension) - 1] == stem:
                return _member_bytes(archive, member, limit)
        return None

    shp = _member_bytes(archive, shps[0], MAX_SHAPEFILE_MEMBER_BYTES)
    shx = companion("shx", MAX_SHAPEFILE_MEMBER_BYTES)
    prj = companion("prj", MAX_PRJ_BYTES)
    polygons = _shapefile_polygons(shp, shx)
    polygons = _to_wgs84(polygons, prj)
    return from_geojson({"type": "MultiPolygon", "coordinates": polygons}, near=near)


def _member_bytes(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limit: int) -> bytes:
    """A member's bytes, refused on the size the zip declares and read no further than the
    limit, so a member that lies about its size (a zip bomb) is cut short too."""
    too_large = BoundaryError(
        _("The shapefile is too large once unpacked: at most %(size)s kB per file.")
        % {"size": f"{limit // 1000:,}"}
    )
    if member.file_size > limit:
        raise too_large
    try:
        with archive.open(member) as stream:
            content = stream.read(limit + 1)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError) as error:
        # RuntimeError: encrypted; NotImplementedError: an unknown compression method.
        raise BoundaryError(
            _("The zip file cannot be unpacked (it may be encrypted or damaged).")
        ) from error
    if len(content) > limit:
        raise too_large
    return content


_POLYGON_TYPES = {shapefile.POLYGON, shapefile.POLYGONZ, shapefile.POLYGONM}


def _shapefile_polygons(shp: bytes, shx: bytes | None) -> list:
    try:
        reader = shapefile.Reader(shp=io.BytesIO(shp), shx=io.BytesIO(shx) if shx else None)
        if reader.shapeType not in _POLYGON_TYPES:
            raise BoundaryError(
                _("The shapefile holds %(kind)s shapes; a boundary must be polygons.")
                % {"kind": reader.shapeTypeName}
            )
        shapes = [shape for shape in reader.iterShapes() if shape.shapeType != shapefile.NULL]
        geometries = [shape.__geo_interface__ for shape in shapes]
    except BoundaryError:
        raise
    except Exception as error:  # pyshp raises struct errors, IndexError and its own on bad bytes
        raise BoundaryError(
            _("The shapefile cannot be read (%(reason)s).") % {"reason": str(error)[:120]}
        ) from error
    polygons: list = []
    for geometry in geometries:
        if geometry["type"] == "Polygon":
            polygons.append(_lists(geometry["coordinates"]))
        elif geometry["type"] == "MultiPolygon":
            polygons += [_lists(polygon) for polygon in geometry["coordinates"]]
    if not polygons:
        raise BoundaryError(_("The shapefile holds no polygon."))
    return polygons


def _lists(polygon: Any) -> list:
    return [[[float(x), float(y)] for x, y, *_rest in ring] for ring in polygon]


def _to_wgs84(polygons: list, prj: bytes | None) -> list:
    """The polygons in WGS 84 longitude and latitude, as the ``.prj`` says they are not."""
    if prj is None:
        if any(
            abs(x) > 180 or abs(y) > 90 for polygon in polygons for ring in polygon for x, y in ring
        ):
            raise BoundaryError(
                _(
                    "The shapefile's coordinates are not longitude and latitude, and no .prj "
                    "file says their projection: include the .prj, or export it in WGS 84 "
                    "(EPSG:4326)."
                )
            )
        return polygons
    try:
        crs = CRS.from_wkt(prj.decode("utf-8", errors="replace"))
        if crs.equals(WGS84_LONLAT, ignore_axis_order=True):
            return polygons
        transformer = Transformer.from_crs(crs, WGS84_LONLAT, always_xy=True)
        moved = []
        for polygon in polygons:
            rings = []
            for ring in polygon:
                xs, ys = transformer.transform([p[0] for p in ring], [p[1] for p in ring])
                rings.append([[float(x), float(y)] for x, y in zip(xs, ys, strict=True)])
            moved.append(rings)
    except (CRSError, ProjError) as error:
        raise BoundaryError(
            _(
                "The shapefile's projection (.prj) cannot be read or converted to WGS 84: "
                "export it in WGS 84 (EPSG:4326)."
            )
        ) from error
    return moved
