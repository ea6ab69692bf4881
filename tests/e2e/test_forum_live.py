"""Two people on one topic in two browser contexts, served by a real daphne: A's reply appears
on B's page without a reload; B reacts and A sees the count change; a partnership's private
topic stays invisible to an outsider (page, WebSocket and notifications)."""

from __future__ import annotations

import pytest
from live_servers import MEMBER_WITH_SESSION, migrated_site
from playwright.sync_api import expect

from devservers import Daphne, shell

SETUP = (
    MEMBER_WITH_SESSION
    + """
from network.models import LandscapePartnership
from network.services import partnership_membership_add

alice, alice_session = member("alice", "Alice Achieng")
bruno, bruno_session = member("bruno", "Bruno Barros")
olga, olga_session = member("olga", "Olga Outsider")
partnership = LandscapePartnership.objects.create(
    name="Kijabe", slug="kijabe-e2e", country="KE", region="africa"
)
partnership_membership_add(partnership=partnership, user=alice)
public = Category.objects.create(name="Open forum", slug="open-forum")
private = Category.objects.create(name="Kijabe room", slug="kijabe-room", partnership=partnership)
topic = topic_create(author=alice, category=public, title="Seed banks", body="Who runs one?")
secret = topic_create(author=alice, category=private, title="Secret budget", body="Numbers")
print(topic.pk, secret.pk, alice_session, bruno_session, olga_session)
"""
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    env = migrated_site(tmp_path_factory.mktemp("var"))
    topic, secret, alice, bruno, olga = shell(env, SETUP).split()[-5:]
    with Daphne(env) as server:
        yield {
            "base": server.base,
            "topic": int(topic),
            "secret": int(secret),
            "sessions": {"alice": alice, "bruno": bruno, "olga": olga},
        }


def page_for(new_page, site, who: str):
    page = new_page()
    page.context.add_cookies(
        [{"name": "sessionid", "value": site["sessions"][who], "url": site["base"]}]
    )
    return page


def test_reply_appears_live_reaction_counts_update_and_private_topic_stays_hidden(site, new_page):
    topic_url = f"{site['base']}/forums/t/{site['topic']}/"
    alice = page_for(new_page, site, "alice")
    bruno = page_for(new_page, site, "bruno")
    alice.goto(topic_url)
    bruno.goto(topic_url)
    expect(bruno.locator("#topic[data-live=connected]")).to_have_count(1)
    bruno.evaluate("window.__notReloaded = true")

    # Alice replies with the plain form; Bruno's page shows it without reloading.
    alice.get_by_label("Your reply").fill("We run one in Kijabe: 140 varieties so far.")
    alice.get_by_role("button", name="Post reply").click()
    new_post = bruno.locator(".post", has_text="140 varieties")
    expect(new_post).to_be_visible()
    assert bruno.evaluate("window.__notReloaded") is True
    expect(bruno.get_by_text("reading now")).to_be_visible()

    # Bruno reacts (a form post: his page reloads); Alice sees the count change live.
    expect(alice.locator("#topic[data-live=connected]")).to_have_count(1)
    alice.evaluate("window.__notReloaded = true")
    post_id = new_post.get_attribute("data-post")
    bruno.locator(f"#post-{post_id}").get_by_role("button", name="Thanks").click()
    expect(alice.locator(f'#post-{post_id} [data-reaction-count="thanks"]')).to_have_text("1")
    assert alice.evaluate("window.__notReloaded") is True

    # Alice mentions Olga in the private topic; Olga sees no trace of it anywhere.
    secret_url = f"{site['base']}/forums/t/{site['secret']}/"
    alice.goto(secret_url)
    alice.get_by_label("Your reply").fill("@olga should not see this")
    alice.get_by_role("button", name="Post reply").click()
    expect(alice.get_by_text("should not see this")).to_be_visible()

    olga = page_for(new_page, site, "olga")
    response = olga.goto(secret_url)
    assert response.status == 404
    olga.goto(f"{site['base']}/forums/")
    expect(olga.get_by_text("Kijabe room")).to_have_count(0)
    olga.goto(f"{site['base']}/forums/notifications/")
    expect(olga.get_by_text("Secret budget")).to_have_count(0)
    close_code = olga.evaluate(
        """(topic) => new Promise((resolve) => {
            const socket = new WebSocket(`ws://${location.host}/ws/forums/topics/${topic}/`);
            socket.onclose = (event) => resolve(event.code);
        })""",
        site["secret"],
    )
    assert close_code == 4403
