"""The writer prepares its own process's readers' renderings before the broadcast
(``forums.consumers.prime_local_readers``). These tests hold that what a reader gets from the
writer is exactly what it would have rendered itself, that nobody gets a rendering they may not
see, and that the writer's list of readers follows sockets opening and closing. Through the
real ASGI stack and the configured channel layer (in memory, or Redis when REDIS_URL is set)."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from channels.db import database_sync_to_async
from django.utils import translation

from forums import consumers, selectors, services
from forums.models import TopicEvent
from forums.rendering import render_post
from network.roles import Role
from tests.forums.live_sockets import open_topic, receive_type

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sync_thread_connections_closed"),
]


def shared_entry(key: tuple):
    """What this loop's readers share under ``key`` (None if nothing)."""
    table = consumers._shared_tables.get(asyncio.get_running_loop()) or {}
    entry = table.get(key)
    return entry[1].result() if entry is not None and entry[1].done() else None


def expected_html(post_id: int, user, language: str) -> str:
    """What a reader renders for itself, fresh from the database."""
    post = selectors.post_for_render(post_id)
    topic = type(post.topic).objects.select_related("category").get(pk=post.topic_id)
    with translation.override(language):
        return render_post(post, user, topic)


async def test_each_reader_gets_what_it_would_render_itself(make_user, topic):
    from django.contrib.auth.models import AnonymousUser

    author = await database_sync_to_async(make_user)()
    member = await database_sync_to_async(make_user)()
    moderator = await database_sync_to_async(make_user)(Role.MODERATOR)
    readers = {
        "anonymous": (await open_topic(topic), AnonymousUser()),
        "member": (await open_topic(topic, member), member),
        "author": (await open_topic(topic, author), author),
        "moderator": (await open_topic(topic, moderator), moderator),
    }
    post = await database_sync_to_async(services.post_create)(
        author=author, topic=topic, body="Prepared **before** the broadcast"
    )
    event = await database_sync_to_async(lambda: TopicEvent.objects.get(post=post))()

    # The writer handed the event over: the readers' shared snapshot came with no rendering
    # of a first reader, which is how their own trip to the database thread would have left it.
    snapshot, first = shared_entry(("event", event.pk, topic.pk))
    assert snapshot[1].pk == event.pk and first is None
    seen = set()
    for name, (socket, user) in readers.items():
        frame = await receive_type(socket, "post.created")
        assert frame["post"] == post.pk
        expected = await database_sync_to_async(expected_html)(post.pk, user, "en")
        assert frame["html"] == expected, name
        seen.add(frame["html"])
    assert len(seen) == 4  # four roles, four renderings: no reader got another's
    for socket, _user in readers.values():
        await socket.disconnect()


async def test_a_reader_who_may_not_see_the_post_gets_no_rendering_of_it(make_user, topic):
    member = await database_sync_to_async(make_user)()
    moderator = await database_sync_to_async(make_user)(Role.MODERATOR)
    post = await database_sync_to_async(services.post_create)(
        author=member, topic=topic, body="Soon hidden"
    )
    member_socket = await open_topic(topic, member)
    moderator_socket = await open_topic(topic, moderator)

    await database_sync_to_async(services.post_hide)(moderator=moderator, post=post, reason="x")
    event = await database_sync_to_async(
        lambda: TopicEvent.objects.filter(post=post).latest("pk")
    )()

    to_member = await receive_type(member_socket, "post.hidden")
    assert to_member["post"] == post.pk and "html" not in to_member
    to_moderator = await receive_type(moderator_socket, "post.hidden")
    assert "Soon hidden" in to_moderator["html"]
    # Only the moderator's variant was prepared: no rendering for a non-moderator exists.
    table = consumers._shared_tables[asyncio.get_running_loop()]
    prepared = [key for key in table if key[:2] == ("html", event.pk)]
    # Keys are ("html", event, language, signed in, moderator, author, own reactions).
    assert prepared and all(key[4] is True for key in prepared)
    await member_socket.disconnect()
    await moderator_socket.disconnect()


async def test_the_writer_knows_only_open_sockets(make_user, topic):
    reader = await open_topic(topic)
    assert len(consumers._local_readers[topic.pk]) == 1
    await reader.disconnect()
    assert topic.pk not in consumers._local_readers

    # No reader left: the writer reads nothing and waits for nobody.
    post = await database_sync_to_async(services.post_create)(
        author=await database_sync_to_async(make_user)(), topic=topic, body="Nobody here"
    )
    event = await database_sync_to_async(lambda: TopicEvent.objects.get(post=post))()
    assert await database_sync_to_async(consumers.prime_local_readers)(topic.pk, event.pk) is None


async def test_a_consumer_that_ends_without_disconnecting_is_forgotten(topic):
    """The writer waits for every reader it counted: a consumer that ended any other way
    (crashed, cancelled by the server) must not stay on its list."""
    reader = await open_topic(topic)
    assert len(consumers._local_readers[topic.pk]) == 1
    reader.future.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await reader.future
    assert topic.pk not in consumers._local_readers
