"""Every write about events: registering, cancelling (and promoting the next in line),
reminders, calendar feed tokens.

Registering and cancelling lock the event's ``EventSeats`` row, so the last place goes to one
person only; each reads and writes a fixed number of rows, whatever the number of registrants
(the count lives on the seats row, the first waiting is one index lookup). Mail is sent by the
task worker after commit, in the language each person registered in.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import search
from events import tasks
from events.models import (
    CalendarFeedToken,
    EventNotes,
    EventPage,
    EventPhoto,
    EventSeats,
    Registration,
    RegistrationStatus,
)
from events.selectors import may_keep_notes, notes_open, upcoming_reminders
from forums.attachments import CleanAttachment
from forums.models import AttachmentKind
from forums.sanitize import plain_text, render_markdown


class RegistrationError(Exception):
    """A registration or cancellation that cannot be done; its message is for the person."""


def _locked_seats(event: EventPage) -> EventSeats:
    EventSeats.objects.get_or_create(event_key=event.translation_key)
    return EventSeats.objects.select_for_update().get(event_key=event.translation_key)


def _send_after_commit(registration_id: int, kind: str) -> None:
    transaction.on_commit(
        lambda: tasks.send_registration_mail.enqueue(registration_id=registration_id, kind=kind)
    )


def registration_create(*, event: EventPage, user, language: str) -> Registration:
    """A place if one is free, else the back of the waiting list."""
    if event.cancelled:
        raise RegistrationError(_("This event has been cancelled."))
    if event.starts_at <= timezone.now():
        raise RegistrationError(_("Registration has closed: the event has started."))
    if not user.is_active:
        raise RegistrationError(_("Your account is not active."))
    with transaction.atomic():
        seats = _locked_seats(event)
        registration = (
            Registration.objects.select_for_update()
            .filter(event_key=event.translation_key, user=user)
            .first()
        )
        if registration is not None and registration.status != RegistrationStatus.CANCELLED:
            raise RegistrationError(_("You are already registered for this event."))
        seats.last_position += 1
        if seats.confirmed < event.capacity:
            seats.confirmed += 1
            status = RegistrationStatus.CONFIRMED
        else:
            status = RegistrationStatus.WAITING
        seats.save(update_fields=["confirmed", "last_position"])
        if registration is None:
            registration = Registration(event_key=event.translation_key, user=user)
        registration.status = status
        registration.position = seats.last_position
        registration.language = language
        registration.registered_at = timezone.now()
        registration.promoted_at = registration.cancelled_at = registration.reminded_at = None
        registration.full_clean(validate_unique=False)
        registration.save()
    return registration


def registration_cancel(*, event: EventPage, user) -> tuple[Registration, list[Registration]]:
    """Give up a place (or a turn on the waiting list). A freed place goes to the first in
    line; both the canceller and the promoted are mailed. Returns the cancelled registration
    and who was promoted."""
    promoted: list[Registration] = []
    with transaction.atomic():
        seats = _locked_seats(event)
        registration = (
            Registration.objects.select_for_update()
            .filter(event_key=event.translation_key, user=user)
            .exclude(status=RegistrationStatus.CANCELLED)
            .first()
        )
        if registration is None:
            raise RegistrationError(_("You are not registered for this event."))
        was_confirmed = registration.status == RegistrationStatus.CONFIRMED
        now = timezone.now()
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        if was_confirmed:
            seats.confirmed -= 1
            # Normally one place frees one; more if an editor raised the capacity meanwhile.
            free = max(event.capacity - seats.confirmed, 0)
            if free and not event.cancelled and event.starts_at > now:
                promoted = list(
                    Registration.objects.select_for_update()
                    .filter(event_key=event.translation_key, status=RegistrationStatus.WAITING)
                    .order_by("position")[:free]
                )
                for waiting in promoted:
                    waiting.status = RegistrationStatus.CONFIRMED
                    waiting.promoted_at = now
                    waiting.save(update_fields=["status", "promoted_at"])
                seats.confirmed += len(promoted)
            seats.save(update_fields=["confirmed"])
        _send_after_commit(registration.pk, "cancelled")
        for waiting in promoted:
            _send_after_commit(waiting.pk, "promoted")
    return registration, promoted


def event_cancellation_announce(*, event: EventPage) -> bool:
    """Tell everyone still registered or waiting that the whole event is cancelled (the
    organiser ticked "cancelled" and published). Once per event: the seats row records it
    under its lock, so publishing again, or another translation, sends nothing more. The mail
    goes to the worker as one task for the event (it reads the registrants in chunks), so
    this costs the same whatever their number. False when there was nothing to announce."""
    if not event.cancelled or event.ends_at <= timezone.now():
        return False
    with transaction.atomic():
        seats = _locked_seats(event)
        if seats.cancellation_mailed_at is not None:
            return False
        seats.cancellation_mailed_at = timezone.now()
        seats.save(update_fields=["cancellation_mailed_at"])
        key = str(event.translation_key)
        transaction.on_commit(lambda: tasks.send_event_cancelled_mail.enqueue(event_key=key))
    return True


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Queue the day-before reminder for every confirmed registrant of the events starting in
    the next 24 hours who has not had it. Marked in the same transaction as it is queued, so
    a second run (the next hour's) never reminds anyone twice."""
    now = now or timezone.now()
    keys = list(upcoming_reminders(now, within=datetime.timedelta(hours=24)))
    if not keys:
        return 0
    with transaction.atomic():
        due = list(
            Registration.objects.select_for_update(skip_locked=True)
            .filter(
                event_key__in=keys,
                status=RegistrationStatus.CONFIRMED,
                reminded_at__isnull=True,
            )
            .values_list("pk", flat=True)
        )
        Registration.objects.filter(pk__in=due).update(reminded_at=now)
        for registration_id in due:
            _send_after_commit(registration_id, "reminder")
    return len(due)


