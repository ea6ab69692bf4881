"""The header's unread count and the moderators' queue, live over the real ASGI stack (origin
check, session auth, routing) and the configured channel layer: in memory on the embedded
default, Redis when REDIS_URL is set."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth.models import Group

from forums import services
from network.roles import Role
from tests.forums.test_consumers import open_socket

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sync_thread_connections_closed"),
]


async def test_the_header_count_follows_a_members_own_notifications_only(make_user, topic):
    mentioned = await database_sync_to_async(make_user)(username="amara")
    bystander = await database_sync_to_async(make_user)()
    mine = await open_socket("/ws/notifications/", mentioned)
    theirs = await open_socket("/ws/notifications/", bystander)
    hello = await mine.receive_json_from(timeout=5)
    assert (hello["unread"], hello["badge"]) == (0, "")
    await theirs.receive_json_from(timeout=5)

    for expected in (1, 2):
        await database_sync_to_async(services.post_create)(
            author=topic.author, topic=topic, body=f"@amara, see this ({expected})"
        )
        frame = await mine.receive_json_from(timeout=5)
        assert frame["unread"] == expected
        # The header's own include: the badge and the words a screen reader hears.
        assert f'<span class="count-badge" aria-hidden="true">{expected}</span>' in frame["badge"]
        assert f"({expected} unread)" in frame["badge"]
    # Nobody else's socket hears of it (each listens on its own user group only).
    assert await theirs.receive_nothing(timeout=0.3)
    await mine.disconnect()
    await theirs.disconnect()


async def test_the_queue_updates_live_when_a_post_is_held_or_reported(
    settings, make_user, moderator, topic
):
    settings.FORUMS_NEW_MEMBER_APPROVALS = 1  # after the topic's own opening post
    socket = await open_socket("/ws/forums/moderation/", moderator)
    assert (await socket.receive_json_from(timeout=5))["type"] == "hello"

    newcomer = await database_sync_to_async(make_user)()
    held = await database_sync_to_async(services.post_create)(
        author=newcomer, topic=topic, body="My first words on **terraces**"
    )
    assert held.awaiting_approval
    frame = await socket.receive_json_from(timeout=5)
    assert (frame["type"], frame["waiting"], frame["reports"]) == ("queue", 1, 0)
    assert f'id="waiting-{held.pk}"' in frame["html"]
    assert "<strong>terraces</strong>" in frame["html"]

    reporter = await database_sync_to_async(make_user)()
    opening = await database_sync_to_async(topic.posts.first)()
    await database_sync_to_async(services.post_flag)(
        reporter=reporter, post=opening, reason="Off topic"
    )
    frame = await socket.receive_json_from(timeout=5)
    assert (frame["waiting"], frame["reports"]) == (1, 1)
    assert "Off topic" in frame["html"]
    await socket.disconnect()


async def test_only_moderators_hear_the_queue_and_only_what_they_may_see(
    make_user, moderator, partner, private_topic, topic
):
    for user in (None, partner):
        refused = await open_socket("/ws/forums/moderation/", user)
        assert await refused.receive_output(timeout=5) == {"type": "websocket.close", "code": 4403}
    socket = await open_socket("/ws/forums/moderation/", moderator)
    await socket.receive_json_from(timeout=5)
    opening = await database_sync_to_async(private_topic.posts.first)()
    await database_sync_to_async(services.post_flag)(reporter=partner, post=opening, reason="x")
    assert await socket.receive_nothing(timeout=0.3)

    def lose_role() -> None:
        moderator.groups.remove(Group.objects.get(name=Role.MODERATOR.value))
        reporter = make_user()
        services.post_flag(reporter=reporter, post=topic.posts.first(), reason="Spam")

    await database_sync_to_async(lose_role)()
    assert await socket.receive_output(timeout=5) == {"type": "websocket.close", "code": 4403}
