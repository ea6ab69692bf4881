"""courses.selectors: progress, the next lesson, the dashboard, and one record across
translations of a course."""

from __future__ import annotations

import pytest
from wagtail.models import Locale

from courses import selectors, services
from courses.models import CoursePage
from tests.courses.conftest import RIGHT

pytestmark = pytest.mark.django_db


def test_progress_counts_completed_lessons_and_points_at_the_first_open_one(learner, make_course):
    built = make_course(modules=2, lessons=2, quiz=False)
    services.enrolment_create(user=learner, course=built.course)
    progress = selectors.course_progress(user=learner, course=built.course)
    assert (progress.done, progress.total, progress.percent) == (0, 4, 0)
    assert progress.next_lesson.pk == built.lessons[0].pk
    services.lesson_complete(user=learner, lesson=built.lessons[0])
    services.lesson_complete(user=learner, lesson=built.lessons[2])
    progress = selectors.course_progress(user=learner, course=built.course)
    assert (progress.done, progress.percent, progress.started) == (2, 50, True)
    assert progress.next_lesson.pk == built.lessons[1].pk


def test_progress_of_a_course_with_three_lessons_rounds_down(learner, make_course):
    built = make_course(modules=1, lessons=3, quiz=False)
    services.enrolment_create(user=learner, course=built.course)
    services.lesson_complete(user=learner, lesson=built.lessons[0])
    assert selectors.course_progress(user=learner, course=built.course).percent == 33


def test_unpublished_lessons_do_not_count(learner, make_course):
    built = make_course(modules=1, lessons=2, quiz=False)
    built.lessons[1].unpublish()
    assert selectors.course_progress(user=learner, course=built.course).total == 1


def test_outline_groups_lessons_under_their_modules_in_order(make_course):
    built = make_course(modules=2, lessons=3, quiz=False)
    outline = selectors.course_outline(built.course)
    assert [item.module.title for item in outline] == ["Module 1", "Module 2"]
    assert [lesson.title for lesson in outline[1].lessons] == ["Lesson 4", "Lesson 5", "Lesson 6"]


def test_dashboard_lists_my_active_courses_progress_and_certificates(
    learner, make_user, make_course
):
    first = make_course(modules=1, lessons=2, quiz=False)
    second = make_course(modules=1, lessons=1, quiz=False)
    third = make_course(modules=1, lessons=1, quiz=False)
    other = make_user()
    for built in (first, second, third):
        services.enrolment_create(user=learner, course=built.course)
    services.enrolment_create(user=other, course=first.course)
    services.lesson_complete(user=other, lesson=first.lessons[0])
    services.lesson_complete(user=learner, lesson=second.lessons[0])  # finishes the course
    services.enrolment_withdraw(user=learner, course_key=third.course.translation_key)
    data = selectors.dashboard_for(user=learner, language="en")
    rows = {row.course.pk: row for row in data["rows"]}
    assert set(rows) == {first.course.pk, second.course.pk}
    assert rows[first.course.pk].progress.percent == 0  # the other learner's work is theirs
    assert rows[first.course.pk].progress.next_lesson.pk == first.lessons[0].pk
    assert rows[second.course.pk].certificate is not None
    assert [certificate.course_key for certificate in data["certificates"]] == [
        second.course.translation_key
    ]


def _translate(course: CoursePage, code: str) -> CoursePage:
    locale = Locale.objects.get(language_code=code)
    pages = [course, *course.get_descendants().order_by("path").specific()]
    copies = []
    for page in pages:
        copy = page.copy_for_translation(locale, copy_parents=page.pk == course.pk)
        copy.title = f"{page.title} ({code})"
        copy.save_revision().publish()
        copies.append(copy)
    return copies[0]


def test_a_translated_course_shares_the_learners_record(learner, make_course):
    built = make_course(modules=1, lessons=2)
    spanish = _translate(built.course, "es")
    services.enrolment_create(user=learner, course=spanish)
    spanish_lessons = selectors.course_lessons(spanish, with_body=True)
    services.lesson_complete(user=learner, lesson=spanish_lessons[0])
    # The quiz keeps its block ids in the translation, so the Spanish attempt counts.
    services.quiz_attempt_submit(
        user=learner,
        lesson=spanish_lessons[1],
        block_id="quiz-1",
        answers=RIGHT,
        attempt_number=1,
    )
    english = selectors.course_progress(user=learner, course=built.course)
    assert english.percent == 100
    assert selectors.active_enrolment(user=learner, course_key=built.course.translation_key)
    # The dashboard shows the course in the learner's language where it exists.
    assert selectors.dashboard_for(user=learner, language="es")["rows"][0].course.pk == spanish.pk
    assert (
        selectors.dashboard_for(user=learner, language="fr")["rows"][0].course.pk == built.course.pk
    )
    assert learner.certificates.get().course_title == built.course.title


def test_course_trainers_and_tags_come_in_one_query_with_what_the_page_shows(
    make_course, make_user, django_assert_num_queries
):
    first = make_user(display_name="Amina O.")
    second = make_user(first_name="Luis", last_name="Pérez")
    course = make_course(modules=1, lessons=1, trainers=[first, second]).course
    course.tags.add("soils", "water")
    course.save()

    with django_assert_num_queries(1):
        trainers, tags = selectors.course_trainers_and_tags(course)
    with django_assert_num_queries(0):
        assert [trainer.public_name for trainer in trainers] == ["Amina O.", "Luis Pérez"]
        assert sorted(tag.name for tag in tags) == ["soils", "water"]
