"""A first post waits for approval, in Chromium against a real daphne: a new member replies and
sees their post marked as waiting; a signed-out reader does not see it; a moderator finds it in
the queue (axe at 360 px finds no serious violation there) and approves it with the plain form;
the reader now sees it and the new member is told."""

from __future__ import annotations

import pytest
from live_servers import MEMBER_WITH_SESSION, migrated_site
from playwright.sync_api import expect

from devservers import Daphne, shell
from tests.e2e.test_accessibility import BLOCKING_IMPACTS, describe, run_axe

SETUP = (
    MEMBER_WITH_SESSION
    + """
from forums.trust import member_trust_grant
from network.roles import Role
from network.services import user_add_role

alice, _ = member("alice", "Alice Achieng")
member_trust_grant(user=alice)
nina, nina_session = member("nina", "Nina Newcomer")
maya, maya_session = member("maya", "Maya Moderator")
user_add_role(user=maya, role=Role.MODERATOR)
public = Category.objects.create(name="Open forum", slug="open-forum")
topic = topic_create(author=alice, category=public, title="Seed banks", body="Who runs one?")
print(topic.pk, nina_session, maya_session)
"""
)

REPLY = "We keep 40 varieties of sorghum in clay pots."


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    env = migrated_site(tmp_path_factory.mktemp("var"), FORUMS_NEW_MEMBER_APPROVALS="1")
    topic, nina, maya = shell(env, SETUP).split()[-3:]
    with Daphne(env) as server:
        yield {"base": server.base, "topic": int(topic), "sessions": {"nina": nina, "maya": maya}}


def signed_in(page, site, who: str):
    page.context.add_cookies(
        [{"name": "sessionid", "value": site["sessions"][who], "url": site["base"]}]
    )
    return page


def test_a_first_post_waits_for_approval(site, new_page, browser):
    topic_url = f"{site['base']}/forums/t/{site['topic']}/"
    nina = signed_in(new_page(), site, "nina")
    reader = new_page()
    reader.goto(topic_url)
    expect(reader.locator("#topic[data-live=connected]")).to_have_count(1)

    nina.goto(topic_url)
    nina.get_by_label("Your reply").fill(REPLY)
    nina.get_by_role("button", name="Post reply").click()
    own = nina.locator(".post", has_text=REPLY)
    expect(own).to_be_visible()
    expect(own.get_by_text("Waiting for approval")).to_be_visible()

    # Not live, not on a fresh page (twice: the second read may come from the page cache).
    reader.wait_for_timeout(500)
    expect(reader.get_by_text(REPLY)).to_have_count(0)
    for _ in range(2):
        reader.reload()
        expect(reader.get_by_text(REPLY)).to_have_count(0)

    # The moderator's queue, on a phone, checked by axe (injected: bypass_csp).
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="en-GB", bypass_csp=True
    )
    try:
        maya = signed_in(context.new_page(), site, "maya")
        maya.goto(f"{site['base']}/forums/moderation/")
        waiting = maya.locator(".card", has_text=REPLY)
        expect(waiting).to_be_visible()
        violations = [v for v in run_axe(maya) if v["impact"] in BLOCKING_IMPACTS]
        assert not violations, describe("moderation queue (360 px)", violations)
        assert maya.evaluate("document.documentElement.scrollWidth <= 360")
        waiting.get_by_role("button", name="Approve").click()
        expect(maya.get_by_text("The post is approved and published.")).to_be_visible()
        expect(maya.get_by_text("No posts are waiting.")).to_be_visible()
    finally:
        context.close()

    # The signed-out reader sees it live, then on a fresh page; the newcomer is told.
    expect(reader.locator(".post", has_text=REPLY)).to_be_visible()
    reader.reload()
    expect(reader.locator(".post", has_text=REPLY)).to_be_visible()
    nina.goto(f"{site['base']}/forums/notifications/")
    expect(nina.get_by_text("was approved")).to_be_visible()
