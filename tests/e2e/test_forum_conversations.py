"""Conversations easy to follow (issue 23), in Chromium against a real daphne: the @mention
autocomplete (keyboard and mouse), a reaction that keeps a half-written reply, the Markdown
preview, a lock that closes another reader's reply form live (and an unlock that reopens it
with their text still there), and axe at 360 px on the topic page with these controls."""

from __future__ import annotations

from pathlib import Path

import pytest
from live_servers import MEMBER_WITH_SESSION, migrated_site
from playwright.sync_api import expect

from devservers import Daphne, shell

AXE_SCRIPT = Path(__file__).resolve().parents[1] / "data" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

SETUP = (
    MEMBER_WITH_SESSION
    + """
from network.models import LandscapePartnership
from network.roles import Role
from network.services import partnership_membership_add, user_add_role

amara, amara_session = member("amara", "Amara Okafor")
wanjiru, _ = member("wanjiru", "Wanjiru Mwangi")
wangari, _ = member("wangari", "Wangari Maathai")
outsider, _ = member("wanda", "Wanda Outsider")
moderator, moderator_session = member("mods", "Mo Derator")
user_add_role(user=moderator, role=Role.MODERATOR)
partnership = LandscapePartnership.objects.create(
    name="Mau", slug="mau-e2e", country="KE", region="africa"
)
for person in (amara, wanjiru, wangari):
    partnership_membership_add(partnership=partnership, user=person)
room = Category.objects.create(name="Mau room", slug="mau-room", partnership=partnership)
public = Category.objects.create(name="Open", slug="open")
secret = topic_create(author=amara, category=room, title="Mau nursery", body="Who waters?")
topic = topic_create(author=moderator, category=public, title="Terraces", body="Photos welcome")
print(secret.pk, topic.pk, amara_session, moderator_session)
"""
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    env = migrated_site(tmp_path_factory.mktemp("var"))
    secret, topic, amara, moderator = shell(env, SETUP).split()[-4:]
    with Daphne(env) as server:
        yield {
            "base": server.base,
            "secret": int(secret),
            "topic": int(topic),
            "sessions": {"amara": amara, "moderator": moderator},
        }


def page_for(new_page, site, who: str, width: int | None = None):
    page = new_page()
    if width:
        page.set_viewport_size({"width": width, "height": 740})
    page.context.add_cookies(
        [{"name": "sessionid", "value": site["sessions"][who], "url": site["base"]}]
    )
    return page


def test_mention_autocomplete_suggests_the_topics_readers_and_links_the_mention(site, new_page):
    amara = page_for(new_page, site, "amara")
    amara.goto(f"{site['base']}/forums/t/{site['secret']}/")
    box = amara.get_by_label("Your reply")
    box.press_sequentially("Thanks @wan")
    listbox = amara.get_by_role("listbox", name="People you can mention")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    # Wanda is no member of the private room: she is not offered.
    expect(options).to_have_count(2)
    expect(options.first).to_contain_text("Wangari Maathai")
    expect(box).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    expect(amara.get_by_role("status").filter(has_text="2 people found")).to_have_count(1)
    # Down moves to the second (Wanjiru), Enter picks her; the list closes.
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(listbox).to_be_hidden()
    expect(box).to_have_value("Thanks @wanjiru ")
    box.press_sequentially("for the seedlings. And @wanga")
    expect(options).to_have_count(1)
    options.first.click()
    expect(box).to_have_value("Thanks @wanjiru for the seedlings. And @wangari ")

    # The preview shows the mention as a link, as the saved post will.
    amara.get_by_role("button", name="Preview").click()
    preview = amara.locator(".preview")
    expect(preview.get_by_role("link", name="@wanjiru")).to_have_attribute(
        "href", "/network/members/wanjiru/"
    )
    amara.get_by_role("button", name="Post reply").click()
    mention = amara.locator(".post", has_text="for the seedlings").get_by_role(
        "link", name="@wanjiru"
    )
    expect(mention).to_have_attribute("href", "/network/members/wanjiru/")


def test_a_reaction_keeps_a_half_written_reply(site, new_page):
    amara = page_for(new_page, site, "amara")
    amara.goto(f"{site['base']}/forums/t/{site['topic']}/")
    expect(amara.locator("#topic[data-live=connected]")).to_have_count(1)
    amara.evaluate("window.__notReloaded = true")
    amara.get_by_label("Your reply").fill("Half a thought about terr")
    first_post = amara.locator(".post").first
    first_post.get_by_role("button", name="Thanks").click()
    expect(first_post.locator('[data-reaction-count="thanks"]')).to_have_text("1")
    expect(first_post.get_by_role("button", name="Thanks")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(amara.get_by_label("Your reply")).to_have_value("Half a thought about terr")
    assert amara.evaluate("window.__notReloaded") is True
    # Taking it back works the same way.
    first_post.get_by_role("button", name="Thanks").click()
    expect(first_post.locator('[data-reaction-count="thanks"]')).to_have_text("0")
    expect(amara.get_by_label("Your reply")).to_have_value("Half a thought about terr")


def test_a_lock_closes_other_readers_reply_forms_live_and_an_unlock_reopens_them(site, new_page):
    topic_url = f"{site['base']}/forums/t/{site['topic']}/"
    amara = page_for(new_page, site, "amara")
    moderator = page_for(new_page, site, "moderator")
    amara.goto(topic_url)
    moderator.goto(topic_url)
    expect(amara.locator("#topic[data-live=connected]")).to_have_count(1)
    amara.evaluate("window.__notReloaded = true")
    amara.get_by_label("Your reply").fill("Before the lock")
    locked_notice = amara.get_by_text("This topic is locked: no new replies.")
    expect(locked_notice).to_be_hidden()

    moderator.get_by_text("Moderate this topic").click()
    moderator.get_by_role("button", name="Lock", exact=True).click()
    expect(amara.locator("#reply")).to_be_hidden()
    expect(locked_notice).to_be_visible()
    # The moderator may still reply to a locked topic.
    expect(moderator.locator("#reply")).to_be_visible()

    moderator.get_by_text("Moderate this topic").click()
    moderator.get_by_role("button", name="Unlock", exact=True).click()
    expect(amara.locator("#reply")).to_be_visible()
    expect(locked_notice).to_be_hidden()
    expect(amara.get_by_label("Your reply")).to_have_value("Before the lock")
    assert amara.evaluate("window.__notReloaded") is True


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page as it is now."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    violations = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"]}).then(results => results.violations)""",
        WCAG_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {[node['html'][:160] for node in v['nodes'][:4]]}"
        for v in violations
        if v["impact"] in {"serious", "critical"}
    ]


def test_the_topic_page_with_its_new_controls_passes_axe_at_360_px(site, browser):
    # bypass_csp: axe is injected as an inline script, which the site's CSP rightly refuses.
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="en-GB", bypass_csp=True
    )
    try:
        context.set_default_timeout(15_000)
        context.add_cookies(
            [{"name": "sessionid", "value": site["sessions"]["amara"], "url": site["base"]}]
        )
        amara = context.new_page()
        amara.goto(f"{site['base']}/forums/t/{site['secret']}/")
        box = amara.get_by_label("Your reply")
        box.press_sequentially("@wan")
        expect(amara.get_by_role("listbox")).to_be_visible()
        assert serious_violations(amara) == [], "suggestions open"
        box.press("Escape")
        expect(amara.get_by_role("listbox")).to_be_hidden()
        amara.get_by_role("button", name="Preview").click()
        expect(amara.locator(".preview")).to_be_visible()
        assert serious_violations(amara) == [], "preview open"
        assert amara.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()
