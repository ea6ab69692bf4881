"""Link previews and schema.org data on course pages."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.django_db


def test_course_page_has_open_graph_and_schema_org_course(client, make_course):
    course = make_course(title="Landscape finance basics").course
    html = client.get(course.url).content.decode()
    assert '<meta property="og:title" content="Landscape finance basics">' in html
    blob = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(blob.group(1))
    assert data["@type"] == "Course"
    assert data["name"] == "Landscape finance basics"
    assert data["provider"]["name"] == "Landscape Commons"
    assert data["timeRequired"].startswith("PT")
