"""The mail a registrant gets (cancelled, promoted from the waiting list, reminded), each in
their mail language (else the language they registered in), with the event's times in the
event's own zone; reminders can be declined (``network.mail``)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from events.models import Registration
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
