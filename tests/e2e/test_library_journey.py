"""A visitor on a phone finds case studies by region and theme, reads one, follows its
partnership and sees the places on the map, with the tile server unreachable."""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from library import demo
from library.models import CaseStudyIndexPage, CaseStudyPage, Theme
from network.models import LandscapePartnership

pytestmark = pytest.mark.django_db(transaction=True)


def publish_case_study(index, *, title, slug, region, country, lat, lng, theme, partnership=None):
    page = CaseStudyPage(
        title=title,
        slug=slug,
        summary=f"{title}: what changed and how.",
        country=country,
        region=region,
        latitude=Decimal(lat),
        longitude=Decimal(lng),
        year=2021,
        partnership=partnership,
    )
    page.themes = [Theme.objects.get(slug=theme)]
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def library_content(db):
    demo.ensure_locales()
    home = demo.ensure_home()
    index = demo.ensure_section(
        home, CaseStudyIndexPage, "case-studies", "Case studies", "<p>Stories.</p>"
    )
    partnership = LandscapePartnership.objects.create(
        name="Mount Kenya Landscape Partnership",
        slug="mount-kenya-landscape",
        country="KE",
        region="africa",
        latitude=Decimal("-0.15"),
        longitude=Decimal("37.31"),
        description="Farmers, foresters and water users around Mount Kenya.",
    )
    publish_case_study(
        index,
        title="Terraces that keep the rain",
        slug="terraces",
        region="africa",
        country="KE",
        lat="-0.2",
        lng="37.4",
        theme="restoration",
        partnership=partnership,
    )
    publish_case_study(
        index,
        title="Cocoa under shade trees",
        slug="cocoa",
        region="africa",
        country="GH",
        lat="6.7",
        lng="-1.6",
        theme="agroforestry",
    )
    publish_case_study(
        index,
        title="An Andean water fund",
        slug="water-fund",
        region="latin-america",
        country="PE",
        lat="-13.5",
        lng="-72.0",
        theme="restoration",
    )
    return partnership


def test_visitor_filters_reads_follows_the_partnership_and_sees_markers(
    live_server, new_page, library_content
):
    phone = new_page()
    # No internet here, and none needed: the tiles fail, the markers and the list still work.
    phone.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    phone.goto(f"{live_server.url}/case-studies/")
    # Leaflet loads when the map comes near the screen.
    phone.locator(".map-section").first.scroll_into_view_if_needed()
    expect(phone.locator(".map .leaflet-marker-icon")).to_have_count(3)
    # Every marker's image loaded from its own static address (hashed in production).
    assert phone.locator(".map .leaflet-marker-icon").evaluate_all(
        "icons => icons.every(icon => icon.complete && icon.naturalWidth > 0)"
    )

    phone.get_by_text("Filter", exact=True).click()
    phone.get_by_label("Region").select_option(label="Africa")
    phone.get_by_label("Restoration").check()
    phone.get_by_role("button", name="Apply filters").click()

    expect(phone).to_have_url(
        f"{live_server.url}/case-studies/?q=&region=africa&country=&theme=restoration&language=&year="
    )
    results = phone.locator(".listing__results .card h3")
    expect(results).to_have_count(1)
    expect(results).to_have_text(["Terraces that keep the rain"])

    phone.get_by_role("link", name="Terraces that keep the rain").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Terraces that keep the rain")
    phone.locator("#case-study-location-heading").scroll_into_view_if_needed()
    expect(phone.locator("#case-study-location .leaflet-marker-icon")).to_have_count(1)
    expect(phone.locator("#case-study-location-status")).to_contain_text(
        "The background map could not be loaded"
    )

    phone.get_by_role("link", name="Mount Kenya Landscape Partnership").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Mount Kenya Landscape Partnership")
    phone.locator("#partnership-location-heading").scroll_into_view_if_needed()
    expect(phone.locator("#partnership-location .leaflet-marker-icon")).to_have_count(1)
    expect(phone.get_by_role("link", name="Terraces that keep the rain")).to_be_visible()


@pytest.fixture
def production_static_files(settings, tmp_path):
    """Static files as production has them: ``collectstatic`` with the hashing storage into a
    fresh STATIC_ROOT, pages naming them by their hashed addresses (``{% static %}`` reads the
    manifest). The app's page cache is off, so no page rendered with plain names is served."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    settings.PAGE_CACHE_ENABLED = False
    call_command("collectstatic", "--noinput", verbosity=0)
    return settings.STATIC_ROOT


def test_in_production_every_marker_icon_loads_from_its_hashed_address(
    live_server, browser, library_content, production_static_files
):
    """Leaflet guessing its icons' folder from its hashed stylesheet asked for names that do
    not exist (every marker a broken image). Here /static/ answers as nginx does in
    production, from the collected folder alone, and every icon is named by its hash."""
    root = production_static_files
    missing: list[str] = []

    def collected(route) -> None:
        name = urlparse(route.request.url).path.removeprefix("/static/")
        file = (root / name).resolve()
        if file.is_relative_to(root) and file.is_file():
            route.fulfill(path=file)
        else:
            missing.append(name)
            route.fulfill(status=404, body="")

    # The site's offline worker would fetch the images itself, past this page's routes.
    context = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="block")
    phone = context.new_page()
    phone.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    phone.route(f"{live_server.url}/static/**", collected)
    phone.goto(f"{live_server.url}/case-studies/terraces/")
    assert 'src="/static/js/map.js"' not in phone.content()  # hashed names in the page
    phone.locator("#case-study-location-heading").scroll_into_view_if_needed()
    icons = phone.locator("#case-study-location .leaflet-marker-icon")
    expect(icons).to_have_count(1)
    loaded = (
        "icons => icons.map(icon => [icon.getAttribute('src'), icon.complete && icon.naturalWidth])"
    )
    for _attempt in range(30):
        states = icons.evaluate_all(loaded)
        if all(width for _src, width in states):
            break
        phone.wait_for_timeout(500)
    assert all(width for _src, width in states), (states, missing)
    hashed = r"/marker-icon(-2x)?\.[0-9a-f]{12}\.png$"
    assert all(re.search(hashed, src) for src, _width in states), states
    assert missing == []
    context.close()
