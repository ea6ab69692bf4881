"""Every user field, filled with each XSS payload, renders inert: in the forum pages, in the
fragments the sockets send (same rendering functions the consumers call) and in the room."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from forums import services
from forums.dialogues import services as dialogue_services
from forums.models import Notification
from forums.rendering import render_notification, render_post
from network.roles import Role
from tests.hostile import XSS_PAYLOADS, assert_inert

pytestmark = pytest.mark.django_db

#: The shared script-injection payloads (tests/data/xss_payloads.txt); the Big List of
#: Naughty Strings goes through the same pages in tests/config/test_hostile_input.py.
PAYLOADS = XSS_PAYLOADS


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_user_field_renders_inert(client, make_user, category, payload):
    author = make_user(display_name=payload[:80])
    reader = make_user()
    topic = services.topic_create(
        author=author, category=category, title=payload, body=payload, tags=[payload[:90]]
    )
    reply = services.post_create(
        author=author,
        topic=topic,
        body=f"{payload} @{reader.username}",
        reply_to=topic.posts.first(),
    )
    services.post_flag(reporter=reader, post=reply, reason=payload)
    moderator = make_user(Role.MODERATOR)
    services.post_edit(editor=author, post=reply, body=payload + " edited")
    services.user_suspend(moderator=moderator, user=make_user(), days=1, reason=payload)

    client.force_login(reader)
    for url in (
        reverse("forums:index"),
        category.get_absolute_url(),
        topic.get_absolute_url(),
        reverse("forums:post_history", args=[reply.pk]),
        reverse("forums:notifications"),
        reverse("forums:post_flag", args=[reply.pk]),
    ):
        assert_inert(client.get(url).text)
    client.force_login(moderator)
    for url in (reverse("forums:moderation"), reverse("forums:moderation_log")):
        assert_inert(client.get(url).text)

    # What the sockets send is built by these same functions.
    assert_inert(render_post(reply, reader, topic))
    assert_inert(render_post(reply, moderator, topic))
    for notification in Notification.objects.filter(user=reader):
        assert_inert(render_notification(notification))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_dialogue_fields_render_inert(client, make_user, payload):
    host = make_user(Role.TRAINER, display_name=payload[:80])
    now = timezone.now()
    session = dialogue_services.dialogue_create(
        host=host,
        title=payload,
        description=payload,
        starts_at=now,
        ends_at=now + timedelta(hours=1),
    )
    session = dialogue_services.dialogue_start(host=host, session=session)
    # Display names are unique as people read them: the guest's carries the payload too.
    guest = make_user(display_name=f"Guest {payload[:74]}")
    message = dialogue_services.dialogue_message_post(author=guest, session=session, body=payload)
    question = dialogue_services.dialogue_question_ask(author=guest, session=session, body=payload)
    client.force_login(guest)
    assert_inert(client.get(session.get_absolute_url()).text)
    assert_inert(client.get(reverse("forums:dialogues")).text)
    assert_inert(
        render_to_string(
            "forums/includes/dialogue_message.html",
            {"message": message, "is_host": True, "session": session},
        )
    )
    assert_inert(
        render_to_string(
            "forums/includes/dialogue_question.html",
            {"question": question, "is_host": True, "session": session, "user": guest},
        )
    )
    topic = dialogue_services.dialogue_end(host=host, session=session)
    assert_inert(client.get(topic.get_absolute_url()).text)
