"""Sockets without an account are cheap to open: a limit per client address, and a cap on
what they add to "reading now". (An outside test pushed "reading now" from 2 to 152 with 150
anonymous sockets.) Real ASGI stack and channel layer; the address is the one daphne puts in
the scope, or the trusted proxy's ``X-Forwarded-For`` entry."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from tests.forums.live_sockets import HOST, ORIGIN, receive_type, session_cookie

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sync_thread_connections_closed"),
]


async def connect(topic, address: str, *extra, user=None) -> tuple[WebsocketCommunicator, dict]:
    headers = [ORIGIN, HOST, *extra]
    if user is not None:
        headers.append(await database_sync_to_async(session_cookie)(user))
    communicator = WebsocketCommunicator(
        application, f"/ws/forums/topics/{topic.pk}/", headers=headers
    )
    communicator.scope["client"] = (address, 40000)
    connected, _ = await communicator.connect()
    assert connected
    return communicator, await communicator.receive_output(timeout=5)


async def test_anonymous_sockets_are_limited_per_address_and_minute(settings, topic, learner):
    settings.FORUMS_ANONYMOUS_SOCKETS_PER_MINUTE = 3
    opened = []
    for _ in range(3):
        socket, first = await connect(topic, "203.0.113.5")
        assert first["type"] == "websocket.send"  # hello
        opened.append(socket)
    _, refused = await connect(topic, "203.0.113.5")
    assert refused == {"type": "websocket.close", "code": 4429}

    other, first = await connect(topic, "203.0.113.6")
    assert first["type"] == "websocket.send", "another address has its own allowance"
    member, first = await connect(topic, "203.0.113.5", user=learner)
    assert first["type"] == "websocket.send", "signed-in members are not counted"
    for socket in [*opened, other, member]:
        await socket.disconnect()


async def test_behind_the_trusted_proxy_each_browser_has_its_own_allowance(settings, topic):
    """Every socket arrives from the proxy's address; the browser's is in X-Forwarded-For."""
    settings.FORUMS_ANONYMOUS_SOCKETS_PER_MINUTE = 1
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    sockets = []
    for browser in ("198.51.100.1", "198.51.100.2"):
        forwarded = (b"x-forwarded-for", f"10.9.9.9, {browser}".encode())
        socket, first = await connect(topic, "172.18.0.5", forwarded)
        assert first["type"] == "websocket.send"
        sockets.append(socket)
    forwarded = (b"x-forwarded-for", b"198.51.100.1")
    _, refused = await connect(topic, "172.18.0.5", forwarded)
    assert refused["code"] == 4429
    for socket in sockets:
        await socket.disconnect()


async def test_anonymous_sockets_add_at_most_a_few_to_reading_now(settings, topic, learner):
    settings.FORUMS_PRESENCE_MAX_ANONYMOUS = 2
    member, _ = await connect(topic, "192.0.2.1", user=learner)
    anonymous = [(await connect(topic, f"192.0.2.{n}"))[0] for n in range(10, 15)]
    # Each socket counted itself before its hello; the heartbeat's answer counts afresh.
    await member.send_json_to({"type": "heartbeat"})
    answer = await receive_type(member, "presence")
    while "last_event" not in answer:  # skip the group's announcements
        answer = await receive_type(member, "presence")
    assert answer["reading"] == 3  # the member and two of the five anonymous sockets
    for socket in [member, *anonymous]:
        await socket.disconnect()
