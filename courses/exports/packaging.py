"""The zip both formats are written into, the same bytes each time for the same course."""

from __future__ import annotations

import datetime
import threading
import zipfile
from typing import TYPE_CHECKING, Any, BinaryIO
from xml.etree import ElementTree

from django.template.loader import render_to_string

if TYPE_CHECKING:
    from courses.exports.content import CourseExport, ExportLesson, ExportModule

XSI = "http://www.w3.org/2001/XMLSchema-instance"
_REGISTRY_LOCK = threading.Lock()


class Package:
    """A zip being written: entries in the order added, dated when the course was last
    published, deflated (the HTML and XML shrink; images are stored as they are)."""

    def __init__(self, target: BinaryIO, *, published_at: datetime.datetime) -> None:
        self.zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED)
        moment = published_at.astimezone(datetime.UTC)
        self.date_time = (
            max(moment.year, 1980),
            moment.month,
            moment.day,
            moment.hour,
            moment.minute,
            moment.second,
        )
        self.names: list[str] = []

    def add(self, name: str, data: bytes | str) -> None:
        if isinstance(data, str):
            data = data.encode()
        info = zipfile.ZipInfo(name, date_time=self.date_time)
        compressed = name.endswith((".html", ".xml", ".css", ".js"))
        info.compress_type = zipfile.ZIP_DEFLATED if compressed else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        self.zip.writestr(info, data)
        self.names.append(name)

    def add_xml(self, name: str, root: ElementTree.Element, *, default_namespace: str) -> None:
        self.add(name, xml_document(root, default_namespace=default_namespace))

    def close(self) -> None:
        self.zip.close()


def xml_document(root: ElementTree.Element, *, default_namespace: str) -> str:
    """The document with ``default_namespace`` unprefixed. ElementTree's own
    ``default_namespace`` option refuses unqualified attributes, so the default prefix is
    registered for the time of one serialisation (a process-wide table: hence the lock)."""
    ElementTree.indent(root)
    with _REGISTRY_LOCK:
        ElementTree.register_namespace("", default_namespace)
        body = ElementTree.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def sub(
    parent: ElementTree.Element,
    tag: str,
    text: str | None = None,
    attributes: dict[str, str | None] | None = None,
) -> ElementTree.Element:
    """``ElementTree.SubElement`` with its text; attributes whose value is ``None`` left out."""
    element = ElementTree.SubElement(
        parent, tag, {key: value for key, value in (attributes or {}).items() if value is not None}
    )
    if text is not None:
        element.text = text
    return element


def lesson_page(
    export: CourseExport,
    module: ExportModule,
    lesson: ExportLesson,
    *,
    media_dir: str,
    extra_stylesheets: tuple[str, ...] = (),
    **context: Any,
) -> str:
    """One lesson as a page of the package, the same template in both formats: the site's
    stylesheets the package carries under ``media_dir``, then any of the format's own."""
    site_css = [name for name in export.files if name.startswith(f"{media_dir}/css/")]
    return render_to_string(
        "courses/exports/lesson.html",
        {
            "course": export,
            "module": module,
            "lesson": lesson,
            "lesson_count": len(export.lessons),
            "stylesheets": [*site_css, *extra_stylesheets],
            "scorm": False,
            **context,
        },
    )
