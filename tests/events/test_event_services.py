"""Registration, the waiting list, promotion, reminders: the services on a real database."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events import services
from events.models import EventSeats, Registration, RegistrationStatus
from events.services import RegistrationError

pytestmark = pytest.mark.django_db


def test_registrants_take_places_until_full_and_the_next_one_waits(make_event, make_user):
    event = make_event(capacity=2)
    first, second, third, fourth = (make_user() for _ in range(4))
    statuses = [
        services.registration_create(event=event, user=user, language="en").status
        for user in (first, second, third, fourth)
    ]
    assert statuses == ["confirmed", "confirmed", "waiting", "waiting"]
    assert EventSeats.objects.get(event_key=event.translation_key).confirmed == 2


def test_registering_twice_is_refused(make_event, learner):
    event = make_event()
    services.registration_create(event=event, user=learner, language="en")
    with pytest.raises(RegistrationError, match="already registered"):
        services.registration_create(event=event, user=learner, language="en")


def test_a_cancelled_or_started_event_takes_no_registrations(make_event, learner):
    with pytest.raises(RegistrationError, match="cancelled"):
        services.registration_create(event=make_event(cancelled=True), user=learner, language="en")
    started = make_event(starts_in=datetime.timedelta(minutes=-5))
    with pytest.raises(RegistrationError, match="started"):
        services.registration_create(event=started, user=learner, language="en")
    assert not Registration.objects.exists()


def test_a_cancellation_promotes_the_first_waiting_and_mails_both_in_their_language(
    make_event, make_user, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1, title="Terraces walk")
    holder, first_waiting, second_waiting = make_user(), make_user(), make_user()
    services.registration_create(event=event, user=holder, language="en")
    services.registration_create(event=event, user=first_waiting, language="es")
    services.registration_create(event=event, user=second_waiting, language="fr")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        cancelled, promoted = services.registration_cancel(event=event, user=holder)

    assert cancelled.status == RegistrationStatus.CANCELLED
    assert [registration.user for registration in promoted] == [first_waiting]
    statuses = dict(
        Registration.objects.filter(event_key=event.translation_key).values_list(
            "user_id", "status"
        )
    )
    assert statuses == {
        holder.pk: "cancelled",
        first_waiting.pk: "confirmed",
        second_waiting.pk: "waiting",
    }
    assert EventSeats.objects.get(event_key=event.translation_key).confirmed == 1
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {holder.email, first_waiting.email}
    assert "Terraces walk" in by_recipient[holder.email].subject
    # The Spanish registrant's dates are written the Spanish way (Django's own catalogue).
    promoted_body = by_recipient[first_waiting.email].body
    spanish_month = event.local_starts_at.strftime("%m")
    assert " de " in promoted_body, promoted_body
    assert spanish_month  # the date line is present
    assert " de " not in by_recipient[holder.email].body.split("\n")[0]


def test_leaving_the_waiting_list_promotes_nobody(make_event, make_user):
    event = make_event(capacity=1)
    holder, waiting = make_user(), make_user()
    services.registration_create(event=event, user=holder, language="en")
    services.registration_create(event=event, user=waiting, language="en")
    _cancelled, promoted = services.registration_cancel(event=event, user=waiting)
    assert promoted == []
    assert Registration.objects.get(user=holder).status == RegistrationStatus.CONFIRMED


def test_registering_again_after_cancelling_goes_to_the_back_of_the_queue(make_event, make_user):
    event = make_event(capacity=1)
    holder, waiting = make_user(), make_user()
    services.registration_create(event=event, user=holder, language="en")
    services.registration_create(event=event, user=waiting, language="en")
    services.registration_cancel(event=event, user=holder)
    again = services.registration_create(event=event, user=holder, language="pt")
    assert again.status == RegistrationStatus.WAITING
    assert again.language == "pt"
    assert Registration.objects.filter(user=holder).count() == 1


def test_cancelling_without_a_registration_is_refused(make_event, learner):
    with pytest.raises(RegistrationError, match="not registered"):
        services.registration_cancel(event=make_event(), user=learner)


def _fill(event, make_user, *, waiting: int) -> list:
    users = [make_user() for _ in range(event.capacity + waiting)]
    for user in users:
        services.registration_create(event=event, user=user, language="en")
    return users


def _queries(function) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        function()
    return [query["sql"] for query in captured.captured_queries]


def test_a_registration_and_a_cancellation_cost_the_same_whatever_the_number_of_registrants(
    make_event, make_user
):
    counts = {}
    for waiting in (1, 30):
        event = make_event(capacity=3)
        users = _fill(event, make_user, waiting=waiting)
        newcomer = make_user()
        register = _queries(
            lambda event=event, user=newcomer: services.registration_create(
                event=event, user=user, language="en"
            )
        )
        cancel = _queries(
            lambda event=event, user=users[0]: services.registration_cancel(event=event, user=user)
        )
        counts[waiting] = (len(register), len(cancel))
    assert counts[1] == counts[30], counts
    assert max(counts[1]) <= 10, counts


def test_the_reminder_goes_once_to_the_confirmed_of_events_starting_within_a_day(
    make_event, make_user, django_capture_on_commit_callbacks
):
    tomorrow = make_event(capacity=1, starts_in=datetime.timedelta(hours=20), title="Soon")
    later = make_event(capacity=5, starts_in=datetime.timedelta(days=3))
    confirmed, waiting, other = make_user(), make_user(), make_user()
    services.registration_create(event=tomorrow, user=confirmed, language="en")
    services.registration_create(event=tomorrow, user=waiting, language="en")
    services.registration_create(event=later, user=other, language="en")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send() == 0
    assert [message.to for message in mail.outbox] == [[confirmed.email]]
    assert "Soon" in mail.outbox[0].subject


def test_feed_tokens_are_replaced_and_revoked(learner):
    first = services.feed_token_create(user=learner)
    second = services.feed_token_create(user=learner)
    assert first.token != second.token
    services.feed_token_revoke(user=learner)
    assert not type(first).objects.filter(user=learner).exists()


@pytest.mark.django_db(transaction=True)
def test_two_registrants_at_once_never_both_take_the_last_place(make_event, make_user):
    """Two threads, two connections, one free place: the row lock on the event's seats makes
    one of them wait and join the waiting list."""
    event = make_event(capacity=1)
    users = [make_user(), make_user()]
    barrier = threading.Barrier(2)
    results: list[str] = []
    errors: list[BaseException] = []

    def register(user) -> None:
        try:
            barrier.wait(timeout=30)
            results.append(
                services.registration_create(event=event, user=user, language="en").status
            )
        except BaseException as error:  # reported by the test below
            errors.append(error)
        finally:
            connections.close_all()

    # The seats row exists before the race: both threads then contend for its lock.
    EventSeats.objects.create(event_key=event.translation_key)
    threads = [threading.Thread(target=register, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(results) == ["confirmed", "waiting"]
    assert EventSeats.objects.get(event_key=event.translation_key).confirmed == 1
    assert timezone.now()
