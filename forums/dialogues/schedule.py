"""Live dialogues by the clock: each minute (``forums.tasks.dialogue_clock``) a scheduled
session opens at its start, its followers are reminded the day before and an hour before, and a
session nobody ended is archived at its scheduled end.

Opening and reminding are set-based (one statement for all the sessions due, one
``DialogueEvent`` insert, one task per session for the mail), so a minute costs the same
queries however many sessions and followers there are. Archiving writes one transcript topic
per session, so it takes at most ``CLOSE_BATCH`` sessions a minute (the rest the next minute).
Every step keys on the session's own state (``status``, ``reminded_at``), so a minute run twice
(an emptied schedule cache) does nothing the second time.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from forums import cache, events
from forums.dialogues.services import dialogue_archive
from forums.models import DialogueEvent, DialogueEventKind, DialogueFollow, DialogueSession
from forums.models import DialogueStatus as Status

#: How long before its start a follower is reminded of a session.
REMINDER_LEAD = timedelta(hours=1)
#: The day-before reminder goes to sessions starting between ``DAY_BEFORE_LEAD`` minus
#: ``DAY_BEFORE_WINDOW`` and ``DAY_BEFORE_LEAD`` from now: a session scheduled at shorter notice,
#: or a clock down for that whole window, gets the hour-before reminder only (a "tomorrow"
#: mail two hours before would be wrong).
DAY_BEFORE_LEAD = timedelta(days=1)
DAY_BEFORE_WINDOW = timedelta(hours=1)
#: Sessions archived in one minute at most (each writes a transcript topic).
CLOSE_BATCH = 20


@dataclasses.dataclass(frozen=True)
class ClockPass:
    """What one pass did (session ids), for the log and the tests."""

    opened: list[int]
    closed: list[int]
    reminded: list[int]
    reminded_day_before: list[int] = dataclasses.field(default_factory=list)


def dialogues_open_due(*, now: datetime) -> list[int]:
    """Open every scheduled session whose start has come and whose end has not."""
    with transaction.atomic():
        due = list(
            DialogueSession.objects.select_for_update(skip_locked=True)
            .filter(status=Status.SCHEDULED, starts_at__lte=now, ends_at__gt=now)
            .values_list("pk", flat=True)
        )
        if not due:
            return []
        DialogueSession.objects.filter(pk__in=due).update(status=Status.LIVE, opened_at=now)
        cache.dialogues_changed()  # the home page lists them
        recorded = DialogueEvent.objects.bulk_create(
            DialogueEvent(session_id=pk, kind=DialogueEventKind.SESSION_CHANGED, created_at=now)
            for pk in due
        )
        for event in recorded:
            events.dialogue_event_on_commit(session_id=event.session_id, event_id=event.pk)
    return due


def dialogues_close_due(*, now: datetime) -> list[int]:
    """Archive the sessions (live, or never opened) whose scheduled end has passed, oldest
    first, each in its own transaction so one failure does not hold back the others."""
    closed = []
    candidates = list(
        DialogueSession.objects.filter(status__in=[Status.SCHEDULED, Status.LIVE], ends_at__lte=now)
        .order_by("ends_at", "pk")
        .values_list("pk", flat=True)[:CLOSE_BATCH]
    )
    for pk in candidates:
        with transaction.atomic():
            session = (
                DialogueSession.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("host", "category")
                .filter(pk=pk, status__in=[Status.SCHEDULED, Status.LIVE])
                .first()
            )
            if session is None:  # the host ended it meanwhile, or another worker has it
                continue
            dialogue_archive(session=session, now=now)
            closed.append(pk)
    return closed


def dialogue_followers(session: DialogueSession):
    """The followers who may still see ``session`` (a private category's partnership)."""
    from network.models import PartnershipMembership, User

    followers = User.objects.filter(
        Exists(DialogueFollow.objects.filter(session=session, user=OuterRef("pk"))),
        is_active=True,
    )
    partnership_id = session.category.partnership_id if session.category else None
    if partnership_id:
        member = PartnershipMembership.objects.filter(
            user=OuterRef("pk"), partnership_id=partnership_id
        )
        followers = followers.filter(Q(is_superuser=True) | Exists(member))
    return followers.order_by("pk")


def _reminders_due(
    *, now: datetime, stamp: str, starts_after: datetime, starts_by: datetime, **task: object
) -> list[int]:
    """Stamp with ``now`` the scheduled sessions starting in (``starts_after``, ``starts_by``]
    whose ``stamp`` field is empty, and queue one mail task per session (after commit): each
    reminder goes once, even with two clocks (rows locked, the taken ones skipped)."""
    from forums import tasks

    with transaction.atomic():
        due = list(
            DialogueSession.objects.select_for_update(skip_locked=True)
            .filter(
                status=Status.SCHEDULED,
                starts_at__gt=starts_after,
                starts_at__lte=starts_by,
                **{f"{stamp}__isnull": True},
            )
            .values_list("pk", flat=True)
        )
        if not due:
            return []
        DialogueSession.objects.filter(pk__in=due).update(**{stamp: now})
        for pk in due:
            transaction.on_commit(
                lambda pk=pk: tasks.send_dialogue_reminders.enqueue(session_id=pk, **task)
            )
    return due


def dialogue_reminders_due(*, now: datetime) -> list[int]:
    """Mark the sessions starting within ``REMINDER_LEAD`` as reminded and queue one mail
    task per session (after commit); a session is reminded once."""
    return _reminders_due(
        now=now, stamp="reminded_at", starts_after=now, starts_by=now + REMINDER_LEAD
    )


def dialogue_day_before_reminders_due(*, now: datetime) -> list[int]:
    """Mark the sessions starting in about a day (``DAY_BEFORE_LEAD``, within
    ``DAY_BEFORE_WINDOW``) as reminded the day before and queue one mail task per session
    (after commit); once per session, and never for one scheduled at shorter notice."""
    return _reminders_due(
        now=now,
        stamp="reminded_day_before_at",
        starts_after=now + DAY_BEFORE_LEAD - DAY_BEFORE_WINDOW,
        starts_by=now + DAY_BEFORE_LEAD,
        day_before=True,
    )


def dialogue_clock(*, now: datetime | None = None) -> ClockPass:
    """One minute of the clock: remind, open, then close what is due at ``now``."""
    now = now or timezone.now()
    return ClockPass(
        reminded_day_before=dialogue_day_before_reminders_due(now=now),
        reminded=dialogue_reminders_due(now=now),
        opened=dialogues_open_due(now=now),
        closed=dialogues_close_due(now=now),
    )
