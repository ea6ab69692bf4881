"""Fan-out of topic events: each socket decides in memory (from the access it loaded at
connect) what its user may see, and readers share the event's rows and renderings. These tests
check that the sharing never lets one reader's view reach another, through the real ASGI stack
and the configured channel layer (in memory, or Redis when REDIS_URL is set)."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser

from forums import selectors, services
from network.models import LandscapePartnership
from network.roles import Role
from network.services import partnership_membership_add
from tests.forums.live_sockets import open_topic, receive_type


async def frames_until_closed(communicator, timeout: float = 5) -> tuple[list[dict], int]:
    """Every frame a socket gets until the server closes it, and the close code."""
    import json

    frames = []
    while True:
        output = await communicator.receive_output(timeout=timeout)
        if output["type"] == "websocket.close":
            return frames, output["code"]
        frames.append(json.loads(output["text"]))


@pytest.fixture
def other_partnership(db) -> LandscapePartnership:
    return LandscapePartnership.objects.create(
        name="Mau Forest", slug="mau-test", country="KE", region="africa"
    )


@pytest.mark.django_db
def test_in_memory_rule_agrees_with_the_database_rule(
    make_user, make_topic, category, private_category, partner, other_partnership
):
    """``topic_visible_with`` (what a socket checks per event) must say exactly what
    ``topic_visible_to`` (the query every page uses) says, for every kind of viewer."""
    outsider = make_user()
    partnership_membership_add(partnership=other_partnership, user=outsider)
    viewers = [
        AnonymousUser(),
        make_user(),
        partner,
        outsider,
        make_user(Role.MODERATOR),
        make_user(is_superuser=True),
        make_user(is_active=False),
    ]
    public, private = make_topic(category), make_topic(private_category)
    hidden_public, hidden_private = make_topic(category), make_topic(private_category)
    for topic in (hidden_public, hidden_private):
        topic.hidden = True
        topic.save(update_fields=["hidden"])
    for viewer in viewers:
        access = selectors.access_for(viewer)
        for topic in (public, private, hidden_public, hidden_private):
            loaded = type(topic).objects.select_related("category").get(pk=topic.pk)
            expected = selectors.topic_visible_to(viewer, topic.pk) is not None
            assert selectors.topic_visible_with(access, loaded) is expected, (viewer, topic)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("sync_thread_connections_closed")
async def test_one_broadcast_gives_each_reader_its_own_controls(make_user, topic):
    """Anonymous readers, members, the author and a moderator share one event; each gets
    the rendering for their own role, however the shared renderings were cached."""
    author = await database_sync_to_async(make_user)()
    member = await database_sync_to_async(make_user)()
    moderator = await database_sync_to_async(make_user)(Role.MODERATOR)
    sockets = {
        "anonymous": await open_topic(topic),
        "anonymous2": await open_topic(topic),
        "member": await open_topic(topic, member),
        "author": await open_topic(topic, author),
        "moderator": await open_topic(topic, moderator),
    }
    post = await database_sync_to_async(services.post_create)(
        author=author, topic=topic, body="Shared **once**"
    )
    html = {}
    for name, socket in sockets.items():
        frame = await receive_type(socket, "post.created")
        assert frame["post"] == post.pk
        assert "<strong>once</strong>" in frame["html"]
        html[name] = frame["html"]
    edit, hide, quote = f"/forums/p/{post.pk}/edit/", f"/p/{post.pk}/hide/", "?quote="
    assert html["anonymous"] == html["anonymous2"]
    assert quote not in html["anonymous"] and edit not in html["anonymous"]
    assert quote in html["member"] and edit not in html["member"] and hide not in html["member"]
    assert edit in html["author"] and hide not in html["author"]
    assert hide in html["moderator"] and "Suspend author" in html["moderator"]
    for socket in sockets.values():
        await socket.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("sync_thread_connections_closed")
async def test_topic_moved_into_a_private_room_leaves_outsiders_sockets(
    make_user, topic, partnership, private_category, other_partnership
):
    """A member of another partnership reading a public topic is closed (4403) when it
    moves into a partnership's private room, and never gets a post written there."""
    insider = await database_sync_to_async(make_user)()
    outsider = await database_sync_to_async(make_user)()
    moderator = await database_sync_to_async(make_user)(Role.MODERATOR)
    for user, where in ((insider, partnership), (outsider, other_partnership)):
        await database_sync_to_async(partnership_membership_add)(partnership=where, user=user)
    await database_sync_to_async(partnership_membership_add)(
        partnership=partnership, user=moderator
    )
    insider_socket = await open_topic(topic, insider)
    outsider_socket = await open_topic(topic, outsider)
    anonymous_socket = await open_topic(topic)

    await database_sync_to_async(services.topic_move)(
        moderator=moderator, topic=topic, category=private_category
    )
    post = await database_sync_to_async(services.post_create)(
        author=insider, topic=topic, body="Only for the partnership"
    )

    assert (await receive_type(insider_socket, "topic.changed"))["event"]
    assert (await receive_type(insider_socket, "post.created"))["post"] == post.pk
    for socket in (outsider_socket, anonymous_socket):
        frames, code = await frames_until_closed(socket)
        assert code == 4403
        assert all("html" not in frame and frame.get("post") != post.pk for frame in frames)
    await insider_socket.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("sync_thread_connections_closed")
