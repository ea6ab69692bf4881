"""Following and joining a partnership in a real browser, without JavaScript doing the work:
a member follows it, asks to join with a message, the partnership's coordinator approves on
the coordinators' page, and the new member then reads the partnership's private forum room,
is listed on its page, and finds the private forum on the partnership's home."""

from __future__ import annotations

import pytest
from live_servers import MEMBER_WITH_SESSION, migrated_site
from playwright.sync_api import expect

from devservers import Daphne, shell

SETUP = (
    MEMBER_WITH_SESSION
    + """
from network.models import LandscapePartnership, PartnershipRole
from network.services import partnership_membership_add

cora, cora_session = member("cora", "Cora Coordinator")
nia, nia_session = member("nia", "Nia Newcomer")
partnership = LandscapePartnership.objects.create(
    name="Kijabe Highlands", slug="kijabe-join", country="KE", region="africa"
)
partnership_membership_add(partnership=partnership, user=cora, role=PartnershipRole.COORDINATOR)
room = Category.objects.create(name="Kijabe room", slug="kijabe-room", partnership=partnership)
topic_create(author=cora, category=room, title="Nursery budget", body="Numbers for members.")
print(cora_session, nia_session)
"""
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    env = migrated_site(tmp_path_factory.mktemp("var"))
    cora, nia = shell(env, SETUP).split()[-2:]
    with Daphne(env) as server:
        yield {"base": server.base, "sessions": {"cora": cora, "nia": nia}}


def page_for(new_page, site, who: str):
    page = new_page()
    page.context.add_cookies(
        [{"name": "sessionid", "value": site["sessions"][who], "url": site["base"]}]
    )
    return page


def test_ask_to_join_then_a_coordinator_approves_and_the_private_room_opens(site, new_page):
    partnership_url = f"{site['base']}/network/partnerships/kijabe-join/"
    room_url = f"{site['base']}/forums/c/kijabe-room/"
    nia = page_for(new_page, site, "nia")

    # Nia follows the partnership first (its news, without joining), and can stop again.
    nia.goto(partnership_url)
    nia.get_by_role("button", name="Follow", exact=True).click()
    expect(nia).to_have_url(partnership_url)
    expect(nia.get_by_text("You follow Kijabe Highlands: its news reach your")).to_be_visible()
    expect(nia.get_by_text("1 follower", exact=True)).to_be_visible()
    expect(nia.get_by_role("button", name="Unfollow")).to_be_visible()

    # Nia asks, with a message; the page then says the request is pending.
    nia.get_by_role("link", name="Ask to join").click()
    nia.get_by_label("Message to the coordinators").fill("I run a tree nursery in Kijabe.")
    nia.get_by_role("button", name="Ask to join").click()
    expect(nia).to_have_url(partnership_url)
    expect(nia.get_by_text("Pending: your request to join")).to_be_visible()
    expect(nia.locator("#home-forum")).to_have_count(0)  # not a member yet: no private part
    response = nia.goto(room_url)
    assert response is not None and response.status == 404

    # Cora, the coordinator, reads the message and approves.
    cora = page_for(new_page, site, "cora")
    cora.goto(partnership_url)
    cora.get_by_role("link", name="Manage members").click()
    expect(cora.get_by_text("I run a tree nursery in Kijabe.")).to_be_visible()
    cora.get_by_role("button", name="Approve Nia Newcomer").click()
    expect(cora.get_by_text("Nia Newcomer is now a member.")).to_be_visible()
    expect(cora.get_by_text("No one is waiting for an answer.")).to_be_visible()

    # Nia now reads the private room, is listed as a member, and was told.
    response = nia.goto(room_url)
    assert response is not None and response.status == 200
    expect(nia.get_by_role("link", name="Nursery budget")).to_be_visible()
    nia.goto(partnership_url)
    expect(nia.get_by_text("You are a member of this partnership.")).to_be_visible()
    expect(nia.locator(".profile").get_by_role("link", name="Nia Newcomer")).to_be_visible()
    # The partnership's home now shows her its private forum: the room and its latest topic.
    forum = nia.locator("#home-forum")
    expect(forum.get_by_role("heading", name="Members' forum")).to_be_visible()
    expect(forum.get_by_role("link", name="Kijabe room")).to_be_visible()
    forum.get_by_role("link", name="Nursery budget").click()
    expect(nia.get_by_role("heading", name="Nursery budget")).to_be_visible()
    nia.goto(f"{site['base']}/forums/notifications/")
    expect(nia.get_by_text("your request to join was approved")).to_be_visible()
