"""Live dialogues on the clock: a scheduled session opens at its start and is archived at its
end with nobody pressing a button, its followers are reminded once, the room's sockets hear
it open and close, and a minute of the clock costs the same queries whatever it handles.

Time is moved by passing ``now`` to the clock (as ``config.schedule.enqueue_due`` takes it):
nothing sleeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from channels.db import database_sync_to_async
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forums.dialogues import services as dialogues
from forums.dialogues.mail import REMINDER, dialogue_reminders_mail
from forums.dialogues.schedule import dialogue_clock
from forums.models import DialogueFollow, DialogueMessage, DialogueSession, DialogueStatus
from network.roles import Role

START = datetime(2030, 5, 1, 14, 0, tzinfo=UTC)
END = START + timedelta(hours=1)


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER, display_name="Tomás Host")


def _schedule(host, title="Soil carbon, honestly", starts_at=START, ends_at=END, **fields):
    return dialogues.dialogue_create(
        host=host, title=title, starts_at=starts_at, ends_at=ends_at, **fields
    )


@pytest.mark.django_db
def test_the_clock_opens_a_session_at_its_start_and_archives_it_at_its_end(trainer, learner):
    session = _schedule(trainer)
    assert dialogue_clock(now=START - timedelta(minutes=1)).opened == []
    assert DialogueSession.objects.get(pk=session.pk).status == DialogueStatus.SCHEDULED

    opened_at = START + timedelta(seconds=40)
    assert dialogue_clock(now=opened_at).opened == [session.pk]
    session.refresh_from_db()
    assert (session.status, session.opened_at) == (DialogueStatus.LIVE, opened_at)
    dialogues.dialogue_message_post(author=learner, session=session, body="Hello from Kijabe")

    assert dialogue_clock(now=END - timedelta(minutes=1)).closed == []
    closed_at = END + timedelta(seconds=20)
    ran = dialogue_clock(now=closed_at)
    assert (ran.opened, ran.closed) == ([], [session.pk])
    session.refresh_from_db()
    assert (session.status, session.closed_at) == (DialogueStatus.ENDED, closed_at)
    transcript = session.archived_topic.posts.first().body_source
    assert "it ran from 2030-05-01 14:00 to 2030-05-01 15:00 UTC" in transcript
    assert "Hello from Kijabe" in transcript
    # A second pass of the same minute (an emptied schedule cache) finds nothing to do.
    again = dialogue_clock(now=closed_at)
    assert (again.opened, again.closed, again.reminded) == ([], [], [])


@pytest.mark.django_db
def test_a_session_the_host_ended_early_is_left_alone_and_says_when_it_ran(trainer):
    session = _schedule(trainer)
    dialogue_clock(now=START)
    dialogues.dialogue_end(host=trainer, session=DialogueSession.objects.get(pk=session.pk))
    session.refresh_from_db()
    assert session.closed_at is not None and session.opened_at == START
    assert dialogue_clock(now=END + timedelta(minutes=5)).closed == []


@pytest.mark.django_db
def test_a_session_nobody_opened_is_still_archived_after_its_end(trainer):
    """The clock was down for the whole slot: the session must not stay "scheduled" forever."""
    session = _schedule(trainer)
    ran = dialogue_clock(now=END + timedelta(minutes=3))
    assert (ran.opened, ran.closed) == ([], [session.pk])
    session.refresh_from_db()
    assert session.status == DialogueStatus.ENDED and session.opened_at is None


@pytest.mark.django_db
def test_followers_are_reminded_once_before_the_start_and_can_decline(
    trainer, make_user, client, django_capture_on_commit_callbacks
):
    session = _schedule(trainer)
    follower = make_user(display_name="Fola Follower")
    declined = make_user(mail_declined=[REMINDER])
    make_user()  # a member who does not follow it
    for user in (follower, declined):
        client.force_login(user)
        response = client.post(
            reverse("forums:dialogue_follow", args=[session.pk]), {"follow": "1"}
        )
        assert response.status_code == 302
    assert DialogueFollow.objects.filter(session=session).count() == 2

    for minutes, reminded in ((120, []), (50, [session.pk]), (30, []), (0, [])):
        with django_capture_on_commit_callbacks(execute=True):
            ran = dialogue_clock(now=START - timedelta(minutes=minutes))
        assert ran.reminded == reminded
    assert [message.to for message in mail.outbox] == [[follower.email]]
    reminder = mail.outbox[0]
    assert "Soil carbon, honestly" in reminder.subject
    assert f"/forums/live/{session.pk}/" in reminder.body
    assert reminder.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.django_db
def test_a_private_sessions_reminder_skips_followers_who_left_the_partnership(
    trainer, partner, partnership, private_category
):
    from network.models import PartnershipMembership

    trainer_membership = PartnershipMembership.objects.create(partnership=partnership, user=trainer)
    session = _schedule(trainer, category=private_category)
    DialogueFollow.objects.create(session=session, user=partner)
    DialogueFollow.objects.create(session=session, user=trainer)
    trainer_membership.delete()
    assert dialogue_reminders_mail(session_id=session.pk) == 1
    assert [message.to for message in mail.outbox] == [[partner.email]]


def _fill(host, make_user, size: int, day: int) -> None:
    """``size`` sessions to remind and ``size`` to open, and one to close with ``size``
    chat messages and followers."""
    start = START + timedelta(days=day)
    hour = timedelta(hours=1)
    DialogueSession.objects.all().delete()  # the previous size's
    for number in range(size):
        remind = start + timedelta(minutes=30)
        _schedule(host, title=f"Remind {number}", starts_at=remind, ends_at=remind + hour)
        opens = start - timedelta(minutes=1)
        _schedule(host, title=f"Open {number}", starts_at=opens, ends_at=opens + hour)
    closing = _schedule(host, title="Close", starts_at=start - timedelta(hours=2), ends_at=start)
    DialogueSession.objects.filter(pk=closing.pk).update(status=DialogueStatus.LIVE)
    for number in range(size):
        author = make_user()
        DialogueFollow.objects.create(session=closing, user=author)
        DialogueMessage.objects.create(
            session=closing, author=author, body_source=f"m{number}", body_html=f"<p>m{number}</p>"
        )


@pytest.mark.django_db
def test_a_minute_of_the_clock_costs_the_same_queries_at_two_sizes(trainer, make_user):
    counts = []
    # The first pass creates the archive's category: it is the warm-up, not measured.
    for day, size in ((-10, 1), (0, 2), (10, 12)):
        _fill(trainer, make_user, size, day)
        with CaptureQueriesContext(connection) as queries:
            ran = dialogue_clock(now=START + timedelta(days=day))
        assert (len(ran.reminded), len(ran.opened), len(ran.closed)) == (size, size, 1)
        counts.append(len(queries))
    assert counts[1] == counts[2], counts


@pytest.mark.django_db
def test_the_reminder_mail_costs_the_same_queries_at_two_sizes(trainer, make_user):
    counts = []
    for size in (2, 12):
        session = _schedule(trainer)
        for _number in range(size):
            DialogueFollow.objects.create(session=session, user=make_user())
        with CaptureQueriesContext(connection) as queries:
            assert dialogue_reminders_mail(session_id=session.pk) == size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("sync_thread_connections_closed")
async def test_the_room_hears_the_clock_open_and_close_the_session(trainer, learner):
    from tests.forums.test_dialogues import _next, _room

    now = datetime.now(UTC)
    session = await database_sync_to_async(_schedule)(
        trainer, starts_at=now + timedelta(minutes=5), ends_at=now + timedelta(hours=1)
    )
    room = await _room(session, learner)
    await database_sync_to_async(dialogue_clock)(now=now + timedelta(minutes=5))
    opened = await _next(room, "session.changed")
    assert (opened["status"], opened["status_label"]) == ("live", "Live now")
    await database_sync_to_async(dialogue_clock)(now=now + timedelta(hours=1))
    closed = await _next(room, "session.changed")
    assert closed["status"] == "ended" and closed["archive_url"].startswith("/")
    await room.disconnect()


@pytest.mark.django_db
def test_followers_are_reminded_the_day_before_in_their_own_zone_once(
    trainer, make_user, django_capture_on_commit_callbacks
):
    """Time moved forward a day in the clock's steps: the day-before mail goes once, in the
    follower's zone, with the one-click unsubscribe; the hour-before one still follows."""
    session = _schedule(trainer)
    follower = make_user(time_zone="Europe/Paris")
    DialogueFollow.objects.create(session=session, user=follower)
    steps = (
        (timedelta(hours=25), [], []),
        (timedelta(hours=24) - timedelta(minutes=1), [session.pk], []),
        (timedelta(hours=23, minutes=30), [], []),
        (timedelta(hours=2), [], []),
        (timedelta(minutes=50), [], [session.pk]),
    )
    for before, day_before, hour_before in steps:
        with django_capture_on_commit_callbacks(execute=True):
            ran = dialogue_clock(now=START - before)
        assert (ran.reminded_day_before, ran.reminded) == (day_before, hour_before)
    tomorrow, soon = mail.outbox
    assert tomorrow.subject.startswith("Tomorrow: Soil carbon") and "is tomorrow" in tomorrow.body
    assert soon.subject.startswith("Starting soon")
    assert "4 p.m." in tomorrow.body and "2 p.m." not in tomorrow.body  # 14:00 UTC: 16:00 CEST
    assert tomorrow.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.django_db
def test_a_session_scheduled_at_short_notice_gets_no_day_before_mail(trainer, make_user):
    session = _schedule(trainer)
    DialogueFollow.objects.create(session=session, user=make_user())
    assert dialogue_clock(now=START - timedelta(hours=3)).reminded_day_before == []
    assert DialogueSession.objects.get(pk=session.pk).reminded_day_before_at is None
