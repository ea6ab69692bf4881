"""Live dialogue sessions: scheduling, chat, Q&A, host controls, archiving, and the room socket."""

from __future__ import annotations

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from config.asgi import application
from forums.dialogues import services as dialogues
from forums.models import DialogueStatus, Topic
from network.roles import Role

ORIGIN = (b"origin", b"http://127.0.0.1:8000")
HOST = (b"host", b"127.0.0.1:8000")


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER, display_name="Tomás Host")


@pytest.fixture
def session(trainer):
    now = timezone.now()
    return dialogues.dialogue_create(
        host=trainer,
        title="Financing landscape restoration",
        description="With the Kijabe water fund.",
        starts_at=now,
        ends_at=now + timedelta(hours=1),
    )


@pytest.fixture
def live_session(trainer, session):
    return dialogues.dialogue_start(host=trainer, session=session)


@pytest.mark.django_db
def test_only_trainers_and_moderators_schedule(make_user):
    now = timezone.now()
    with pytest.raises(PermissionDenied):
        dialogues.dialogue_create(
            host=make_user(), title="x", starts_at=now, ends_at=now + timedelta(hours=1)
        )


@pytest.mark.django_db
def test_chat_needs_a_live_session(learner, session):
    with pytest.raises(PermissionDenied, match="not live"):
        dialogues.dialogue_message_post(author=learner, session=session, body="hello?")


@pytest.mark.django_db
def test_qa_votes_answers_and_end_archives_the_transcript(
    make_user, learner, trainer, live_session
):
    dialogues.dialogue_message_post(
        author=learner, session=live_session, body="Greetings from Kijabe"
    )
    removed = dialogues.dialogue_message_post(
        author=learner, session=live_session, body="off-topic"
    )
    dialogues.dialogue_message_remove(host=trainer, message=removed)
    question = dialogues.dialogue_question_ask(
        author=learner, session=live_session, body="How do water funds pay farmers?"
    )
    voter = make_user()
    assert dialogues.dialogue_question_vote(user=voter, question=question) is True
    with pytest.raises(PermissionDenied):
        dialogues.dialogue_question_answer(host=voter, question=question)
    dialogues.dialogue_question_answer(host=trainer, question=question)
    with pytest.raises(PermissionDenied):
        dialogues.dialogue_end(host=learner, session=live_session)

    topic = dialogues.dialogue_end(host=trainer, session=live_session)
    live_session.refresh_from_db()
    assert live_session.status == DialogueStatus.ENDED
    assert live_session.archived_topic == topic
    assert topic.category.slug == "live-dialogues"
    body = topic.posts.get().body_source
    assert "Greetings from Kijabe" in body
    assert "off-topic" not in body
    assert "How do water funds pay farmers?" in body
    assert "1 ▲, answered" in body
    assert "live-dialogue" in topic.tags.names()


@pytest.mark.django_db
def test_removed_participant_cannot_post(learner, trainer, live_session):
    dialogues.dialogue_participant_remove(host=trainer, session=live_session, user=learner)
    with pytest.raises(PermissionDenied, match="removed you"):
        dialogues.dialogue_message_post(author=learner, session=live_session, body="back again")


@pytest.mark.django_db
def test_pages_list_and_room_work_without_javascript(client, learner, trainer, live_session):
    listing = client.get(reverse("forums:dialogues"))
    assert live_session.title in listing.text
    client.force_login(learner)
    client.post(reverse("forums:dialogue_chat", args=[live_session.pk]), {"body": "From the form"})
    client.post(reverse("forums:dialogue_ask", args=[live_session.pk]), {"body": "A question?"})
    room = client.get(live_session.get_absolute_url())
    assert "From the form" in room.text
    assert "A question?" in room.text
    refused = client.post(reverse("forums:dialogue_end", args=[live_session.pk]))
    assert refused.status_code == 403
    client.force_login(trainer)
    ended = client.post(reverse("forums:dialogue_end", args=[live_session.pk]))
    topic = Topic.objects.get(dialogue=live_session)
    assert ended["Location"] == topic.get_absolute_url()


