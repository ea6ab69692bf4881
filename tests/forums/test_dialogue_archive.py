"""What participants write cannot take over a live session's archive, nor keep it live.

The transcript is written in the host's name, so each message must stay data attributed to its
real author (no forged lines, no @mentions sent as the host); ending must work however long the
session ran; and the host can take a spam question out of the room and out of the archive.
"""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from forums.dialogues import services as dialogues
from forums.models import DialogueMessage, Notification, NotificationKind, Post
from network.roles import Role

FORGED = (
    "Thanks!\n\n**Tomás Host** (10:00): Everyone must send their bank details to @treasurer\n"
    "- [click here](https://evil.example/)\n<b>bold</b> &lt;x&gt;"
)


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER, display_name="Tomás Host", username="tomas")


@pytest.fixture
def live_session(trainer):
    now = timezone.now()
    session = dialogues.dialogue_create(
        host=trainer,
        title="Financing **restoration**",
        starts_at=now,
        ends_at=now + timedelta(hours=1),
    )
    return dialogues.dialogue_start(host=trainer, session=session)


@pytest.mark.django_db
def test_a_chat_message_cannot_forge_transcript_lines_in_the_hosts_name(
    make_user, trainer, live_session
):
    author = make_user(display_name="Ama *Mensah*")
    dialogues.dialogue_message_post(author=author, session=live_session, body=FORGED)
    dialogues.dialogue_question_ask(author=author, session=live_session, body="**Host**: yes\n- x")

    topic = dialogues.dialogue_end(host=trainer, session=live_session)
    html = "".join(topic.posts.values_list("body_html", flat=True))
    text = unescape(html)

    assert "<strong>Tomás Host</strong>" not in html
    assert "<strong>Host</strong>" not in html
    assert "<li>" not in html
    assert ">click here</a>" not in html
    assert "<b>" not in html
    # The author's words are there, as text, quoted under the author's real name.
    assert "<strong>Ama *Mensah*</strong>" in html
    assert "<blockquote>" in html
    assert "**Tomás Host** (10:00): Everyone must send their bank details to @treasurer" in text
    assert "<b>bold</b> &lt;x&gt;" in text
    assert "Financing **restoration**" in text


@pytest.mark.django_db
def test_the_archive_sends_no_mentions_on_the_hosts_behalf(make_user, trainer, live_session):
    treasurer = make_user(username="treasurer")
    dialogues.dialogue_message_post(author=make_user(), session=live_session, body=FORGED)
    dialogues.dialogue_question_ask(
        author=make_user(), session=live_session, body="@treasurer, is that so?"
    )

    topic = dialogues.dialogue_end(host=trainer, session=live_session)

    assert not Notification.objects.filter(user=treasurer, kind=NotificationKind.MENTION).exists()
    assert "@treasurer" in unescape("".join(topic.posts.values_list("body_html", flat=True)))


@pytest.mark.django_db
def test_a_session_ends_however_long_its_chat(make_user, trainer, live_session):
    participant = make_user()
    DialogueMessage.objects.bulk_create(
        DialogueMessage(
            session=live_session,
            author=participant,
            body_source=f"message {number} " + "word " * 390,
            body_html="<p>unused</p>",
        )
        for number in range(150)
    )

    topic = dialogues.dialogue_end(host=trainer, session=live_session)

    posts = list(Post.objects.filter(topic=topic).order_by("pk"))
    text = "\n".join(post.body_source for post in posts)
    assert all(f"message {number} " in text for number in range(150))
    assert len(posts) > 1
    assert all(len(post.body_source) <= dialogues.ARCHIVE_POST_LENGTH for post in posts)
    assert all(post.author == trainer for post in posts)


@pytest.mark.django_db
def test_the_host_removes_a_question_from_the_room_and_the_archive(
    client, make_user, trainer, live_session
):
    spammer = make_user()
    spam = dialogues.dialogue_question_ask(
        author=spammer, session=live_session, body="Buy cheap pills"
    )
    kept = dialogues.dialogue_question_ask(
        author=spammer, session=live_session, body="How are farmers paid?"
    )
    with pytest.raises(PermissionDenied):
        dialogues.dialogue_question_remove(host=spammer, question=spam)

    client.force_login(trainer)
    room = client.get(live_session.get_absolute_url())
    removal_url = reverse("forums:dialogue_remove_question", args=[live_session.pk, spam.pk])
    assert removal_url in room.text
    client.post(removal_url)

    spam.refresh_from_db()
    assert spam.removed
    assert "Buy cheap pills" not in client.get(live_session.get_absolute_url()).text
    topic = dialogues.dialogue_end(host=trainer, session=live_session)
    body = "".join(topic.posts.values_list("body_source", flat=True))
    assert "cheap pills" not in body
    assert kept.body_source.rstrip("?") in body


@pytest.mark.django_db
def test_a_participant_cannot_remove_a_question_with_the_form(
    client, make_user, trainer, live_session
):
    asker = make_user()
    question = dialogues.dialogue_question_ask(author=asker, session=live_session, body="Why?")
    client.force_login(make_user())
    response = client.post(
        reverse("forums:dialogue_remove_question", args=[live_session.pk, question.pk])
    )
    assert response.status_code == 403
    question.refresh_from_db()
    assert not question.removed
