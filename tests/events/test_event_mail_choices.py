"""Event mail and the member's choices (network.mail): a reminder can be declined in one
click; a place that opened is owed, and comes in the member's mail language."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from events import services as event_services

pytestmark = pytest.mark.django_db


def test_a_declined_reminder_is_not_sent_but_a_place_that_opened_is(
    make_event, make_user, django_capture_on_commit_callbacks
):
    soon = make_event(capacity=1, starts_in=datetime.timedelta(hours=20), title="Soon")
    holder, waiting = make_user(), make_user()
    waiting.mail_declined = ["event_reminder"]
    waiting.language = "pt"
    waiting.save(update_fields=["mail_declined", "language"])
    event_services.registration_create(event=soon, user=holder, language="en")
    event_services.registration_create(event=soon, user=waiting, language="es")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_services.registration_cancel(event=soon, user=holder)
    promoted = next(m for m in mail.outbox if m.to == [waiting.email])
    # Owed, so sent whatever was declined, and with no way to "unsubscribe" from it; in the
    # member's mail language rather than the one they registered in.
    assert "List-Unsubscribe" not in promoted.extra_headers
    assert "Soon" in promoted.subject and "vaga" in promoted.subject.lower(), promoted.subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_services.reminders_send()
    assert all(m.to != [waiting.email] for m in mail.outbox)


def test_a_reminder_carries_its_one_click_way_out(
    make_event, learner, django_capture_on_commit_callbacks
):
    soon = make_event(starts_in=datetime.timedelta(hours=20))
    event_services.registration_create(event=soon, user=learner, language="en")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_services.reminders_send()
    (reminder,) = mail.outbox
    assert reminder.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/mail/unsubscribe/" in reminder.extra_headers["List-Unsubscribe"]
