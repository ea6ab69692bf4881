"""A partnership's landscape on the site: its coordinators and the editors upload, paste or
remove the boundary; anyone downloads it; the directory is open data as CSV and GeoJSON
(read back with ``csv`` and the ``geojson`` package, which checks RFC 7946's structure, and
re-read by the site's own validator); nothing about people is in either."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from html import escape

import geojson
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from network import boundaries
from network.models import LandscapePartnership, PartnershipStatus, ProfileVisibility
from network.roles import Role
from network.services import partnership_boundary_set, partnership_membership_add

pytestmark = pytest.mark.django_db

#: A small landscape around the ``partnership`` fixture's point (Mount Kenya, -0.15, 37.3).
RING = [[37.1, -0.3], [37.5, -0.3], [37.5, 0.0], [37.1, 0.0], [37.1, -0.3]]
GEOJSON = json.dumps({"type": "Polygon", "coordinates": [RING]})


def landscape_url(partnership) -> str:
    return reverse("network:landscape", args=[partnership.slug])


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_coordinator_uploads_a_geojson_file_and_the_area_is_computed(partnership, coordinator):
    upload = SimpleUploadedFile("kenya.geojson", GEOJSON.encode(), "application/geo+json")
    response = signed_in(coordinator).post(landscape_url(partnership), {"file": upload})
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.boundary["type"] == "MultiPolygon"
    expected = boundaries.parse(GEOJSON).area_km2
    assert float(partnership.boundary_area_km2) == pytest.approx(expected, abs=0.01)
    assert partnership.boundary_simplified["coordinates"][0][0][0] == RING[0]


def test_an_editor_pastes_geojson_and_then_removes_it(partnership, make_user):
    editor = signed_in(make_user(Role.EDITOR, is_staff=True))
    assert editor.post(landscape_url(partnership), {"geojson": GEOJSON}).status_code == 302
    partnership.refresh_from_db()
    assert partnership.boundary is not None
    assert editor.post(landscape_url(partnership), {"remove": "on"}).status_code == 302
    partnership.refresh_from_db()
    assert partnership.boundary is None and partnership.boundary_area_km2 is None


@pytest.mark.parametrize(
    "role, expected",
    [("member", 403), ("outsider", 403), ("staff without the editor role", 403)],
)
def test_only_coordinators_and_editors_reach_the_boundary(partnership, make_user, role, expected):
    user = make_user(is_staff=role.startswith("staff"))
    if role == "member":
        partnership_membership_add(partnership=partnership, user=user)
    client = signed_in(user)
    assert client.get(landscape_url(partnership)).status_code == expected
    assert client.post(landscape_url(partnership), {"geojson": GEOJSON}).status_code == expected
    partnership.refresh_from_db()
    assert partnership.boundary is None


def test_the_service_refuses_someone_who_may_not_edit(partnership, make_user):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        partnership_boundary_set(
            partnership=partnership, editor=make_user(), boundary=boundaries.parse(GEOJSON)
        )


SWAPPED = json.dumps({"type": "Polygon", "coordinates": [[[lat, lon] for lon, lat in RING]]})
CROSSING = json.dumps(
    {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"geojson": CROSSING}, "The boundary crosses itself"),
        ({"geojson": SWAPPED}, "The coordinates look swapped"),
        ({"geojson": "not json at all"}, "The file is not GeoJSON"),
        ({"geojson": "x" * (boundaries.MAX_BYTES + 1)}, "The file is too large"),
        ({}, "Choose a GeoJSON file, paste GeoJSON or draw the boundary"),
        ({"geojson": GEOJSON, "remove": "on"}, "Either remove the boundary or send a new one"),
    ],
    ids=["self-intersecting", "swapped", "not-geojson", "too-large", "nothing", "both"],
)
def test_a_refused_boundary_comes_back_with_a_clear_message_and_the_text_kept(
    partnership, coordinator, data, message
):
    response = signed_in(coordinator).post(landscape_url(partnership), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html.replace("&quot;", '"').replace("&#x27;", "'")
    if data.get("geojson") and len(data["geojson"]) < 1000:
        assert escape(data["geojson"]) in html
    partnership.refresh_from_db()
    assert partnership.boundary is None


def test_a_file_over_the_limit_is_refused_on_its_size_before_it_is_read(partnership, coordinator):
    upload = SimpleUploadedFile("huge.geojson", b" " * (boundaries.MAX_BYTES + 1))
    response = signed_in(coordinator).post(landscape_url(partnership), {"file": upload})
    assert response.status_code == 400
    assert "The file is too large" in response.content.decode()


def test_a_partnership_without_a_point_gets_one_inside_its_boundary(make_user):
    partnership = LandscapePartnership.objects.create(
        name="Unplaced", slug="unplaced", country="KE", region="africa"
    )
    editor = make_user(Role.EDITOR)
    partnership_boundary_set(
        partnership=partnership, editor=editor, boundary=boundaries.parse(GEOJSON)
    )
    partnership.refresh_from_db()
    assert boundaries.contains(
        partnership.boundary, float(partnership.longitude), float(partnership.latitude)
    )


@pytest.fixture
def bounded(partnership, coordinator):
    partnership_boundary_set(
        partnership=partnership, editor=coordinator, boundary=boundaries.parse(GEOJSON)
    )
    partnership.refresh_from_db()
    return partnership


def test_anyone_downloads_the_whole_boundary_as_a_geojson_feature(client, bounded):
    response = client.get(reverse("network:boundary_download", args=[bounded.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert "attachment" in response["Content-Disposition"]
    document = geojson.loads(response.content)
    assert isinstance(document, geojson.Feature) and document.is_valid, document.errors()
    assert document["geometry"] == bounded.boundary
    assert document["properties"]["slug"] == bounded.slug
    assert document["properties"]["area_km2"] == float(bounded.boundary_area_km2)
    assert boundaries.parse(response.content).area_km2 == pytest.approx(
        float(bounded.boundary_area_km2), abs=0.01
    )


def test_a_partnership_without_a_boundary_has_no_download(client, partnership):
    response = client.get(reverse("network:boundary_download", args=[partnership.slug]))
    assert response.status_code == 404


def test_the_profile_shows_status_year_area_vocabularies_and_the_boundary_on_its_map(
    client, bounded
):
    from library.models import Ecosystem, SustainableDevelopmentGoal, Theme

    theme = Theme.objects.create(slug="restoration-x", name="Restoration", name_es="Restauración")
    bounded.status = PartnershipStatus.ACTIVE
    bounded.year_founded = 2014
    bounded.save()
    bounded.themes.add(theme)
    bounded.ecosystems.add(Ecosystem.objects.create(slug="montane-x", name="Montane forest"))
    bounded.sdgs.add(
        SustainableDevelopmentGoal.objects.get_or_create(
            number=15, defaults={"slug": "sdg-15", "name": "Life on land"}
        )[0]
    )
    bounded.save()  # modelcluster keeps relation changes until the save
    html = client.get(bounded.get_absolute_url()).content.decode()
    for text in (
        "Active",
        "2014",
        "Restoration",
        "Montane forest",
        "15.",
        "km²",
        "boundary.geojson",
    ):
        assert text in html, text
    points = json.loads(
        re.search(r'id="partnership-location-points"[^>]*>(.*?)</script>', html, re.S).group(1)
    )
    assert points[0]["boundary"]["type"] == "MultiPolygon"
    spanish = client.get("/es" + bounded.get_absolute_url()).content.decode()
    assert "Restauración" in spanish


def test_the_directory_filters_by_status_theme_ecosystem_and_goal(client, partnership):
    from library.models import Ecosystem, SustainableDevelopmentGoal, Theme

    other = LandscapePartnership.objects.create(
        name="Other Landscape",
        slug="other-landscape",
        country="GH",
        region="africa",
        status=PartnershipStatus.FORMING,
    )
    partnership.status = PartnershipStatus.ACTIVE
    partnership.save()
    theme = Theme.objects.create(slug="finance-x", name="Landscape finance")
    other.themes.add(theme)
    other.ecosystems.add(Ecosystem.objects.create(slug="drylands-x", name="Drylands"))
    other.sdgs.add(
        SustainableDevelopmentGoal.objects.get_or_create(
            number=13, defaults={"slug": "sdg-13", "name": "Climate action"}
        )[0]
    )
    other.save()
    directory = reverse("network:directory")

    def cards(query: dict) -> set[str]:
        html = client.get(directory, query).content.decode()
        return set(re.findall(r'<h3><a href="/network/partnerships/([\w-]+)/">', html))

    assert cards({"status": "active"}) == {partnership.slug}
    assert cards({"status": "forming"}) == {other.slug}
    assert cards({"theme": "finance-x"}) == {other.slug}
    assert cards({"ecosystem": "drylands-x"}) == {other.slug}
    assert cards({"sdg": "13"}) == {other.slug}
    assert cards({}) == {partnership.slug, other.slug}


def test_an_edit_to_the_boundary_shows_at_once_to_anonymous_visitors(
    settings, partnership, coordinator
):
    settings.PAGE_CACHE_ENABLED = True
    anonymous = Client()
    path = partnership.get_absolute_url()
    for _ in range(3):
        if anonymous.get(path).get("X-Page-Cache") == "hit":
            break
    else:
        raise AssertionError("the partnership page was never served from the cache")
    assert "km²" not in anonymous.get(path).content.decode()
    partnership_boundary_set(
        partnership=partnership, editor=coordinator, boundary=boundaries.parse(GEOJSON)
    )
    assert "km²" in anonymous.get(path).content.decode()


# --- Open data ------------------------------------------------------------------------------


@pytest.fixture
def directory(bounded, make_user):
    """The bounded partnership with a private member, plus one with only a point and one with
    nothing on the map."""
    secret = make_user(
        email="secret.member@example.org", profile_visibility=ProfileVisibility.PRIVATE
    )
    partnership_membership_add(partnership=bounded, user=secret)
    bounded.contact_email = "shared.inbox@example.org"
    bounded.status = PartnershipStatus.ACTIVE
    bounded.save()
    LandscapePartnership.objects.create(
        name="Point Only",
        slug="point-only",
        country="GH",
        region="africa",
        latitude=Decimal("7.9"),
        longitude=Decimal("-1.0"),
    )
    LandscapePartnership.objects.create(
        name="Nowhere Yet", slug="nowhere-yet", country="PE", region="latin-america"
    )
    return bounded


def test_the_directory_downloads_as_csv_that_csv_reads(client, directory):
    response = client.get(reverse("network:directory_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["slug"] for row in rows] == ["mount-kenya-landscape", "nowhere-yet", "point-only"]
    kenya = rows[0]
    assert kenya["status"] == "active" and kenya["region"] == "africa"
    assert float(kenya["area_km2"]) == float(directory.boundary_area_km2)
    assert kenya["url"] == "http://testserver" + directory.get_absolute_url()
    assert "@" not in response.content.decode()


def test_the_directory_downloads_as_a_geojson_feature_collection(client, directory):
    response = client.get(reverse("network:directory_geojson"))
    assert response["Content-Type"] == "application/geo+json"
    document = geojson.loads(response.content)
    assert isinstance(document, geojson.FeatureCollection) and document.is_valid, document.errors()
    by_slug = {feature["properties"]["slug"]: feature for feature in document["features"]}
    assert set(by_slug) == {"mount-kenya-landscape", "point-only", "nowhere-yet"}
    for feature in document["features"]:
        assert feature["type"] == "Feature"
        assert set(feature["properties"]) >= {"name", "slug", "region", "status", "area_km2", "url"}
    kenya = by_slug["mount-kenya-landscape"]
    assert kenya["geometry"] == directory.boundary
    assert boundaries.parse(json.dumps(kenya["geometry"])).vertex_count == 4
    assert by_slug["point-only"]["geometry"] == {"type": "Point", "coordinates": [-1.0, 7.9]}
    assert by_slug["nowhere-yet"]["geometry"] is None
    assert "@" not in response.content.decode()
    simplified = geojson.loads(
        client.get(reverse("network:directory_geojson"), {"simplified": "1"}).content
    )
    assert simplified.is_valid, simplified.errors()
    assert {f["properties"]["slug"] for f in simplified["features"]} == set(by_slug)


def test_the_downloads_follow_the_directory_filters(client, directory):
    response = client.get(reverse("network:directory_csv"), {"region": "latin-america"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["slug"] for row in rows] == ["nowhere-yet"]


@pytest.mark.parametrize("name", ["network:directory_csv", "network:directory_geojson"])
def test_an_export_costs_one_query_whatever_the_number_of_partnerships(
    client, name, django_assert_num_queries, make_user
):
    editor = make_user(Role.EDITOR)

    def grow(count: int) -> None:
        start = LandscapePartnership.objects.count()
        for number in range(start, start + count):
            partnership = LandscapePartnership.objects.create(
                name=f"Landscape {number}",
                slug=f"landscape-{number}",
                country="KE",
                region="africa",
            )
            ring = [[lon + number * 0.5, lat] for lon, lat in RING]
            partnership_boundary_set(
                partnership=partnership,
                editor=editor,
                boundary=boundaries.parse(json.dumps({"type": "Polygon", "coordinates": [ring]})),
            )

    for size in (2, 8):
        grow(size - LandscapePartnership.objects.count())
        with django_assert_num_queries(1):
            response = client.get(reverse(name))
        assert response.status_code == 200
        assert response.content.decode().count("landscape-") >= size


def test_the_api_lists_partnerships_and_organisations_without_people(client, directory):
    from network.models import Organisation

    organisation = Organisation.objects.create(name="Green Belt", slug="green-belt", type="ngo")
    directory.organisations.add(organisation)
    directory.save()  # modelcluster keeps relation changes until the save
    listing = client.get("/api/v2/partnerships/")
    assert listing.status_code == 200
    items = {item["slug"]: item for item in listing.json()["items"]}
    assert items["mount-kenya-landscape"]["status"] == "active"
    assert "boundary" not in items["mount-kenya-landscape"]
    detail = client.get(f"/api/v2/partnerships/{directory.pk}/?fields=*").json()
    assert detail["boundary"] == directory.boundary
    assert detail["organisation_slugs"] == ["green-belt"]
    organisations = client.get("/api/v2/organisations/?fields=*").json()["items"]
    assert organisations[0]["partnership_slugs"] == ["mount-kenya-landscape"]
    everything = (
        client.get("/api/v2/partnerships/?fields=*").content
        + client.get("/api/v2/organisations/?fields=*").content
    ).decode()
    assert "@" not in everything
    filtered = client.get("/api/v2/partnerships/?region=latin-america").json()["items"]
    assert [item["slug"] for item in filtered] == ["nowhere-yet"]
    assert client.get("/api/v2/partnerships/?offset=" + "9" * 30).status_code == 400


def test_the_demo_partnerships_get_boundaries_about_their_size_around_their_points():
    from network import demo, demo_content

    partnerships = demo.ensure_partnerships(demo.ensure_organisations())
    assert len(partnerships) == len(demo_content.PARTNERSHIPS) >= 6
    for data in demo_content.PARTNERSHIPS:
        partnership = partnerships[data["slug"]]
        partnership.refresh_from_db()
        hectares = float(data["area_hectares"])
        assert float(partnership.boundary_area_km2) == pytest.approx(hectares / 100, rel=0.05)
        assert boundaries.contains(
            partnership.boundary, float(data["longitude"]), float(data["latitude"])
        )
        assert partnership.status and partnership.year_founded
        assert partnership.themes.exists() and partnership.sdgs.exists()
    # A second seed leaves a boundary an editor changed alone.
    kenya = partnerships["mount-kenya-landscape"]
    LandscapePartnership.objects.filter(pk=kenya.pk).update(boundary_area_km2=Decimal("1.00"))
    demo.ensure_partnerships(demo.ensure_organisations())
    kenya.refresh_from_db()
    assert kenya.boundary_area_km2 == Decimal("1.00")


def test_saving_a_boundary_costs_the_same_whatever_its_size_and_the_partnership_s(
    partnership, coordinator, make_user, django_assert_max_num_queries
):
    import math

    def circle(corners: int) -> boundaries.Boundary:
        ring = [
            [
                37.3 + 0.2 * math.cos(2 * math.pi * i / corners),
                -0.15 + 0.2 * math.sin(2 * math.pi * i / corners),
            ]
            for i in range(corners)
        ]
        return boundaries.parse(json.dumps({"type": "Polygon", "coordinates": [[*ring, ring[0]]]}))

    counts = []
    for corners, members in ((8, 1), (4000, 30)):
        for _ in range(members):
            partnership_membership_add(partnership=partnership, user=make_user())
        boundary = circle(corners)
        with django_assert_max_num_queries(12) as captured:
            partnership_boundary_set(partnership=partnership, editor=coordinator, boundary=boundary)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts
