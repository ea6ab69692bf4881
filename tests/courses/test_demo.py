"""The courses' demo content: three courses, a cohort, the demo people, idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from wagtail.models import Page

from courses import selectors
from courses.models import Cohort, CoursePage, Enrolment, LessonCompletion, LessonPage
from network.models import User

pytestmark = pytest.mark.django_db


def seed() -> None:
    call_command("seed_demo", stdout=io.StringIO())


def test_demo_has_three_courses_with_modules_lessons_and_quizzes():
    seed()
    english = CoursePage.objects.filter(locale__language_code="en")
    assert sorted(english.values_list("title", flat=True)) == [
        "Landscape finance basics",
        "Monitoring restoration outcomes",
        "Starting a landscape partnership",
    ]
    trainer = User.objects.get(username="trainer")
    for course in english:
        outline = selectors.course_outline(course)
        assert 2 <= len(outline) <= 3
        assert list(course.trainers.all()) == [trainer]
        assert course.get_workflow() is not None
    block_types = {block.block_type for lesson in LessonPage.objects.all() for block in lesson.body}
    assert block_types >= {"text", "image", "video", "document", "callout", "reflection", "quiz"}
    assert CoursePage.objects.filter(locale__language_code="es").exists()
    learner = User.objects.get(username="learner")
    assert Enrolment.objects.filter(user=learner).count() == 2
    assert LessonCompletion.objects.filter(user=learner).count() == 1
    assert Cohort.objects.get().invite_code == "ANDES2026"

    counts = (Page.objects.count(), Enrolment.objects.count(), Cohort.objects.count())
    seed()
    assert (Page.objects.count(), Enrolment.objects.count(), Cohort.objects.count()) == counts
