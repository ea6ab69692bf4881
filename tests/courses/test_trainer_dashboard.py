"""The admin dashboard's course panel: a trainer's own courses with their learners,
completions and last activity, linked to each report, in a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import Certificate, Enrolment, LessonCompletion, QuizAttempt
from courses.trainer_dashboard import courses_taught_summary
from network.roles import Role

pytestmark = pytest.mark.django_db


def _learners(course, make_user, count: int, *, when: datetime.datetime) -> None:
    for number in range(count):
        user = make_user()
        Enrolment.objects.create(user=user, course_key=course.translation_key, enrolled_at=when)
        LessonCompletion.objects.create(
            user=user,
            course_key=course.translation_key,
            lesson_key=course.translation_key,
            completed_at=when,
        )
        QuizAttempt.objects.create(
            user=user,
            course_key=course.translation_key,
            lesson_key=course.translation_key,
            block_id="quiz-1",
            answers={},
            score=100,
            passed=True,
            number=1,
            submitted_at=when + datetime.timedelta(minutes=number),
        )
        Certificate.objects.create(
            user=user,
            course_key=course.translation_key,
            learner_name="L",
            course_title=course.title,
            issued_at=when,
            revoked_at=when if number == 0 else None,
        )


def test_a_trainer_sees_their_courses_figures_and_no_other(trainer, make_user, make_course):
    mine = make_course(trainers=[trainer], modules=1, lessons=1, quiz=False).course
    other = make_course(trainers=[make_user(Role.TRAINER)], modules=1, lessons=1).course
    when = timezone.now() - datetime.timedelta(days=2)
    _learners(mine, make_user, 3, when=when)
    _learners(other, make_user, 2, when=when)
    (summary,) = courses_taught_summary(user=trainer)
    assert summary.course.pk == mine.pk
    assert summary.learners == 3
    assert summary.completions == 2  # one certificate was revoked
    assert summary.last_activity == when + datetime.timedelta(minutes=2)
    assert courses_taught_summary(user=make_user()) == []


@pytest.mark.parametrize("learners", [1, 12], ids=["one-learner", "twelve-learners"])
def test_the_panel_costs_the_same_whatever_the_numbers(trainer, make_user, make_course, learners):
    for _ in range(2):
        course = make_course(trainers=[trainer], modules=1, lessons=1, quiz=False).course
        _learners(course, make_user, learners, when=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        summaries = courses_taught_summary(user=trainer)
    assert len(summaries) == 2
    assert len(queries) == 5


def test_the_dashboard_shows_the_panel_with_report_links(client, trainer, make_user, make_course):
    mine = make_course(trainers=[trainer], modules=1, lessons=1, quiz=False).course
    other = make_course(trainers=[make_user(Role.TRAINER)], modules=1, lessons=1).course
    client.force_login(trainer)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Your courses" in page
    assert reverse("courses:report", args=[mine.pk]) in page
    assert reverse("courses:report", args=[other.pk]) not in page
    client.force_login(make_user(Role.EDITOR, is_staff=True))
    assert "Your courses" not in client.get(reverse("wagtailadmin_home")).content.decode()
