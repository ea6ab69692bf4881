"""Live topic sockets through the real ASGI stack (origin check, session auth, routing) and
the configured channel layer: in memory on the embedded default, Redis when REDIS_URL is set."""

from __future__ import annotations

import json
import time

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from forums import services
from forums.streams import MAX_FRAME_CHARS
from network.roles import Role
from network.services import partnership_membership_remove
from tests.forums.live_sockets import HOST, ORIGIN, receive_type, session_cookie

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sync_thread_connections_closed"),
]


async def open_socket(path: str, user=None, origin=ORIGIN) -> WebsocketCommunicator:
    headers = [origin, HOST]
    if user is not None:
        headers.append(await database_sync_to_async(session_cookie)(user))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def open_topic(topic, user=None) -> tuple[WebsocketCommunicator, dict]:
    communicator = await open_socket(f"/ws/forums/topics/{topic.pk}/", user)
    hello = await communicator.receive_json_from(timeout=5)
    assert hello["type"] == "hello"
    # Everyone in the group hears about the new reader; drain our own copy.
    presence = await communicator.receive_json_from(timeout=5)
    assert presence["type"] == "presence"
    return communicator, hello


async def test_new_post_reaches_a_reader_with_server_rendered_sanitised_html(make_user, topic):
    reader, _ = await open_topic(topic)
    author = await database_sync_to_async(make_user)()
    post = await database_sync_to_async(services.post_create)(
        author=author, topic=topic, body="Live **hello** <script>alert(1)</script>"
    )
    frame = await receive_type(reader, "post.created")
    assert frame["post"] == post.pk
    assert f'id="post-{post.pk}"' in frame["html"]
    assert "<strong>hello</strong>" in frame["html"]
    assert "<script" not in frame["html"]
    await reader.disconnect()


@pytest.mark.parametrize("bench_mode", [False, True])
async def test_only_bench_mode_tells_a_reader_when_the_server_broadcast(
    make_user, topic, settings, bench_mode
):
    """bench/run measures delivery alone (broadcast -> frame) from ``sent_at``; real pages
    never get it."""
    settings.BENCH_MODE = bench_mode
    reader, _ = await open_topic(topic)
    author = await database_sync_to_async(make_user)()
    before = time.time()
    await database_sync_to_async(services.post_create)(author=author, topic=topic, body="Hi")
    frame = await receive_type(reader, "post.created")
    if bench_mode:
        assert before <= frame["sent_at"] <= time.time()
    else:
        assert "sent_at" not in frame
    await reader.disconnect()


async def test_non_member_is_refused_a_private_topic_with_4403(make_user, private_topic):
    outsider = await database_sync_to_async(make_user)()
    for user in (None, outsider):
        communicator = await open_socket(f"/ws/forums/topics/{private_topic.pk}/", user)
        closing = await communicator.receive_output(timeout=5)
        assert closing == {"type": "websocket.close", "code": 4403}


async def test_member_may_open_a_private_topic(partner, private_topic):
    communicator, hello = await open_topic(private_topic, partner)
    assert hello["topic"] == private_topic.pk
    await communicator.disconnect()


async def test_unknown_topic_is_refused(learner):
    communicator = await open_socket("/ws/forums/topics/999999/", learner)
    assert (await communicator.receive_output(timeout=5))["code"] == 4403


async def test_foreign_origin_is_refused(topic):
    communicator = WebsocketCommunicator(
        application,
        f"/ws/forums/topics/{topic.pk}/",
        headers=[(b"origin", b"https://evil.example")],
    )
    connected, _ = await communicator.connect()
    assert not connected


async def test_reconnecting_client_replays_what_it_missed(make_user, topic):
    first, hello = await open_topic(topic)
    last_seen = hello["last_event"]
    await first.disconnect()
    author = await database_sync_to_async(make_user)()
    missed = [
        await database_sync_to_async(services.post_create)(author=author, topic=topic, body=text)
        for text in ("missed one", "missed two")
    ]
    second, _ = await open_topic(topic)
    await second.send_json_to({"type": "resume", "after": last_seen})
    replayed = [await receive_type(second, "post.created") for _ in missed]
    assert [frame["post"] for frame in replayed] == [post.pk for post in missed]
    assert replayed[0]["event"] < replayed[1]["event"]
    done = await receive_type(second, "resumed")
    assert done["count"] == 2
    await second.disconnect()


async def test_hidden_post_reaches_moderators_only(make_user, topic):
    member = await database_sync_to_async(make_user)()
    moderator = await database_sync_to_async(make_user)(Role.MODERATOR)
    member_socket, _ = await open_topic(topic, member)
    moderator_socket, _ = await open_topic(topic, moderator)
    post = await database_sync_to_async(lambda: topic.posts.get())()
    await database_sync_to_async(services.post_hide)(moderator=moderator, post=post, reason="spam")

    to_member = await receive_type(member_socket, "post.hidden")
    assert to_member["post"] == post.pk
    assert "html" not in to_member
    to_moderator = await receive_type(moderator_socket, "post.hidden")
    assert "Hidden" in to_moderator["html"]

    # A reaction on the hidden post later: the member hears it was hidden, never its text.
    await database_sync_to_async(services.reaction_toggle)(user=moderator, post=post, kind="like")
    later = await receive_type(member_socket, "post.hidden")
    assert "html" not in later
    await member_socket.disconnect()
    await moderator_socket.disconnect()


