"""The mail a registrant gets (cancelled, promoted from the waiting list, reminded), each in
the language they registered in, with the event's times in the event's own zone."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.models import Registration
from events.selectors import event_in_language

KINDS = ("cancelled", "promoted", "reminder")


def _subject(kind: str, title: str) -> str:
    if kind == "cancelled":
        return _("Registration cancelled: %(title)s") % {"title": title}
    if kind == "promoted":
        return _("A place opened for you: %(title)s") % {"title": title}
    return _("Tomorrow: %(title)s") % {"title": title}


def registration_mail_send(*, registration_id: int, kind: str) -> bool:
    """Send one mail; False when there is nothing to say any more (the row is gone, or the
    event was unpublished)."""
    if kind not in KINDS:
        raise ValueError(f"unknown event mail {kind!r}")
    registration = Registration.objects.select_related("user").filter(pk=registration_id).first()
    if registration is None or not registration.user.is_active:
        return False
    language = registration.language or settings.LANGUAGE_CODE
    event = event_in_language(registration.event_key, language)
    if event is None:
        return False
    with translation.override(language), timezone.override(event.zone):
        context = {
            "user": registration.user,
            "event": event,
            "registration": registration,
            "event_url": f"{settings.SITE_URL}{event.url or ''}",
        }
        body = render_to_string(f"events/email/{kind}.txt", context)
        subject = _subject(kind, event.title)
    send_mail(subject, body, None, [registration.user.email])
    return True
