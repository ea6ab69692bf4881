"""A socket lives no longer than the sign-in and the access it was opened with.

Channels authenticates a socket once, at the handshake. These tests end the sign-in the ways
a member or an administrator does (logging out through the site, deactivation, a password
change, a session gone without a word) and lose a membership, and check that the socket closes
or stops, and that ``resume`` never replays the stream to an ended sign-in. Real ASGI stack and
the configured channel layer (in memory by default, Redis when REDIS_URL is set).
"""

from __future__ import annotations

import json
from datetime import timedelta
from importlib import import_module

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from config.asgi import application
from forums import services
from forums.dialogues import services as dialogue_services
from network.roles import Role
from network.services import partnership_membership_remove
from tests.forums.live_sockets import HOST, ORIGIN, receive_type

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sync_thread_connections_closed"),
]

SIGNED_OUT = {"type": "websocket.close", "code": 4401}
FORBIDDEN = {"type": "websocket.close", "code": 4403}


def signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


async def open_path(path: str, client: Client) -> WebsocketCommunicator:
    cookie = (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())
    communicator = WebsocketCommunicator(application, path, headers=[ORIGIN, HOST, cookie])
    connected, _ = await communicator.connect()
    assert connected
    assert (await receive_type(communicator, "hello"))["type"] == "hello"
    return communicator


async def closing(communicator) -> dict:
    """The close the socket sends next, past the presence and typing chatter."""
    while True:
        output = await communicator.receive_output(timeout=5)
        if output["type"] != "websocket.send":
            return output
        assert json.loads(output["text"])["type"] in {"presence", "typing"}, output


async def sent_frames_until_quiet(communicator) -> list[dict]:
    """Every text frame the socket sends before it goes quiet (a close is not a frame)."""
    frames = []
    while not await communicator.receive_nothing(timeout=0.5):
        output = await communicator.receive_output()
        if output["type"] == "websocket.send":
            frames.append(json.loads(output["text"]))
    return frames


async def test_logout_closes_the_socket_and_a_resume_afterwards_replays_nothing(
    partner, private_topic
):
    client = await database_sync_to_async(signed_in_client)(partner)
    socket = await open_path(f"/ws/forums/topics/{private_topic.pk}/", client)
    await database_sync_to_async(client.post)(reverse("account_logout"))
    assert await closing(socket) == SIGNED_OUT

    await database_sync_to_async(services.post_create)(
        author=private_topic.author, topic=private_topic, body="After the logout"
    )
    await socket.send_json_to({"type": "resume", "after": 0})
    frames = await sent_frames_until_quiet(socket)
    assert not [frame for frame in frames if frame["type"] != "presence"], frames


async def test_logout_leaves_the_members_other_sign_ins_open(partner, private_topic):
    phone = await database_sync_to_async(signed_in_client)(partner)
    laptop = await database_sync_to_async(signed_in_client)(partner)
    on_phone = await open_path(f"/ws/forums/topics/{private_topic.pk}/", phone)
    on_laptop = await open_path(f"/ws/forums/topics/{private_topic.pk}/", laptop)
    await database_sync_to_async(phone.post)(reverse("account_logout"))
    assert await closing(on_phone) == SIGNED_OUT
    post = await database_sync_to_async(services.post_create)(
        author=private_topic.author, topic=private_topic, body="Still here on the laptop"
    )
    assert (await receive_type(on_laptop, "post.created"))["post"] == post.pk
    await on_laptop.disconnect()


async def test_a_session_that_ended_unannounced_gets_no_replay(partner, private_topic):
    """The doorbell may not ring (a session expired, a store emptied by hand): ``resume``
    reads the sign-in itself before replaying anything."""
    client = await database_sync_to_async(signed_in_client)(partner)
    socket = await open_path(f"/ws/forums/topics/{private_topic.pk}/", client)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    await database_sync_to_async(store(client.cookies["sessionid"].value).delete)()
    await socket.send_json_to({"type": "resume", "after": 0})
    assert await closing(socket) == SIGNED_OUT
    assert await sent_frames_until_quiet(socket) == []


@pytest.mark.parametrize("change", ["deactivate", "new password", "delete"])
async def test_an_account_change_that_ends_the_sign_in_closes_every_socket(
    partner, private_topic, change
):
    client = await database_sync_to_async(signed_in_client)(partner)
    topic_socket = await open_path(f"/ws/forums/topics/{private_topic.pk}/", client)
    notifications = await open_path("/ws/notifications/", client)

    def end_sign_in() -> None:
        if change == "deactivate":
            partner.is_active = False
            partner.save()
        elif change == "new password":
            partner.set_password("an entirely new password")
            partner.save(update_fields=["password"])
        else:
            partner.delete()

    await database_sync_to_async(end_sign_in)()
    assert await closing(topic_socket) == SIGNED_OUT
    assert await closing(notifications) == SIGNED_OUT


async def test_a_login_elsewhere_does_not_close_a_socket(partner, private_topic):
    """Saves that cannot end a sign-in (``last_login`` at each login) ring nothing."""
    client = await database_sync_to_async(signed_in_client)(partner)
    socket = await open_path(f"/ws/forums/topics/{private_topic.pk}/", client)
    await database_sync_to_async(signed_in_client)(partner)
    post = await database_sync_to_async(services.post_create)(
        author=private_topic.author, topic=private_topic, body="Still open"
    )
    assert (await receive_type(socket, "post.created"))["post"] == post.pk
    await socket.disconnect()


async def test_losing_the_membership_closes_a_private_dialogue_room(
    make_user, partner, partnership, private_category
):
    def private_live_session():
        host = make_user(Role.TRAINER)
        from network.services import partnership_membership_add

        partnership_membership_add(partnership=partnership, user=host)
        now = timezone.now()
        session = dialogue_services.dialogue_create(
            host=host,
            title="Partners only",
            starts_at=now,
            ends_at=now + timedelta(hours=1),
            category=private_category,
        )
        return dialogue_services.dialogue_start(host=host, session=session)

    session = await database_sync_to_async(private_live_session)()
    client = await database_sync_to_async(signed_in_client)(partner)
    room = await open_path(f"/ws/dialogues/{session.pk}/", client)
    await database_sync_to_async(partnership_membership_remove)(
        partnership=partnership, user=partner
    )
    assert await closing(room) == FORBIDDEN
    await room.send_json_to({"type": "resume", "after": 0})
    assert await sent_frames_until_quiet(room) == []
