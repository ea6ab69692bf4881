"""Course export fixtures: the courses' factory (``tests/courses/conftest.py``), Chromium
(``tests/e2e/conftest.py``), and a course whose first lesson has every kind of block, and
whose last lesson has the standard quiz (all four question kinds), taught by ``trainer``."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from lxml import etree
from PIL import Image as PillowImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

from courses.exports import ExportFormat, export_course
from tests.courses.conftest import catalogue, make_course, trainer  # noqa: F401 (fixtures)
from tests.e2e.conftest import browser  # noqa: F401 (fixture)


@pytest.fixture
def rich_course(make_course, trainer, catalogue):  # noqa: F811 (fixtures)
    buffer = io.BytesIO()
    PillowImage.new("RGB", (1600, 800), (30, 90, 60)).save(buffer, format="JPEG")
    image = Image(title="Hillside")
    image.file.save("hillside.jpg", ImageFile(buffer, name="hillside.jpg"), save=False)
    image.save()
    document = Document(title="Checklist")
    document.file.save("checklist.txt", ContentFile(b"1. Map\n2. Meet\n"), save=False)
    document.save()
    built = make_course(modules=2, lessons=2, trainers=[trainer])
    first = built.lessons[0]
    first.body = json.dumps(
        [
            {
                "type": "text",
                "id": "t",
                "value": (
                    f'<p>Read the <a linktype="page" id="{built.lessons[1].pk}">next lesson</a>'
                    ' and <a href="https://example.org/guide">the guide</a>.</p>'
                ),
            },
            {
                "type": "image",
                "id": "i",
                "value": {"image": image.pk, "alt_text": "A green hillside", "caption": "Upstream"},
            },
            {
                "type": "document",
                "id": "d",
                "value": {"document": document.pk, "description": "Print it"},
            },
            {
                "type": "video",
                "id": "v",
                "value": {
                    "title": "Field visit",
                    "url": "https://www.youtube.com/watch?v=abc",
                    "duration_minutes": 4,
                    "transcript": "<p>TRANSCRIPT-TEXT</p>",
                },
            },
            {
                "type": "callout",
                "id": "c",
                "value": {"kind": "tip", "title": "CALLOUT-TITLE", "text": "<p>Callout.</p>"},
            },
            {"type": "reflection", "id": "r", "value": {"prompt": "REFLECTION-PROMPT"}},
        ]
    )
    first.save_revision().publish()
    built.image = image
    built.document = document
    return built


def package_of(course, export_format: ExportFormat) -> zipfile.ZipFile:
    """The course exported in ``export_format``, opened as a zip."""
    buffer = io.BytesIO()
    export_course(course=course, export_format=export_format, target=buffer)
    buffer.seek(0)
    return zipfile.ZipFile(buffer)


#: Our own packages, parsed without fetching or expanding anything.
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def xml_of(package: zipfile.ZipFile, name: str):
    return etree.fromstring(package.read(name), XML_PARSER)
