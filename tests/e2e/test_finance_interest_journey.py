"""Landscape finance in a real browser: a coordinator publishes a project through the form, a
funder finds it in the listing (checked with axe on a 360 px phone), presses "Express
interest", and both sides read the same private conversation; pressing again opens no second
one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from live_servers import MEMBER_WITH_SESSION, migrated_site
from playwright.sync_api import expect

from devservers import Daphne, shell

AXE_SCRIPT = Path(__file__).resolve().parents[1] / "data" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
OFF_HOST = re.compile(r"^(?!https?://(localhost|127\.0\.0\.1)[:/])")

SETUP = (
    MEMBER_WITH_SESSION
    + """
from network.models import LandscapePartnership, PartnershipRole
from network.services import partnership_membership_add

cora, cora_session = member("cora", "Cora Coordinator")
fred, fred_session = member("fred", "Fred Funder")
partnership = LandscapePartnership.objects.create(
    name="Kijabe Highlands", slug="kijabe-finance", country="KE", region="africa"
)
partnership_membership_add(partnership=partnership, user=cora, role=PartnershipRole.COORDINATOR)
print(cora_session, fred_session)
"""
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    env = migrated_site(tmp_path_factory.mktemp("var"))
    cora, fred = shell(env, SETUP).split()[-2:]
    with Daphne(env) as server:
        yield {"base": server.base, "sessions": {"cora": cora, "fred": fred}}


def page_for(new_page, site, who: str):
    page = new_page()
    page.context.add_cookies(
        [{"name": "sessionid", "value": site["sessions"][who], "url": site["base"]}]
    )
    return page


def test_publish_then_a_funder_expresses_interest_and_both_read_the_conversation(
    site, new_page, browser
):
    portfolio_url = f"{site['base']}/network/partnerships/kijabe-finance/portfolio/"

    # Cora, the coordinator, publishes a project through the form (no JavaScript needed).
    cora = page_for(new_page, site, "cora")
    cora.goto(portfolio_url)
    cora.get_by_role("link", name="Add a project").click()
    cora.get_by_label("Title").fill("Terraces for Kijabe")
    cora.get_by_label("Summary").fill("Terraces on 300 ha of steep farmland.")
    cora.get_by_label("Amount sought").fill("250000")
    cora.get_by_label("Currency").fill("usd")
    cora.get_by_label("Kind of finance").select_option("loan")
    cora.get_by_label("Stage").select_option("ready")
    cora.get_by_label("Expected outcomes").fill("Land restored | 300 | ha")
    cora.get_by_label("Latitude").fill("-0.95")
    cora.get_by_label("Longitude").fill("36.57")
    cora.get_by_label("Published", exact=False).check()
    cora.get_by_role("button", name="Save").click()
    expect(cora.get_by_text("The project has been saved.")).to_be_visible()
    expect(cora.get_by_text("USD 250,000.00")).to_be_visible()

    # Fred finds it in the network-wide listing, filtered to loans, on a phone.
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="en-GB", bypass_csp=True
    )
    context.route(OFF_HOST, lambda route: route.abort())  # no map tiles from outside
    context.add_cookies(
        [{"name": "sessionid", "value": site["sessions"]["fred"], "url": site["base"]}]
    )
    fred = context.new_page()
    try:
        fred.goto(f"{site['base']}/finance/?kind=loan")
        expect(fred.get_by_role("link", name="Terraces for Kijabe")).to_be_visible()
        fred.add_script_tag(path=str(AXE_SCRIPT))
        violations = fred.evaluate(
            """tags => axe.run(document, {runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"]}).then(results => results.violations)""",
            WCAG_TAGS,
        )
        serious = [v["id"] for v in violations if v["impact"] in {"serious", "critical"}]
        assert serious == [], serious

        fred.get_by_role("link", name="Terraces for Kijabe").click()
        project_url = fred.url
        fred.get_by_role("link", name="Express interest").click()
        fred.get_by_label("A message for the coordinators").fill("We lend for terraces.")
        fred.get_by_role("button", name="Express interest").click()
        expect(fred.get_by_text("Your interest has been sent")).to_be_visible()
        conversation_url = fred.url
        expect(fred.get_by_text("We lend for terraces.")).to_be_visible()

        # Pressing again leads back to the same conversation.
        fred.goto(project_url)
        fred.get_by_role("link", name="Go to your conversation with the coordinators").click()
        expect(fred).to_have_url(conversation_url)
    finally:
        context.close()

    # Cora was told, and reads the same conversation.
    cora.goto(f"{site['base']}/forums/notifications/")
    cora.get_by_role("link", name="Interest in “Terraces for Kijabe”", exact=False).first.click()
    # The notification leads to the post itself, in the same conversation.
    expect(cora).to_have_url(re.compile("^" + re.escape(conversation_url)))
    expect(cora.get_by_text("We lend for terraces.")).to_be_visible()
