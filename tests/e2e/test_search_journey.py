"""A visitor searches the network on a phone: autocomplete as they type, a query, a region
facet, highlighted snippets, then the case study itself."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from library import demo
from library.models import CaseStudyIndexPage, CaseStudyPage, Theme

pytestmark = pytest.mark.django_db(transaction=True)


def publish(index, *, title, slug, summary, region, country, theme):
    page = CaseStudyPage(
        title=title,
        slug=slug,
        summary=summary,
        country=country,
        region=region,
        latitude=Decimal("1.0"),
        longitude=Decimal("30.0"),
        year=2022,
    )
    page.themes = [Theme.objects.get(slug=theme)]
    index.add_child(instance=page)
    page.save_revision().publish()  # indexed after commit by the search signal handlers


@pytest.fixture
def indexed_content(db):
    demo.ensure_locales()
    home = demo.ensure_home()
    index = demo.ensure_section(
        home, CaseStudyIndexPage, "case-studies", "Case studies", "<p>Stories.</p>"
    )
    publish(
        index,
        title="Agroforestry with cocoa in Ghana",
        slug="cocoa",
        summary="Shade trees and agroforestry plots raised cocoa farmers' income.",
        region="africa",
        country="GH",
        theme="agroforestry",
    )
    publish(
        index,
        title="Agroforestry corridors in the Andes",
        slug="andes",
        summary="Coffee farmers planted agroforestry corridors between forest patches.",
        region="latin-america",
        country="PE",
        theme="agroforestry",
    )


def test_visitor_searches_narrows_by_region_and_opens_a_case_study(
    live_server, new_page, indexed_content
):
    phone = new_page()
    phone.goto(f"{live_server.url}/search/")
    box = phone.get_by_label("Search for")
    box.press_sequentially("agrof", delay=50)
    expect(phone.locator("#search-suggestions option")).to_have_count(2)

    box.fill("agroforestry")
    box.press("Enter")
    expect(phone.get_by_role("heading", name="2 results")).to_be_visible()
    expect(phone.locator(".result__snippet mark").first).to_have_text(
        re.compile("agroforestry", re.IGNORECASE)
    )

    phone.get_by_text("Narrow the results").click()
    phone.get_by_role("group", name="Region").get_by_label("Africa").check()
    phone.get_by_role("button", name="Apply").click()
    expect(phone.get_by_role("heading", name="1 result", exact=True)).to_be_visible()
    expect(phone.locator(".result .badge").first).to_have_text("Case study")

    phone.get_by_role("link", name="Agroforestry with cocoa in Ghana").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Agroforestry with cocoa in Ghana")
