"""Drawing a landscape's boundary in a real browser: the coordinator clicks three corners on
the map, finishes the shape (the drawing tool writes GeoJSON into the form), saves it, sees
the area on the partnership's page and downloads the boundary, which reads back as GeoJSON.
The same page also works with the keyboard's button "Add a corner at the centre"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from live_servers import MEMBER_WITH_SESSION, migrated_site
from playwright.sync_api import expect

from devservers import Daphne, shell

SETUP = (
    MEMBER_WITH_SESSION
    + """
from decimal import Decimal
from network.models import LandscapePartnership, PartnershipRole
from network.services import partnership_membership_add

cora, cora_session = member("cora", "Cora Coordinator")
partnership = LandscapePartnership.objects.create(
    name="Kijabe Highlands", slug="kijabe-draw", country="KE", region="africa",
    latitude=Decimal("-0.9"), longitude=Decimal("36.6"),
)
partnership_membership_add(partnership=partnership, user=cora, role=PartnershipRole.COORDINATOR)
print(cora_session)
"""
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    env = migrated_site(tmp_path_factory.mktemp("var"))
    cora = shell(env, SETUP).split()[-1]
    with Daphne(env) as server:
        yield {"base": server.base, "cora": cora}


def test_a_coordinator_draws_the_boundary_and_downloads_it(site, new_page):
    page = new_page()
    page.context.add_cookies([{"name": "sessionid", "value": site["cora"], "url": site["base"]}])
    partnership_url = f"{site['base']}/network/partnerships/kijabe-draw/"
    page.goto(partnership_url)
    page.get_by_role("link", name="Add the landscape's boundary").click()

    drawing = page.locator("#boundary-draw-map")
    expect(drawing).to_be_visible()
    box = drawing.bounding_box()
    assert box is not None
    centre_x, centre_y = box["width"] / 2, box["height"] / 2
    for dx, dy in ((-80, -60), (90, -50), (10, 80)):
        drawing.click(position={"x": centre_x + dx, "y": centre_y + dy})
    expect(page.locator("#boundary-draw-status")).to_contain_text("3 corners")
    page.get_by_role("button", name="Finish the shape").click()
    expect(page.locator("#boundary-draw-status")).to_contain_text("The shape is closed")
    drawn = json.loads(page.get_by_label("Or paste GeoJSON").input_value())
    assert drawn["type"] == "Polygon" and len(drawn["coordinates"][0]) == 4

    page.get_by_role("button", name="Save the boundary").click()
    expect(page).to_have_url(partnership_url)
    expect(page.get_by_text("The boundary has been saved")).to_be_visible()
    expect(page.get_by_text("km² within its boundary")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the boundary (GeoJSON)").click()
    document = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert document["type"] == "Feature"
    assert document["geometry"]["type"] == "MultiPolygon"
    assert document["properties"]["slug"] == "kijabe-draw"
    assert document["properties"]["area_km2"] > 0
    # The partnership's map draws the boundary (an SVG path in Leaflet's overlay pane).
    page.locator("#partnership-location-heading").scroll_into_view_if_needed()
    expect(page.locator("#partnership-location .leaflet-overlay-pane path")).to_have_count(1)
