"""An organiser cancels a whole event (ticks "cancelled" and publishes): everyone confirmed or
waiting gets a mail they are owed, in their own language, once; people who had cancelled
already get nothing."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import services
from events.mail import event_cancelled_mail_send

pytestmark = pytest.mark.django_db


def _cancel(event) -> None:
    event.cancelled = True
    event.save_revision().publish()


def test_cancelling_the_event_mails_registrants_and_the_waiting_list_in_their_language(
    make_event, make_user, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1, title="Terraces walk")
    confirmed, waiting, gone = make_user(), make_user(), make_user(language="fr")
    services.registration_create(event=event, user=confirmed, language="fr")
    services.registration_create(event=event, user=waiting, language="es")
    services.registration_create(event=event, user=gone, language="fr")
    services.registration_cancel(event=event, user=gone)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        _cancel(event)
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {confirmed.email, waiting.email}
    french, spanish = by_recipient[confirmed.email], by_recipient[waiting.email]
    assert "Terraces walk" in french.subject and "Terraces walk" in spanish.subject
    assert french.body.startswith("Bonjour ") and "Quand :" in french.body
    assert spanish.body.startswith("Hola, ")
    # Mail they are owed: no way out offered.
    assert "List-Unsubscribe" not in french.extra_headers

    # Publishing again (an edit to the cancelled page) says nothing more.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event.summary = "Cancelled because of the floods."
        event.save_revision().publish()
    assert mail.outbox == []


def test_an_event_published_without_cancelling_mails_nobody(
    make_event, learner, django_capture_on_commit_callbacks
):
    event = make_event()
    services.registration_create(event=event, user=learner, language="en")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()
    assert mail.outbox == []


def test_the_cancellation_mail_costs_the_same_queries_at_two_sizes(make_event, make_user):
    counts = []
    # The first pass reads the site's root paths for the event's address (then cached): the
    # warm-up, not measured.
    for size in (2, 2, 8):
        event = make_event(capacity=size // 2)
        for _number in range(size):
            services.registration_create(event=event, user=make_user(), language="en")
        mail.outbox.clear()
        with CaptureQueriesContext(connection) as queries:
            assert event_cancelled_mail_send(event_key=event.translation_key) == size
        counts.append(len(queries))
    assert counts[1] == counts[2], counts