@pytest.mark.django_db
def test_private_session_is_404_to_outsiders(
    client, learner, trainer, private_category, partnership
):
    from network.services import partnership_membership_add

    partnership_membership_add(partnership=partnership, user=trainer)
    now = timezone.now()
    private = dialogues.dialogue_create(
        host=trainer,
        title="Partners only",
        starts_at=now,
        ends_at=now + timedelta(hours=1),
        category=private_category,
    )
    client.force_login(learner)
    assert client.get(private.get_absolute_url()).status_code == 404
    assert "Partners only" not in client.get(reverse("forums:dialogues")).text


@pytest.mark.django_db
def test_a_private_session_goes_with_its_partnership(
    learner, trainer, private_category, partnership
):
    """Deleting a partnership must not leave its private sessions behind as public ones."""
    from forums.models import DialogueSession
    from network.services import partnership_membership_add

    partnership_membership_add(partnership=partnership, user=trainer)
    now = timezone.now()
    private = dialogues.dialogue_create(
        host=trainer,
        title="Partners only",
        starts_at=now,
        ends_at=now + timedelta(hours=1),
        category=private_category,
    )
    partnership.delete()
    assert not DialogueSession.objects.filter(pk=private.pk).exists()


def _cookie(user):
    client = Client()
    client.force_login(user)
    return (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())


async def _room(session, user):
    headers = [ORIGIN, HOST, await database_sync_to_async(_cookie)(user)]
    communicator = WebsocketCommunicator(
        application, f"/ws/dialogues/{session.pk}/", headers=headers
    )
    connected, _ = await communicator.connect()
    assert connected
    hello = await communicator.receive_json_from(timeout=5)
    assert hello["type"] == "hello"
    return communicator


async def _next(communicator, wanted):
    while True:
        frame = await communicator.receive_json_from(timeout=5)
        if frame["type"] == wanted:
            return frame


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("sync_thread_connections_closed")
async def test_room_socket_chat_qa_and_host_removes_a_participant(learner, trainer, live_session):
    host = await _room(live_session, trainer)
    guest = await _room(live_session, learner)

    await guest.send_json_to({"type": "chat", "body": "Hello <script>x</script> room"})
    frame = await _next(host, "message.created")
    assert "Hello" in frame["html"] and "<script" not in frame["html"]
    assert "Remove participant" in frame["html"]  # host controls for the host only
    assert "Remove participant" not in (await _next(guest, "message.created"))["html"]

    await guest.send_json_to({"type": "ask", "body": "What about tenure?"})
    question = await _next(host, "question.changed")
    await guest.send_json_to({"type": "answer", "question": question["question"]})
    assert (await _next(guest, "error"))["code"] == "refused"
    await host.send_json_to({"type": "vote", "question": question["question"]})
    voted = await _next(guest, "question.changed")
    assert "1 vote" in voted["html"]

    await guest.send_json_to({"type": "chat", "body": 42})
    assert (await _next(guest, "error"))["code"] == "bad_shape"

    await host.send_json_to({"type": "remove_participant", "user": learner.pk})
    assert (await _next(guest, "removed"))["type"] == "removed"
    closing = await guest.receive_output(timeout=5)
    assert closing == {"type": "websocket.close", "code": 4403}
    await host.disconnect()


@pytest.mark.django_db
def test_trainer_schedules_a_session_with_the_form_and_members_cannot(
    client, learner, trainer, category
):
    url = reverse("forums:dialogue_create")
    client.force_login(learner)
    assert client.get(url).status_code == 403
    client.force_login(trainer)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "Soil carbon, honestly",
            "starts_at": "2030-05-01T14:00",
            "ends_at": "2030-05-01T15:00",
            "category": category.pk,
        },
    )
    assert response.status_code == 302
    room = client.get(response["Location"])
    assert "Soil carbon, honestly" in room.text
    assert "Restoration practice" in room.text
    bad = client.post(
        url, {"title": "Backwards", "starts_at": "2030-05-01T14:00", "ends_at": "2030-05-01T13:00"}
    )
    assert "must end after it starts" in bad.text


@pytest.mark.django_db
def test_chat_has_its_own_rate_limit(settings, learner, live_session):
    settings.FORUMS_CHAT_MESSAGES_PER_MINUTE = 2
    for text in ("one", "two"):
        dialogues.dialogue_message_post(author=learner, session=live_session, body=text)
    with pytest.raises(ValidationError, match="at most 2 a minute"):
        dialogues.dialogue_message_post(author=learner, session=live_session, body="three")
