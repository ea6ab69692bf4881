"""A membership change reaches open sockets: a member a coordinator removes is closed out of
the partnership's private topic with 4403 (as a member who left), and a requester whose
request is approved hears it on their notification socket."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from forums.models import Category
from forums.services import topic_create
from network import memberships
from network.models import LandscapePartnership, PartnershipRole
from network.services import partnership_membership_add
from tests.forums import conftest as forum_fixtures
from tests.forums.live_sockets import HOST, ORIGIN, open_topic, session_cookie

sync_thread_connections_closed = forum_fixtures.sync_thread_connections_closed

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sync_thread_connections_closed"),
]


def _room_with_coordinator_and_member(make_user):
    partnership = LandscapePartnership.objects.create(
        name="Kijabe Highlands", slug="kijabe", country="KE", region="africa"
    )
    coordinator, member = make_user(), make_user()
    partnership_membership_add(
        partnership=partnership, user=coordinator, role=PartnershipRole.COORDINATOR
    )
    partnership_membership_add(partnership=partnership, user=member)
    room = Category.objects.create(name="Kijabe room", slug="kijabe-room", partnership=partnership)
    topic = topic_create(author=coordinator, category=room, title="Nursery budget", body="Sums.")
    return partnership, coordinator, member, topic


async def test_a_removed_members_private_topic_socket_closes_with_4403(make_user):
    partnership, coordinator, member, topic = await database_sync_to_async(
        _room_with_coordinator_and_member
    )(make_user)
    socket = await open_topic(topic, member)
    await database_sync_to_async(memberships.membership_remove_by_coordinator)(
        partnership=partnership, coordinator=coordinator, user=member
    )
    output = await socket.receive_output(timeout=5)
    while output["type"] == "websocket.send":  # presence chatter before the close
        output = await socket.receive_output(timeout=5)
    assert output == {"type": "websocket.close", "code": 4403}


async def test_an_approved_requester_hears_it_on_their_notification_socket(make_user):
    partnership, coordinator, _member, _topic = await database_sync_to_async(
        _room_with_coordinator_and_member
    )(make_user)
    requester = await database_sync_to_async(make_user)()
    cookie = await database_sync_to_async(session_cookie)(requester)
    socket = WebsocketCommunicator(
        application, "/ws/notifications/", headers=[ORIGIN, HOST, cookie]
    )
    connected, _ = await socket.connect()
    assert connected
    hello = await socket.receive_json_from(timeout=5)
    assert (hello["type"], hello["unread"]) == ("hello", 0)
    join_request = await database_sync_to_async(memberships.join_request_create)(
        partnership=partnership, user=requester
    )
    await database_sync_to_async(memberships.join_request_approve)(
        join_request=join_request, coordinator=coordinator
    )
    frame = await socket.receive_json_from(timeout=5)
    assert frame["type"] == "notification"
    assert frame["unread"] == 1
    assert "Kijabe Highlands" in frame["html"]
    assert "approved" in frame["html"]
    await socket.disconnect()
