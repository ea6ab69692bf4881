"""What the live-forum tests share: a signed-in cookie, a topic socket that has said hello,
and the next frame of a given type."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application

ORIGIN = (b"origin", b"http://127.0.0.1:8000")
#: What a browser on that origin sends as Host (the origin check compares scheme, host, port).
HOST = (b"host", b"127.0.0.1:8000")


def session_cookie(user) -> tuple[bytes, bytes]:
    client = Client()
    client.force_login(user)
    return (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())


async def open_topic(topic, user=None, *, lang: str = "") -> WebsocketCommunicator:
    headers = [ORIGIN, HOST]
    if user is not None:
        headers.append(await database_sync_to_async(session_cookie)(user))
    query = f"?lang={lang}" if lang else ""
    communicator = WebsocketCommunicator(
        application, f"/ws/forums/topics/{topic.pk}/{query}", headers=headers
    )
    connected, _ = await communicator.connect()
    assert connected
    assert (await receive_type(communicator, "hello"))["topic"] == topic.pk
    return communicator


async def receive_type(communicator, wanted: str, timeout: float = 5) -> dict:
    """The next frame of a type, skipping presence/typing chatter."""
    while True:
        frame = await communicator.receive_json_from(timeout=timeout)
        if frame["type"] == wanted:
            return frame
        assert frame["type"] in {"presence", "typing"}, frame
