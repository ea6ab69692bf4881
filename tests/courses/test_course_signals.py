"""courses.signals: one signal per new fact, sent inside the service's transaction.

The apps that report elsewhere (an LRS, an LMS's grade book) rely on both halves: a repeated
submission or completion must not report twice, and a receiver's outbox row must roll back with
the write that caused it.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from courses import services, signals
from courses.models import Enrolment
from tests.courses.conftest import QUIZ_ID, RIGHT, WRONG

pytestmark = pytest.mark.django_db

SIGNALS = (
    "enrolled",
    "lesson_completed",
    "attempt_recorded",
    "certificate_issued",
    "certificate_revoked",
)


@pytest.fixture
def heard():
    """The signals received, by name, with whether a transaction was open when each came."""
    received: list[tuple[str, dict, bool]] = []
    receivers = []
    for name in SIGNALS:

        def receiver(sender, *, _name=name, **kwargs):
            received.append((_name, kwargs, connection.in_atomic_block))

        getattr(signals, name).connect(receiver, weak=False)
        receivers.append((name, receiver))
    yield received
    for name, receiver in receivers:
        getattr(signals, name).disconnect(receiver)


def names(heard) -> list[str]:
    return [name for name, _kwargs, _atomic in heard]


def submit(user, lesson, answers, number):
    return services.quiz_attempt_submit(
        user=user, lesson=lesson, block_id=QUIZ_ID, answers=answers, attempt_number=number
    )


def test_a_course_taken_to_its_certificate_sends_each_fact_once(learner, make_course, heard):
    built = make_course(modules=1, lessons=2)
    reading, quiz_lesson = built.lessons
    services.enrolment_create(user=learner, course=built.course)
    services.enrolment_create(user=learner, course=built.course)
    services.lesson_complete(user=learner, lesson=reading)
    services.lesson_complete(user=learner, lesson=reading)
    submit(learner, quiz_lesson, WRONG, 1)
    submit(learner, quiz_lesson, RIGHT, 2)
    submit(learner, quiz_lesson, RIGHT, 2)  # the same attempt posted twice

    assert names(heard) == [
        "enrolled",
        "lesson_completed",
        "attempt_recorded",
        "attempt_recorded",
        "lesson_completed",
        "certificate_issued",
    ]
    assert all(atomic for _name, _kwargs, atomic in heard)
    attempts = [kwargs["attempt"] for name, kwargs, _atomic in heard if name == "attempt_recorded"]
    assert [attempt.passed for attempt in attempts] == [False, True]
    issued = heard[-1][1]
    assert issued["certificate"].course_key == built.course.translation_key
    assert issued["course"].pk == built.course.pk


def test_withdrawing_and_coming_back_is_enrolled_again(learner, make_course, heard):
    built = make_course()
    services.enrolment_create(user=learner, course=built.course)
    services.enrolment_withdraw(user=learner, course_key=built.course.translation_key)
    services.enrolment_create(user=learner, course=built.course)
    assert names(heard) == ["enrolled", "enrolled"]


def test_a_revocation_is_sent_once(learner, make_course, trainer, heard):
    built = make_course(modules=1, lessons=1)
    services.enrolment_create(user=learner, course=built.course)
    submit(learner, built.lessons[0], RIGHT, 1)
    certificate = next(k["certificate"] for n, k, _a in heard if n == "certificate_issued")
    services.certificate_revoke(certificate=certificate, revoked_by=trainer, reason="In error")
    with pytest.raises(services.CourseError):
        services.certificate_revoke(certificate=certificate, revoked_by=trainer, reason="Again")
    assert names(heard).count("certificate_revoked") == 1


def test_a_write_rolled_back_takes_its_signal_with_it(learner, make_course):
    """A receiver writing in the service's transaction loses its row when the write fails."""
    built = make_course()
    rows: list[int] = []

    def receiver(sender, enrolment, **kwargs):
        rows.append(enrolment.pk)
        raise RuntimeError("the receiver's own write failed")

    signals.enrolled.connect(receiver, weak=False)
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.enrolment_create(user=learner, course=built.course)
    finally:
        signals.enrolled.disconnect(receiver)
    assert rows
    assert not Enrolment.objects.filter(user=learner).exists()
