"""Open data: the CSV parses with the standard library's reader, the API shows published
projects only, and neither carries anything private."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from finance import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(make_project, funder, coordinator):
    published = make_project(title="=HYPERLINK(evil)")
    draft = make_project(title="Secret plan", published=False)
    services.interest_express(project=published, funder=funder, message="Confidential terms")
    return published, draft


def test_the_csv_parses_and_holds_published_projects_only(client, projects):
    response = client.get(reverse("finance:csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert len(rows) == 1
    row = rows[0]
    assert Decimal(row["amount_sought"]) == Decimal("250000.00")
    assert row["currency"] == "USD"
    assert row["sdgs"] == "2 15"
    assert row["outcomes"] == "Land restored: 300 ha"
    # A spreadsheet will not run a title as a formula.
    assert row["title"] == "'=HYPERLINK(evil)"
    text = response.content.decode()
    for private in ("Secret plan", "Confidential terms", "Green Fund Officer", "@example.org"):
        assert private not in text


def test_the_api_lists_published_projects_with_decimal_strings(client, projects):
    published, draft = projects
    listing = client.get("/api/v2/finance-projects/").json()
    assert [item["id"] for item in listing["items"]] == [published.pk]
    detail = client.get(f"/api/v2/finance-projects/{published.pk}/?fields=*").json()
    assert detail["amount_sought"] == "250000.00"
    assert detail["sdg_numbers"] == [2, 15]
    assert detail["expected_outcomes"] == [{"label": "Land restored", "value": "300", "unit": "ha"}]
    assert client.get(f"/api/v2/finance-projects/{draft.pk}/").status_code == 404
    assert "Confidential" not in client.get("/api/v2/finance-projects/?fields=*").content.decode()


def test_the_portfolio_geojson_holds_published_places_only_with_their_landscape(
    client, projects, make_project, partnership, coordinator
):
    """Read back with the ``geojson`` package (RFC 7946) and checked for valid geometry; asked
    by a coordinator, so drafts are left out for anyone."""
    import json

    import geojson

    from network import boundaries
    from network.services import partnership_boundary_set

    ring = [[36.4, -1.1], [36.8, -1.1], [36.8, -0.8], [36.4, -0.8], [36.4, -1.1]]
    partnership_boundary_set(
        partnership=partnership,
        editor=coordinator,
        boundary=boundaries.parse(json.dumps({"type": "Polygon", "coordinates": [ring]})),
    )
    make_project(title="Downstream", latitude=Decimal("-3.0"))
    make_project(title="Nowhere yet", latitude=None, longitude=None)
    client.force_login(coordinator)
    response = client.get(reverse("finance:portfolio_geojson", args=[partnership.slug]))
    assert response["Content-Type"] == "application/geo+json"
    document = geojson.loads(response.content)
    assert isinstance(document, geojson.FeatureCollection) and document.is_valid, document.errors()
    places = {}
    for feature in document["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        longitude, latitude = feature["geometry"]["coordinates"]
        assert -180 <= longitude <= 180 and -90 <= latitude <= 90
        places[feature["properties"]["title"]] = (
            [longitude, latitude],
            feature["properties"]["inside_landscape"],
        )
    assert places == {
        "=HYPERLINK(evil)": ([36.57, -0.95], True),
        "Downstream": ([36.57, -3.0], False),
    }
    text = response.content.decode()
    for private in ("Secret plan", "Confidential terms", "Green Fund Officer", "@example.org"):
        assert private not in text
