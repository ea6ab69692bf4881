"""Inactive learners: who has gone quiet for N days (one query at any size), the page their
course's trainers open, and the message they send (each learner's mail in their language;
a 429 that keeps the text; nobody else may see or send)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from courses import inactivity
from courses.models import Cohort, Enrolment, EnrolmentStatus, LessonCompletion, QuizAttempt

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _ago(days: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days)


def _enrol(user, course, *, days: int, cohort=None, status=EnrolmentStatus.ACTIVE) -> Enrolment:
    return Enrolment.objects.create(
        user=user,
        course_key=course.translation_key,
        enrolled_at=_ago(days),
        cohort=cohort,
        status=status,
    )


@pytest.fixture
def quiet(make_course, make_user, trainer):
    """A course with learners: quiet since enrolling, active two days ago, a quiz 20 days ago,
    withdrawn (never listed); and a learner quiet in another course."""
    course = make_course(trainers=[trainer], modules=1, lessons=1, quiz=False).course
    other = make_course(modules=1, lessons=1, quiz=False).course
    cohort = Cohort.objects.create(
        course_key=course.translation_key,
        name="Dry season",
        starts_on=NOW.date(),
        ends_on=NOW.date(),
    )
    users = {name: make_user(display_name=name.title()) for name in ("ana", "ben", "chloé", "dev")}
    users["ana"].language = "fr"
    users["ana"].save(update_fields=["language"])
    _enrol(users["ana"], course, days=30, cohort=cohort)
    _enrol(users["ben"], course, days=30, cohort=cohort)
    LessonCompletion.objects.create(
        user=users["ben"],
        course_key=course.translation_key,
        lesson_key=course.translation_key,
        completed_at=_ago(2),
    )
    _enrol(users["chloé"], course, days=40)
    QuizAttempt.objects.create(
        user=users["chloé"],
        course_key=course.translation_key,
        lesson_key=course.translation_key,
        block_id="q",
        answers={},
        score=50,
        passed=False,
        number=1,
        submitted_at=_ago(20),
    )
    _enrol(users["dev"], course, days=60, status=EnrolmentStatus.WITHDRAWN)
    _enrol(make_user(), other, days=60)
    return course, cohort, users


def test_the_quiet_learners_in_one_query_at_any_size(quiet, make_user, django_assert_num_queries):
    course, _cohort, users = quiet
    with django_assert_num_queries(1):
        found = list(inactivity.inactive_enrolments(course=course, days=14, now=NOW))
    assert [e.user for e in found] == [users["ana"], users["chloé"]]  # quietest first
    assert found[0].last_activity == _ago(30) and found[1].last_activity == _ago(20)
    assert [e.user for e in inactivity.inactive_enrolments(course=course, days=25, now=NOW)] == [
        users["ana"]
    ]
    for _ in range(6):
        _enrol(make_user(), course, days=50)
    with django_assert_num_queries(1):
        found = list(inactivity.inactive_enrolments(course=course, days=14, now=NOW))
        assert [e.cohort for e in found if e.user == users["ana"]]  # read in the same query
    assert len(found) == 8


def test_a_trainer_writes_to_chosen_learners_and_to_a_cohort_each_in_their_language(
    client, trainer, quiet
):
    course, cohort, users = quiet
    address = reverse("courses:inactive", args=[course.pk])
    client.force_login(trainer)
    assert (
        reverse("courses:inactive", args=[course.pk])
        in client.get(reverse("courses:report", args=[course.pk])).content.decode()
    )
    page = client.get(address).content.decode()
    assert "Ana" in page and "Chloé" in page and "Ben" not in page and "Dev" not in page

    ana = Enrolment.objects.get(user=users["ana"])
    outsider = Enrolment.objects.exclude(course_key=course.translation_key).get()
    response = client.post(
        address,
        {"days": 14, "learners": [ana.pk], "subject": "Still with us?", "body": "Lesson 1 waits."},
    )
    assert response.status_code == 302 and response["Location"] == f"{address}?days=14"
    [sent] = mail.outbox
    assert sent.to == [users["ana"].email] and sent.subject.endswith("Still with us?")
    assert "Bonjour Ana," in sent.body and "Lesson 1 waits." in sent.body  # French wrapping
    assert "List-Unsubscribe" in sent.extra_headers

    # Someone else's enrolment is not on the list: refused, nothing sent.
    response = client.post(
        address, {"days": 14, "learners": [outsider.pk], "subject": "Hi", "body": "Hi"}
    )
    assert response.status_code == 400 and len(mail.outbox) == 1

    # A whole cohort: its active learners, active or not.
    mail.outbox.clear()
    response = client.post(
        address, {"days": 14, "cohort": cohort.pk, "subject": "Field day", "body": "Saturday."}
    )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == sorted([users["ana"].email, users["ben"].email])
    assert "Hello Ben," in next(m.body for m in mail.outbox if m.to == [users["ben"].email])


def test_the_rate_limit_answers_429_and_keeps_the_text(client, trainer, quiet, settings):
    settings.COURSES_MESSAGES_PER_MINUTE = 1
    course, cohort, _users = quiet
    address = reverse("courses:inactive", args=[course.pk])
    client.force_login(trainer)
    data = {"days": 14, "cohort": cohort.pk, "subject": "Field day", "body": "Bring boots."}
    assert client.post(address, data).status_code == 302
    response = client.post(address, data)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many messages" in page and "Bring boots." in page and "Field day" in page
    assert len(mail.outbox) == 2


def test_only_the_course_trainers_see_or_send(client, make_user, trainer, quiet):
    from network.roles import Role

    course, cohort, users = quiet
    address = reverse("courses:inactive", args=[course.pk])
    data = {"days": 14, "cohort": cohort.pk, "subject": "Hi", "body": "Hi"}
    for visitor in (users["ana"], make_user(Role.TRAINER)):  # a learner, another course's trainer
        client.force_login(visitor)
        assert client.get(address).status_code == 403
        assert client.post(address, data).status_code == 403
    assert mail.outbox == []


def test_each_learner_is_notified_in_the_site_too_in_one_insert_at_any_size(
    client, make_user, trainer, quiet
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from forums.models import Notification
    from forums.selectors import unread_notification_count

    course, cohort, users = quiet
    users["ana"].mail_declined = [inactivity.MAIL_KIND]  # no mail, but still the notification
    users["ana"].save(update_fields=["mail_declined"])
    assert course.url  # the site's root paths, read once and kept on the page
    counts = []
    for size in (2, 7):
        while Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ACTIVE).count() < size:
            _enrol(make_user(), course, days=30, cohort=cohort)
        Notification.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            inactivity.learners_message_send(
                course=course,
                sender=trainer,
                subject="Field day",
                body="Saturday at   the\nriver terraces, bring boots.",
                cohort=cohort,
            )
        inserts = [q for q in captured if q["sql"].startswith('INSERT INTO "forums_notification"')]
        assert len(inserts) == 1 and Notification.objects.count() == size
        counts.append(len(captured))
    assert counts[0] == counts[1], counts

    notification = Notification.objects.get(user=users["ana"])
    assert notification.emailed_at is not None  # the digest does not send it again
    assert unread_notification_count(users["ana"]) == 1
    client.force_login(users["ana"])
    page = client.get(reverse("forums:notifications")).content.decode()
    assert f"wrote about the course “{course.title}”: Field day" in page
    assert "Saturday at the river terraces" in page and f'href="{course.url}"' in page