def feed_token_create(*, user) -> CalendarFeedToken:
    """A new secret address for the member's calendar (replacing any earlier one)."""
    with transaction.atomic():
        CalendarFeedToken.objects.filter(user=user).delete()
        return CalendarFeedToken.objects.create(user=user)


def feed_token_revoke(*, user) -> None:
    CalendarFeedToken.objects.filter(user=user).delete()


@transaction.atomic
def event_notes_save(
    *,
    event: EventPage,
    author,
    body: str,
    photo: CleanAttachment | None = None,
    caption: str = "",
) -> EventNotes:
    """Keep an ended in-person event's notes (Markdown through the one sanitiser) and add one
    photo, already re-encoded by ``attachment_clean`` within the image budget (the form did it
    before this transaction). Only the organisers (``may_keep_notes``). Every language version
    of the event is reindexed after commit: its search document carries the notes."""
    if not may_keep_notes(author, event):
        raise PermissionDenied(_("Only the event's organisers keep its notes."))
    if not notes_open(event):
        raise ValidationError(_("Notes and photos are added once an in-person event has ended."))
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write what happened at the event."), code="empty")
    html = render_markdown(body)
    notes, _created = EventNotes.objects.update_or_create(
        event_key=event.translation_key,
        defaults={
            "body_source": body[:20000],
            "body_html": html,
            "search_text": plain_text(html),
            "written_by": author,
            "updated_at": timezone.now(),
        },
    )
    if photo is not None:
        if photo.kind != AttachmentKind.IMAGE:
            raise ValidationError(_("Add a picture (JPEG, PNG, WebP or GIF)."), code="not_image")
        caption = (caption or "").strip()[:200]
        if not caption:
            raise ValidationError(_("Say what the photo shows."), code="no_caption")
        record = EventPhoto(event_key=event.translation_key, caption=caption, uploaded_by=author)
        record.file.save(f"photo.{photo.extension}", photo.content, save=False)
        stored = record.file.name
        try:
            record.save()
        except Exception:
            record.file.storage.delete(stored)
            raise
    for version in event.get_translations(inclusive=True).live().specific():
        search.index_object(version)
    return notes