async def test_replay_does_not_leak_a_hidden_post(make_user, moderator, topic):
    author = await database_sync_to_async(make_user)()
    post = await database_sync_to_async(services.post_create)(
        author=author, topic=topic, body="oops"
    )
    await database_sync_to_async(services.post_hide)(moderator=moderator, post=post)
    reader, _ = await open_topic(topic)
    await reader.send_json_to({"type": "resume", "after": 0})
    frames = []
    while True:
        frame = await reader.receive_json_from(timeout=5)
        if frame["type"] == "resumed":
            break
        frames.append(frame)
    assert all("oops" not in json.dumps(frame) for frame in frames)
    assert any(frame["type"] == "post.hidden" and frame["post"] == post.pk for frame in frames)
    await reader.disconnect()


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("not json", "bad_json"),
        ("[1, 2]", "bad_shape"),
        ('{"no": "type"}', "bad_shape"),
        ('{"type": "launch_missiles"}', "unknown_type"),
        ('{"type": "resume", "after": "x"}', "bad_shape"),
        ('{"type": "resume", "after": -1}', "bad_shape"),
        (json.dumps({"type": "typing", "pad": "x" * MAX_FRAME_CHARS}), "too_large"),
    ],
)
async def test_malformed_frames_get_an_error_frame_and_the_socket_stays_open(topic, raw, code):
    reader, _ = await open_topic(topic)
    await reader.send_to(text_data=raw)
    error = await receive_type(reader, "error")
    assert error["code"] == code
    assert error["message"]
    await reader.send_json_to({"type": "heartbeat"})
    assert (await receive_type(reader, "presence"))["reading"] >= 1
    await reader.disconnect()


async def test_binary_frames_and_flooding_are_refused(topic):
    reader, _ = await open_topic(topic)
    await reader.send_to(bytes_data=b"\x00\x01")
    assert (await receive_type(reader, "error"))["code"] == "bad_frame"
    for _ in range(70):
        await reader.send_to(text_data='{"type": "heartbeat"}')
    codes = set()
    while True:
        output = await reader.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            assert output["code"] == 4429
            break
        frame = json.loads(output["text"])
        codes.add(frame.get("code"))
    assert "rate_limited" in codes


async def test_leaving_the_partnership_closes_the_private_socket(
    partnership, partner, private_topic
):
    communicator, _ = await open_topic(private_topic, partner)
    await database_sync_to_async(partnership_membership_remove)(
        partnership=partnership, user=partner
    )
    closing = await communicator.receive_output(timeout=5)
    assert closing == {"type": "websocket.close", "code": 4403}


async def test_presence_counts_readers_and_typing_reaches_the_others(make_user, topic):
    alice = await database_sync_to_async(make_user)(display_name="Alice")
    bob = await database_sync_to_async(make_user)()
    alice_socket, _ = await open_topic(topic, alice)
    bob_socket, hello = await open_topic(topic, bob)
    assert hello["reading"] == 2
    assert (await receive_type(alice_socket, "presence"))["reading"] == 2
    await alice_socket.send_json_to({"type": "typing"})
    typing = await receive_type(bob_socket, "typing")
    assert typing["name"] == "Alice"
    await bob_socket.disconnect()
    assert (await receive_type(alice_socket, "presence"))["reading"] == 1
    await alice_socket.disconnect()


async def test_anonymous_readers_cannot_send_typing(topic):
    reader, _ = await open_topic(topic)
    await reader.send_json_to({"type": "typing"})
    assert (await receive_type(reader, "error"))["code"] == "forbidden"
    await reader.disconnect()


async def test_notification_socket_delivers_a_mention_and_refuses_anonymous(make_user, topic):
    anonymous = await open_socket("/ws/notifications/")
    assert (await anonymous.receive_output(timeout=5))["code"] == 4403

    mentioned = await database_sync_to_async(make_user)(username="wanjiru")
    socket = await open_socket("/ws/notifications/", mentioned)
    assert (await socket.receive_json_from(timeout=5))["unread"] == 0
    author = await database_sync_to_async(make_user)(display_name="<b>Bold</b> Name")
    await database_sync_to_async(services.post_create)(
        author=author, topic=topic, body="What do you think, @wanjiru?"
    )
    frame = await socket.receive_json_from(timeout=5)
    assert frame["type"] == "notification"
    assert frame["unread"] == 1
    assert "mentioned you" in frame["html"]
    assert "<b>Bold</b>" not in frame["html"]
    await socket.disconnect()


async def test_private_mentions_never_reach_outsiders_sockets(make_user, private_topic):
    outsider = await database_sync_to_async(make_user)(username="outsider2")
    socket = await open_socket("/ws/notifications/", outsider)
    await socket.receive_json_from(timeout=5)
    await database_sync_to_async(services.post_create)(
        author=private_topic.author, topic=private_topic, body="Ping @outsider2"
    )
    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()


async def test_heartbeat_answer_carries_the_stream_position_so_a_client_can_catch_up(
    make_user, topic
):
    reader, hello = await open_topic(topic)
    author = await database_sync_to_async(make_user)()
    post = await database_sync_to_async(services.post_create)(author=author, topic=topic, body="x")
    await receive_type(reader, "post.created")
    await reader.send_json_to({"type": "heartbeat"})
    beat = await receive_type(reader, "presence")
    assert beat["last_event"] > hello["last_event"]
    await reader.send_json_to({"type": "resume", "after": hello["last_event"]})
    assert (await receive_type(reader, "post.created"))["post"] == post.pk
    assert (await receive_type(reader, "resumed"))["last_event"] == beat["last_event"]
    await reader.disconnect()
