"""A scheduled dialogue opens and closes by itself: a member waits in the room of a session
that has not started; the clock (a separate process, as the scheduler and worker are in
production) runs with time moved forward to the start, and the room says "opened" without
anyone pressing Start; the host's chat message arrives with its time in the member's own zone
(Tokyo), not the server's UTC; the clock runs at the end, the room says "closed" and links the
transcript, which says when the session actually ran.

The clock's process and daphne share a Redis of their own (``devservers.RedisServer``), so the
clock's broadcast reaches the sockets daphne holds, as in production. Nothing sleeps: the clock
is called with ``now`` at the start and at the end."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from live_servers import MEMBER_WITH_SESSION, migrated_site
from playwright.sync_api import expect

from devservers import Daphne, RedisServer, shell

SETUP = (
    MEMBER_WITH_SESSION
    + """
from datetime import timedelta
from django.utils import timezone
from forums.dialogues.services import dialogue_create
from network.roles import Role
from network.services import user_add_role

host, host_session = member("hana", "Hana Host")
user_add_role(user=host, role=Role.TRAINER)
guest, guest_session = member("kenji", "Kenji Guest")
guest.time_zone = "Asia/Tokyo"
guest.save(update_fields=["time_zone"])
start = (timezone.now() + timedelta(minutes=30)).replace(second=0, microsecond=0)
session = dialogue_create(
    host=host, title="Terraces at dawn", starts_at=start, ends_at=start + timedelta(hours=1)
)
print(session.pk, guest_session)
"""
)

CLOCK_AT = """
from datetime import timedelta
from forums.dialogues.schedule import dialogue_clock
from forums.models import DialogueSession

session = DialogueSession.objects.get(pk={pk})
ran = dialogue_clock(now=session.{edge} + timedelta(seconds=5))
print(ran.opened, ran.closed)
"""

HOST_SAYS = """
from forums.dialogues.services import dialogue_message_post
from forums.models import DialogueSession

session = DialogueSession.objects.get(pk={pk})
message = dialogue_message_post(author=session.host, session=session, body="Welcome, everyone")
print(message.created_at.isoformat())
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    redis = RedisServer()
    redis.start()
    try:
        env = migrated_site(tmp_path_factory.mktemp("var"), REDIS_URL=redis.url)
        session, guest = shell(env, SETUP).split()[-2:]
        with Daphne(env) as server:
            yield {"base": server.base, "env": env, "session": int(session), "guest": guest}
    finally:
        redis.kill()


def test_a_scheduled_dialogue_opens_and_closes_by_itself(site, new_page):
    page = new_page()
    page.context.add_cookies([{"name": "sessionid", "value": site["guest"], "url": site["base"]}])
    page.goto(f"{site['base']}/forums/live/{site['session']}/")
    room = page.locator("#room")
    expect(room.locator("[data-status]")).to_have_text("Scheduled")
    expect(page.get_by_label("Message")).to_have_count(0)
    expect(page.locator("#room[data-live=connected]")).to_have_count(1)

    # The clock's minute at the start: nobody presses Start.
    opened = shell(site["env"], CLOCK_AT.format(pk=site["session"], edge="starts_at"))
    assert opened.strip().splitlines()[-1].startswith(f"[{site['session']}] []"), opened
    expect(room.locator("[data-live-notice]")).to_have_text("The session is open.")
    expect(room.locator("[data-status]")).to_have_text("Live now")
    # The room reloads for its forms, and says when it actually opened.
    expect(page.get_by_label("Message")).to_be_visible()
    expect(room.locator("[data-ran]")).to_contain_text("Opened:")
    expect(page.locator("#room[data-live=connected]")).to_have_count(1)

    # A live fragment, rendered once in UTC for every reader, shows in the reader's zone.
    sent = datetime.datetime.fromisoformat(
        shell(site["env"], HOST_SAYS.format(pk=site["session"])).strip().splitlines()[-1]
    )
    message = page.locator(".chat-message", has_text="Welcome, everyone")
    expect(message).to_be_visible()
    tokyo = sent.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo")).strftime("%H:%M")
    expect(message.locator("time")).to_have_attribute("data-localised", "Asia/Tokyo")
    expect(message.locator("time")).to_have_text(tokyo)
    assert tokyo != sent.astimezone(datetime.UTC).strftime("%H:%M")

    # The clock's minute at the end: the session is archived with nobody pressing End.
    closed = shell(site["env"], CLOCK_AT.format(pk=site["session"], edge="ends_at"))
    assert closed.strip().splitlines()[-1].startswith(f"[] [{site['session']}]"), closed
    expect(room.locator("[data-live-notice]")).to_have_text(
        "The session has closed; its transcript is archived."
    )
    expect(room.locator("[data-status]")).to_have_text("Ended")
    expect(page.get_by_label("Message")).to_have_count(0)
    page.locator("[data-transcript]").click()
    expect(page.locator(".post").first).to_contain_text("it ran from")
