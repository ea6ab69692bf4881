"""courses.services: enrolment, cohorts, completion, quiz attempts and certificates.

Refusals store nothing; repeated writes are idempotent; withdrawing keeps history.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from courses import services
from courses.models import (
    Certificate,
    CompletionRule,
    Enrolment,
    EnrolmentStatus,
    LessonCompletion,
    QuizAttempt,
)
from courses.services import CourseError
from tests.courses.conftest import QUIZ_ID, RIGHT, WRONG

pytestmark = pytest.mark.django_db


def submit(user, lesson, answers, number=1, block_id=QUIZ_ID):
    return services.quiz_attempt_submit(
        user=user, lesson=lesson, block_id=block_id, answers=answers, attempt_number=number
    )


def complete_all_reading(user, built):
    for lesson in built.lessons:
        if not lesson.quiz_blocks():
            services.lesson_complete(user=user, lesson=lesson)


# --- Enrolment and cohorts ----------------------------------------------------------------


def test_learner_self_enrols_in_an_open_course_once(learner, make_course):
    built = make_course()
    first = services.enrolment_create(user=learner, course=built.course)
    again = services.enrolment_create(user=learner, course=built.course)
    assert first.pk == again.pk
    assert first.status == EnrolmentStatus.ACTIVE


def test_cohort_course_refuses_self_enrolment(learner, make_course):
    built = make_course(mode="cohort")
    with pytest.raises(CourseError, match="invite code"):
        services.enrolment_create(user=learner, course=built.course)
    assert not Enrolment.objects.exists()


def test_withdrawing_keeps_progress_and_re_enrolling_restores_it(learner, make_course):
    built = make_course()
    services.enrolment_create(user=learner, course=built.course)
    services.lesson_complete(user=learner, lesson=built.lessons[0])
    services.enrolment_withdraw(user=learner, course_key=built.course.translation_key)
    enrolment = Enrolment.objects.get()
    assert enrolment.status == EnrolmentStatus.WITHDRAWN
    assert enrolment.withdrawn_at is not None
    assert LessonCompletion.objects.filter(user=learner).count() == 1
    services.enrolment_create(user=learner, course=built.course)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert Enrolment.objects.count() == 1


def test_learner_joins_a_cohort_with_its_invite_code(learner, trainer, make_course):
    built = make_course(mode="cohort")
    today = timezone.localdate()
    cohort = services.cohort_create(
        course=built.course,
        name="Andes",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=30),
        created_by=trainer,
    )
    enrolment = services.cohort_join(user=learner, invite_code=f"  {cohort.invite_code.lower()} ")
    assert enrolment.cohort == cohort
    assert enrolment.course_key == built.course.translation_key


def test_unknown_or_ended_cohort_codes_are_refused(learner, trainer, make_course):
    built = make_course(mode="cohort")
    today = timezone.localdate()
    ended = services.cohort_create(
        course=built.course,
        name="Last year",
        starts_on=today - datetime.timedelta(days=400),
        ends_on=today - datetime.timedelta(days=300),
        created_by=trainer,
    )
    with pytest.raises(CourseError, match="not valid"):
        services.cohort_join(user=learner, invite_code="NOPE")
    with pytest.raises(CourseError, match="ended"):
        services.cohort_join(user=learner, invite_code=ended.invite_code)
    assert not Enrolment.objects.exists()


def test_cohort_must_end_after_it_starts(trainer, make_course):
    built = make_course(mode="cohort")
    today = timezone.localdate()
    with pytest.raises(CourseError):
        services.cohort_create(
            course=built.course,
            name="Backwards",
            starts_on=today,
            ends_on=today - datetime.timedelta(days=1),
            created_by=trainer,
        )


# --- Lessons and quizzes ------------------------------------------------------------------


def test_completing_a_lesson_needs_an_enrolment(learner, make_course):
    built = make_course()
    with pytest.raises(CourseError) as refused:
        services.lesson_complete(user=learner, lesson=built.lessons[0])
    assert refused.value.status == 403
    assert not LessonCompletion.objects.exists()


def test_completing_a_lesson_twice_records_it_once(learner, make_course):
    built = make_course()
    services.enrolment_create(user=learner, course=built.course)
    services.lesson_complete(user=learner, lesson=built.lessons[0])
    services.lesson_complete(user=learner, lesson=built.lessons[0])
    assert LessonCompletion.objects.count() == 1


def test_a_quiz_lesson_completes_only_by_passing_its_quiz(learner, make_course):
    built = make_course()
    services.enrolment_create(user=learner, course=built.course)
    with pytest.raises(CourseError, match="Pass this lesson's quiz"):
        services.lesson_complete(user=learner, lesson=built.quiz_lesson)
    submit(learner, built.quiz_lesson, RIGHT)
    assert LessonCompletion.objects.filter(lesson_key=built.quiz_lesson.translation_key).exists()


def test_every_attempt_is_stored_with_answers_score_and_result(learner, make_course):
    built = make_course()
    services.enrolment_create(user=learner, course=built.course)
    failed = submit(learner, built.quiz_lesson, WRONG, number=1)
    passed = submit(learner, built.quiz_lesson, RIGHT, number=2)
    assert (failed.score, failed.passed) == (0, False)
    assert (passed.score, passed.passed) == (100, True)
    assert QuizAttempt.objects.count() == 2
    assert failed.answers["q-single"] == ["a"]
    assert {row["question"] for row in passed.results} == set(RIGHT)


def test_double_submission_stores_one_attempt(learner, make_course):
    built = make_course()
    services.enrolment_create(user=learner, course=built.course)
    first = submit(learner, built.quiz_lesson, RIGHT, number=1)
    second = submit(learner, built.quiz_lesson, RIGHT, number=1)
    assert first.pk == second.pk
    assert QuizAttempt.objects.count() == 1
    assert LessonCompletion.objects.count() == 1


def test_the_same_attempt_from_two_tabs_is_stored_once_first_answers_win(learner, make_course):
    built = make_course()
    services.enrolment_create(user=learner, course=built.course)
    first_tab = submit(learner, built.quiz_lesson, WRONG, number=1)
    second_tab = submit(learner, built.quiz_lesson, RIGHT, number=1)
    assert second_tab.pk == first_tab.pk
    assert not second_tab.passed
    assert QuizAttempt.objects.count() == 1


def test_an_attempt_number_from_the_future_is_refused(learner, make_course):
    built = make_course()
    services.enrolment_create(user=learner, course=built.course)
    with pytest.raises(CourseError, match="out of date"):
        submit(learner, built.quiz_lesson, RIGHT, number=2)
    with pytest.raises(CourseError, match="out of date"):
        submit(learner, built.quiz_lesson, RIGHT, number=0)
    assert not QuizAttempt.objects.exists()


def test_attempt_limit_refuses_the_next_attempt_and_stores_nothing(learner, make_course):
    built = make_course(max_attempts=2)
    services.enrolment_create(user=learner, course=built.course)
    submit(learner, built.quiz_lesson, WRONG, number=1)
    submit(learner, built.quiz_lesson, WRONG, number=2)
    with pytest.raises(CourseError, match="used all your attempts") as refused:
        submit(learner, built.quiz_lesson, RIGHT, number=3)
    assert refused.value.status == 409
    assert QuizAttempt.objects.count() == 2
    # A replay of an earlier submission still answers with that attempt, not an error.
    assert submit(learner, built.quiz_lesson, WRONG, number=2).score == 0


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({**RIGHT, "q-single": ["zzz"]}, "not one of its choices"),
        ({key: value for key, value in RIGHT.items() if key != "q-short"}, "Please answer"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_stored(learner, make_course, answers, message):
    built = make_course()
    services.enrolment_create(user=learner, course=built.course)
    with pytest.raises(CourseError, match=message) as refused:
        submit(learner, built.quiz_lesson, answers)
    assert refused.value.status == 400
    assert not QuizAttempt.objects.exists()


def test_quiz_for_a_course_one_is_not_enrolled_in_is_refused(learner, make_course):
    built = make_course()
    with pytest.raises(CourseError) as refused:
        submit(learner, built.quiz_lesson, RIGHT)
    assert refused.value.status == 403
    assert not QuizAttempt.objects.exists()


def test_unknown_quiz_block_is_refused(learner, make_course):
    built = make_course()
    services.enrolment_create(user=learner, course=built.course)
    with pytest.raises(CourseError) as refused:
        submit(learner, built.quiz_lesson, RIGHT, block_id="nope")
    assert refused.value.status == 404


# --- Certificates -------------------------------------------------------------------------


def test_certificate_is_issued_once_every_lesson_is_complete_and_the_quiz_passed(
    learner, make_course
):
    built = make_course()
    services.enrolment_create(user=learner, course=built.course)
    submit(learner, built.quiz_lesson, RIGHT)
    assert not Certificate.objects.exists()  # reading lessons still open
    complete_all_reading(learner, built)
    certificate = Certificate.objects.get()
    assert certificate.user == learner
    assert certificate.course_title == built.course.title
    assert certificate.learner_name == learner.public_name
    assert certificate.is_valid
    assert len(certificate.public_id) >= 20
    # Nothing issues a second one.
    assert services.certificate_issue_if_complete(user=learner, course=built.course) == certificate
    assert Certificate.objects.count() == 1


def test_quizzes_only_rule_issues_when_the_quizzes_are_passed(learner, make_course):
    built = make_course(completion_rule=CompletionRule.QUIZZES)
    services.enrolment_create(user=learner, course=built.course)
    submit(learner, built.quiz_lesson, RIGHT)
    assert Certificate.objects.filter(user=learner).exists()


def test_failing_the_quiz_issues_nothing(learner, make_course):
    built = make_course()
    services.enrolment_create(user=learner, course=built.course)
    complete_all_reading(learner, built)
    submit(learner, built.quiz_lesson, WRONG)
    assert services.certificate_issue_if_complete(user=learner, course=built.course) is None


def test_revoking_a_certificate_records_who_when_and_why(learner, trainer, make_course):
    built = make_course(quiz=False, modules=1, lessons=1)
    services.enrolment_create(user=learner, course=built.course)
    certificate = services.lesson_complete(user=learner, lesson=built.lessons[0])
    assert certificate is not None
    revoked = services.certificate_revoke(
        certificate=certificate, revoked_by=trainer, reason="Issued in error"
    )
    assert not revoked.is_valid
    assert revoked.revoked_by == trainer
    assert revoked.revoked_reason == "Issued in error"
    with pytest.raises(CourseError):
        services.certificate_revoke(certificate=certificate, revoked_by=trainer, reason="again")
    with pytest.raises(CourseError):
        services.certificate_revoke(certificate=certificate, revoked_by=trainer, reason=" ")