async def test_a_hidden_topic_closes_readers_but_not_moderators(make_user, topic, moderator):
    reader = await open_topic(topic, await database_sync_to_async(make_user)())
    moderator_socket = await open_topic(topic, moderator)

    def hide_and_reply():
        topic.hidden = True
        topic.save(update_fields=["hidden"])
        return services.post_create(author=moderator, topic=topic, body="Behind the curtain")

    post = await database_sync_to_async(hide_and_reply)()
    frames, code = await frames_until_closed(reader)
    assert code == 4403
    assert all(frame.get("post") != post.pk for frame in frames)
    frame = await receive_type(moderator_socket, "post.created")
    assert "Behind the curtain" in frame["html"]
    await moderator_socket.disconnect()


def fresh_html(post_id: int, user, language: str) -> str:
    """What a reader would be sent if nothing were shared: rendered now, from the database."""
    from django.utils import translation

    from forums.rendering import render_post

    post = selectors.post_for_render(post_id)
    topic = type(post.topic).objects.select_related("category").get(pk=post.topic_id)
    with translation.override(language):
        return render_post(post, user, topic)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("sync_thread_connections_closed")
async def test_each_reader_gets_exactly_what_it_would_render_itself(make_user, topic):
    """One rendering per event and variant is shared in the process; each reader still gets
    the HTML of its own role and language, byte for byte."""
    author = await database_sync_to_async(make_user)()
    member = await database_sync_to_async(make_user)()
    moderator = await database_sync_to_async(make_user)(Role.MODERATOR)
    readers = {
        "anonymous": (await open_topic(topic), AnonymousUser(), "en"),
        "anonymous in Spanish": (await open_topic(topic, lang="es"), AnonymousUser(), "es"),
        "member": (await open_topic(topic, member), member, "en"),
        "author": (await open_topic(topic, author), author, "en"),
        "moderator": (await open_topic(topic, moderator), moderator, "en"),
    }
    post = await database_sync_to_async(services.post_create)(
        author=author, topic=topic, body="Rendered **once** per variant"
    )
    seen = set()
    for name, (socket, user, language) in readers.items():
        frame = await receive_type(socket, "post.created")
        assert frame["post"] == post.pk
        expected = await database_sync_to_async(fresh_html)(post.pk, user, language)
        assert frame["html"] == expected, name
        seen.add(frame["html"])
    assert len(seen) == len(readers)  # five variants, five renderings: none got another's
    for socket, _user, _language in readers.values():
        await socket.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("sync_thread_connections_closed")
async def test_a_replay_after_live_delivery_gets_the_replayers_own_rendering(make_user, topic):
    """Live delivery and replays share the process's renderings: a signed-out reader who
    catches up on an event a moderator received live gets the signed-out HTML."""
    moderator = await database_sync_to_async(make_user)(Role.MODERATOR)
    moderator_socket = await open_topic(topic, moderator)
    reader = await open_topic(topic)
    await reader.disconnect()
    last_seen = await database_sync_to_async(selectors.last_topic_event_id)(topic)
    post = await database_sync_to_async(services.post_create)(
        author=await database_sync_to_async(make_user)(), topic=topic, body="Caught up later"
    )
    live = await receive_type(moderator_socket, "post.created")
    assert "Suspend author" in live["html"]

    again = await open_topic(topic)
    await again.send_json_to({"type": "resume", "after": last_seen})
    replayed = await receive_type(again, "post.created")
    assert replayed["event"] == live["event"]
    assert "Suspend author" not in replayed["html"]
    expected = await database_sync_to_async(fresh_html)(post.pk, AnonymousUser(), "en")
    assert replayed["html"] == expected
    await again.disconnect()
    await moderator_socket.disconnect()
