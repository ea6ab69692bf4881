"""Live topic pages in Chromium (the real live.js) through real faults: Redis killed under a
running daphne, and daphne itself killed and restarted on the same port. The page says live
updates are paused, the site keeps taking replies, and when the part comes back the page
reconnects, sends its last event id and shows what it missed exactly once, without a reload.

Redis is the test's own throwaway ``redis-server``, so this runs in both CI legs.
"""

from __future__ import annotations

import time

import pytest
from live_servers import MEMBER_WITH_SESSION, migrated_site
from playwright.sync_api import expect

from devservers import Daphne, RedisServer, shell

SETUP = (
    MEMBER_WITH_SESSION
    + """

alice, alice_session = member("alice", "Alice Achieng")
bruno, bruno_session = member("bruno", "Bruno Barros")
category = Category.objects.create(name="Open forum", slug="open-forum")
topic = topic_create(author=alice, category=category, title="Seed banks", body="Who runs one?")

from datetime import timedelta
from django.utils import timezone
from forums.dialogues import services as dialogue_services
from network.roles import Role
from network.services import user_add_role
host, _host_session = member("tomas", "Tomás Host")
user_add_role(user=host, role=Role.TRAINER)
now = timezone.now()
session = dialogue_services.dialogue_create(
    host=host, title="Water fund", starts_at=now, ends_at=now + timedelta(hours=2)
)
dialogue_services.dialogue_start(host=host, session=session)
print(topic.pk, session.pk, alice_session, bruno_session)
"""
)
PAUSED = "Live updates paused"
#: live.js backs off 1, 2, 4, 8, 16 s between attempts: allow a full step after recovery.
RECONNECT_MS = 45_000
#: A form post while Redis is dead: every cache call of the request first finds Redis gone, so
#: on a loaded machine the saved page can take longer than Playwright's default 5 s to show.
DEGRADED_MS = 20_000


def build_site(tmp_path_factory, name: str, **extra: str) -> dict:
    env = migrated_site(tmp_path_factory.mktemp(name), **extra)
    topic, session, alice, bruno = shell(env, SETUP).split()[-4:]
    daphne = Daphne(env)
    daphne.start()
    return {
        "env": env,
        "daphne": daphne,
        "topic": int(topic),
        "session": int(session),
        "alice": alice,
        "bruno": bruno,
    }


def page_for(new_page, site: dict, who: str):
    page = new_page()
    page.context.add_cookies(
        [{"name": "sessionid", "value": site[who], "url": site["daphne"].base}]
    )
    return page


def follow_topic(new_page, site: dict, who: str):
    page = page_for(new_page, site, who)
    page.goto(f"{site['daphne'].base}/forums/t/{site['topic']}/")
    expect(page.locator("#topic[data-live=connected]")).to_have_count(1)
    page.evaluate("window.__notReloaded = true")
    return page


def expect_shown_once(page, text: str) -> None:
    posts = page.locator(".post", has_text=text)
    expect(posts).to_have_count(1, timeout=RECONNECT_MS)
    expect(page.locator("[data-live-notice]")).to_be_hidden()
    # A later presence frame or a second resume must not add it again.
    time.sleep(1.5)
    expect(posts).to_have_count(1)
    assert page.evaluate("window.__notReloaded") is True


@pytest.fixture(scope="module")
def _redis_site(tmp_path_factory):
    """One site on its own Redis for the module: each test takes Redis down and brings it
    back, and leaves the site as it found it."""
    redis = RedisServer()
    redis.start()
    try:
        site = build_site(tmp_path_factory, "live-redis", REDIS_URL=redis.url)
        site["redis"] = redis
        yield site
        site["daphne"].stop()
    finally:
        redis.kill()


@pytest.fixture
def site_on_redis(_redis_site):
    """The module's site, with its Redis running when the test starts (also after a test
    that failed while Redis was down)."""
    if _redis_site["redis"].process is None:
        _redis_site["redis"].start()
    return _redis_site


@pytest.fixture(scope="module")
def embedded_site(tmp_path_factory):
    site = build_site(tmp_path_factory, "live-restart")
    yield site
    site["daphne"].stop()


def test_redis_down_pauses_live_updates_and_they_resume_with_the_missed_reply(
    site_on_redis, new_page
):
    bruno = follow_topic(new_page, site_on_redis, "bruno")
    log = site_on_redis["daphne"].log
    logged_before = len(log.read_text())  # the site is the module's: read only this test's lines

    site_on_redis["redis"].kill()
    expect(bruno.locator("[data-live-notice]")).to_contain_text(PAUSED, timeout=15_000)

    # Alice replies with the ordinary form while Redis is down: it is saved and shown to her.
    alice = page_for(new_page, site_on_redis, "alice")
    alice.goto(f"{site_on_redis['daphne'].base}/forums/t/{site_on_redis['topic']}/")
    alice.get_by_label("Your reply").fill("Our seed bank kept going without Redis.")
    alice.get_by_role("button", name="Post reply").click()
    expect(alice.locator(".post", has_text="without Redis")).to_have_count(1, timeout=DEGRADED_MS)
    assert "Could not broadcast" in log.read_text()[logged_before:]

    site_on_redis["redis"].start()  # same port
    expect_shown_once(bruno, "without Redis")


def test_redis_down_pauses_a_live_dialogue_room_and_chat_falls_back_to_a_form_post(
    site_on_redis, new_page
):
    room_url = f"{site_on_redis['daphne'].base}/forums/live/{site_on_redis['session']}/"
    bruno = page_for(new_page, site_on_redis, "bruno")
    bruno.goto(room_url)
    expect(bruno.locator("#room[data-live=connected]")).to_have_count(1)
    bruno.evaluate("window.__notReloaded = true")
    alice = page_for(new_page, site_on_redis, "alice")
    alice.goto(room_url)
    expect(alice.locator("#room[data-live=connected]")).to_have_count(1)

    site_on_redis["redis"].kill()
    for page in (alice, bruno):
        expect(page.locator("#room [data-live-notice]")).to_contain_text(PAUSED, timeout=15_000)

    # With the socket closed, Send is an ordinary form post: saved, and shown after the reload.
    alice.get_by_label("Message", exact=True).fill("Chat kept without Redis")
    alice.get_by_role("button", name="Send").click()
    expect(alice.locator(".chat li", has_text="Chat kept without Redis")).to_have_count(
        1, timeout=DEGRADED_MS
    )

    site_on_redis["redis"].start()
    messages = bruno.locator(".chat li", has_text="Chat kept without Redis")
    expect(messages).to_have_count(1, timeout=RECONNECT_MS)
    expect(bruno.locator("#room [data-live-notice]")).to_be_hidden()
    time.sleep(1.5)
    expect(messages).to_have_count(1)
    assert bruno.evaluate("window.__notReloaded") is True


def test_daphne_restart_mid_conversation_loses_no_post(embedded_site, new_page):
    bruno = follow_topic(new_page, embedded_site, "bruno")
    daphne = embedded_site["daphne"]

    daphne.kill()
    expect(bruno.locator("[data-live-notice]")).to_contain_text(PAUSED, timeout=15_000)

    # While no server runs, a reply reaches the database through the service.
    shell(
        embedded_site["env"],
        "from forums.models import Topic; from forums.services import post_create; "
        "from network.models import User; "
        f"topic = Topic.objects.get(pk={embedded_site['topic']}); "
        "post_create(author=User.objects.get(username='alice'), topic=topic, "
        "body='Written while the server was down.')",
    )

    daphne.start()  # same port
    expect_shown_once(bruno, "while the server was down")
