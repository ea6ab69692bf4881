"""The mail a registrant gets (cancelled, promoted from the waiting list, reminded), each in
their mail language (else the language they registered in), with the event's times in the
event's own zone; reminders can be declined (``network.mail``)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.utils.translation import gettext as _

from events.models import Registration, RegistrationStatus
from events.selectors import event_in_language
from network.mail import mail_language, mail_member

KINDS = ("cancelled", "promoted", "reminder")
#: The one event mail a member may decline (``network.mail.OPTIONAL_KINDS``).
REMINDER = "event_reminder"


def _subject(kind: str, title: str) -> str:
    if kind == "cancelled":
        return _("Registration cancelled: %(title)s") % {"title": title}
    if kind == "promoted":
        return _("A place opened for you: %(title)s") % {"title": title}
    return _("Tomorrow: %(title)s") % {"title": title}


def registration_mail_send(*, registration_id: int, kind: str) -> bool:
    """Send one mail; False when there is nothing to say any more (the row is gone, or the
    event was unpublished) or the member declined reminders."""
    if kind not in KINDS:
        raise ValueError(f"unknown event mail {kind!r}")
    registration = Registration.objects.select_related("user").filter(pk=registration_id).first()
    if registration is None:
        return False
    user = registration.user
    language = mail_language(user, registration.language)
    event = event_in_language(registration.event_key, language)
    if event is None:
        return False
    return mail_member(
        user=user,
        kind=REMINDER if kind == "reminder" else None,
        template=f"events/email/{kind}.txt",
        context={
            "event": event,
            "registration": registration,
            "event_url": f"{settings.SITE_URL}{event.url or ''}",
        },
        subject=lambda: _subject(kind, event.title),
        occasion_language=language,
        zone=event.zone,
    )


def event_cancelled_mail_send(*, event_key: uuid.UUID) -> int:
    """Mail each confirmed and waiting registrant that the whole event is cancelled, in their
    own language (the event's page in it when it has one). Mail they are owed: not optional.
    The registrants are read in chunks and the page once per language, so the queries do not
    grow with their number. Returns how many were mailed."""
    registrations = (
        Registration.objects.filter(
            event_key=event_key,
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING],
        )
        .select_related("user")
        .order_by("pk")
    )
    pages: dict[str, object] = {}
    sent = 0
    for registration in registrations.iterator(chunk_size=500):
        user = registration.user
        language = mail_language(user, registration.language)
        if language not in pages:
            pages[language] = event_in_language(event_key, language)
        event = pages[language]
        if event is None:
            return sent
        sent += mail_member(
            user=user,
            kind=None,
            template="events/email/event_cancelled.txt",
            context={
                "event": event,
                "registration": registration,
                "event_url": f"{settings.SITE_URL}{event.url or ''}",
            },
            subject=lambda event=event: _("Cancelled: %(title)s") % {"title": event.title},
            occasion_language=language,
            zone=event.zone,
        )
    return sent
