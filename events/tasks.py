"""Event mail, sent by the task worker (django-tasks: inline on the embedded default).
Arguments are ids, never objects."""

from __future__ import annotations

import uuid

from django_tasks import task

from events import mail


@task()
def send_registration_mail(registration_id: int, kind: str) -> None:
    mail.registration_mail_send(registration_id=registration_id, kind=kind)


@task()
def send_event_cancelled_mail(event_key: str) -> int:
    """Mail every registrant and waiting-list person that the whole event is cancelled."""
    return mail.event_cancelled_mail_send(event_key=uuid.UUID(event_key))


@task()
def send_reminders() -> int:
    """Remind the confirmed of events starting within a day (hourly; each is reminded once)."""
    from events.services import reminders_send

    return reminders_send()
