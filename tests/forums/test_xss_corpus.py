"""Every user field, filled with each XSS payload, renders inert: in the forum pages, in the
fragments the sockets send (same rendering functions the consumers call) and in the room."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from forums import dialogue_services, services
from forums.models import Notification
from forums.rendering import render_notification, render_post
from network.roles import Role

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg/onload=alert(1)>",
    "<a href=javascript:alert(1)>x</a>",
    "[x](javascript:alert(1))",
    "<iframe src=//evil.example>",
    "{{ 7*7 }}{% debug %}",
    "</textarea><script>alert(1)</script>",
    "<details open ontoggle=alert(1)>",
]


class Inspector(HTMLParser):
    """Collects anything executable: event handler attributes, script bodies, bad URLs."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        if tag in {"iframe", "svg", "object", "embed", "base"}:
            self.problems.append(f"<{tag}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.problems.append("injected <img>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}")
            if (
                name in {"href", "src", "action"}
                and value
                and value.strip().lower().startswith(("javascript:", "data:"))
            ):
                self.problems.append(f"{tag} {name}={value}")
        self.in_script = tag == "script" and not dict(attrs).get("src")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and "alert" in data:
            self.problems.append("inline script")


def assert_inert(html: str) -> None:
    inspector = Inspector()
    inspector.feed(html)
    assert inspector.problems == [], inspector.problems


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_user_field_renders_inert(client, make_user, category, payload):
    author = make_user(display_name=payload[:80], username=f"u{abs(hash(payload)) % 10**8}")
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
    guest = make_user(display_name=payload[:80])
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
