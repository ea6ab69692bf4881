"""Reads of events, each filtered by who may see them.

A members-only event is visible only to the members of its partnership (through
``network.selectors.partnership_ids_for``, as private forum rooms) and to superusers. Drafts
and pages behind a Wagtail view restriction are never listed.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from wagtail.models import Locale

from events.models import (
    CalendarFeedToken,
    EventFormat,
    EventNotes,
    EventPage,
    EventPhoto,
    EventSeats,
    Registration,
    RegistrationStatus,
)
from network.selectors import partnership_ids_for

Viewer = AbstractBaseUser | AnonymousUser


def _audience_filter(user: Viewer) -> Q | None:
    """None when the viewer sees every event (a superuser)."""
    if user.is_authenticated and user.is_superuser and user.is_active:
        return None
    return Q(members_only=False) | Q(partnership_id__in=partnership_ids_for(user))


def events_visible_to(user: Viewer) -> QuerySet[EventPage]:
    """Live, unrestricted events the viewer may see, in every language."""
    events = EventPage.objects.live().public()
    audience = _audience_filter(user)
    return events if audience is None else events.filter(audience)


def event_visible_to(user: Viewer, event: EventPage) -> bool:
    if not event.members_only:
        return True
    if user.is_authenticated and user.is_superuser and user.is_active:
        return True
    return event.partnership_id in partnership_ids_for(user)


def calendar_events(
    user: Viewer,
    *,
    locale: Locale | None = None,
    region: str = "",
    theme: str = "",
    language: str = "",
    partnership_id: int | None = None,
) -> QuerySet[EventPage]:
    """The calendar's events (one language's pages), narrowed by validated filters."""
    events = events_visible_to(user)
    if locale is not None:
        events = events.filter(locale=locale)
    if region:
        events = events.filter(region=region)
    if theme:
        events = events.filter(themes__slug=theme)
    if language:
        events = events.filter(language=language)
    if partnership_id is not None:
        events = events.filter(partnership_id=partnership_id)
    return events.select_related("partnership")


def upcoming(events: QuerySet[EventPage], now: datetime.datetime) -> QuerySet[EventPage]:
    return events.filter(ends_at__gt=now).order_by("starts_at", "pk")


def past(events: QuerySet[EventPage], now: datetime.datetime) -> QuerySet[EventPage]:
    return events.filter(ends_at__lte=now).order_by("-starts_at", "-pk")


def month_events(events: QuerySet[EventPage], first_day: datetime.date) -> dict:
    """The month's events by the local date (in each event's own zone) they start on."""
    next_month = (first_day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    # A day of slack either side: the local date differs from the UTC date by under a day.
    window_start = datetime.datetime.combine(
        first_day - datetime.timedelta(days=1), datetime.time(), datetime.UTC
    )
    window_end = datetime.datetime.combine(
        next_month + datetime.timedelta(days=1), datetime.time(), datetime.UTC
    )
    by_day: dict[datetime.date, list[EventPage]] = {}
    for event in events.filter(starts_at__gte=window_start, starts_at__lt=window_end).order_by(
        "starts_at", "pk"
    ):
        day = event.local_starts_at.date()
        if first_day <= day < next_month:
            by_day.setdefault(day, []).append(event)
    return by_day


def registration_of(user: Viewer, event: EventPage) -> Registration | None:
    """The viewer's live registration (confirmed or waiting), if any."""
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(event_key=event.translation_key, user=user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
    )


def places_taken(event: EventPage) -> int:
    seats = EventSeats.objects.filter(event_key=event.translation_key).first()
    return seats.confirmed if seats else 0


def waiting_ahead_of(registration: Registration) -> int:
    """How many people wait before this one (0: next in line)."""
    return Registration.objects.filter(
        event_key=registration.event_key,
        status=RegistrationStatus.WAITING,
        position__lt=registration.position,
    ).count()


def event_in_language(event_key: uuid.UUID, language: str) -> EventPage | None:
    """The event's page in this language if it has one, else any translation of it."""
    pages = EventPage.objects.filter(translation_key=event_key).select_related("locale")
    return (
        pages.filter(locale__language_code=language).first()
        or pages.order_by("alias_of_id", "pk").first()
    )


def member_feed_events(user: AbstractBaseUser) -> QuerySet[EventPage]:
    """A member's own calendar: the events they registered for (or wait for) and their
    partnerships' events, still visible to them, in one language's pages each."""
    keys = (
        Registration.objects.filter(user=user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .values("event_key")
    )
    events = events_visible_to(user).filter(
        Q(translation_key__in=keys) | Q(partnership_id__in=partnership_ids_for(user))
    )
    # One page per event: the unaliased one (the source), not its mirrors in other languages.
    return events.filter(alias_of__isnull=True).order_by("starts_at", "pk")


def feed_token_of(user: AbstractBaseUser) -> CalendarFeedToken | None:
    return CalendarFeedToken.objects.filter(user=user).first()


def user_for_feed_token(token: str):
    found = (
        CalendarFeedToken.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    return found.user if found else None


def upcoming_reminders(now: datetime.datetime, *, within: datetime.timedelta) -> Iterable:
    """Keys of the events that start within ``within`` and still take place."""
    return (
        EventPage.objects.live()
        .filter(starts_at__gt=now, starts_at__lte=now + within, cancelled=False)
        .values_list("translation_key", flat=True)
        .distinct()
    )


def now() -> datetime.datetime:
    return timezone.now()


# --- After the event: notes and photos ------------------------------------------------------


def may_keep_notes(user: Viewer, event: EventPage) -> bool:
    """The event's organisers: its page's owner, or whoever may edit the page (Wagtail's page
    permissions: the editors, a partnership's own editors group)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return event.owner_id == user.pk or event.permissions_for_user(user).can_edit()


def notes_open(event: EventPage, at: datetime.datetime | None = None) -> bool:
    """Notes and photos are for an in-person (or hybrid) event that took place and ended."""
    return (
        event.format != EventFormat.ONLINE
        and not event.cancelled
        and event.ends_at <= (at or timezone.now())
    )


def event_notes(event: EventPage) -> EventNotes | None:
    return EventNotes.objects.filter(event_key=event.translation_key).first()


def event_photos(event: EventPage) -> list[EventPhoto]:
    return list(EventPhoto.objects.filter(event_key=event.translation_key))


def archived_events(user: Viewer, *, locale: Locale | None = None) -> QuerySet[EventPage]:
    """Past events with notes that the viewer may see, newest first, in one language: the
    archive beside the live dialogues' transcripts. A partnership's private events only for
    its members (``events_visible_to``)."""
    events = events_visible_to(user).filter(
        Exists(EventNotes.objects.filter(event_key=OuterRef("translation_key"))),
        ends_at__lte=timezone.now(),
    )
    if locale is not None:
        events = events.filter(locale=locale)
    return events.order_by("-starts_at", "-pk")


#: How many of a partnership's coming events its home lists.
PARTNERSHIP_EVENTS = 10


def partnership_events(home) -> list[EventPage]:
    """The partnership's coming events on its home (``network.home``) that the viewer may see
    (a members-only one for its members), one page per event in the reader's language where
    it has one: one query for the events and one for the viewer's partnerships."""
    from library.selectors import one_version_per_translation

    events = events_visible_to(home.viewer).filter(
        partnership_id=home.partnership.pk, ends_at__gt=now()
    )
    events = one_version_per_translation(events, home.language).select_related(
        "locale", "partnership"
    )
    return list(events.order_by("starts_at", "pk")[:PARTNERSHIP_EVENTS])
