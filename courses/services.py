"""Every write to a learner's record: enrolments, cohorts, completions, attempts, certificates.

Each service validates, then writes inside ``transaction.atomic``; a refusal raises
``CourseError`` with a message for the person and a 4xx status for the view, and stores
nothing. Writes that race (two tabs, a double click) serialise on the learner's enrolment row
(``select_for_update``) and are idempotent: the second one finds what the first one wrote.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from courses import discussions, selectors, signals
from courses.blocks import quiz_from_block
from courses.grading import AnswerError, clean_answers, grade
from courses.models import (
    Certificate,
    Cohort,
    CompletionRule,
    CoursePage,
    Enrolment,
    EnrolmentMode,
    EnrolmentStatus,
    LessonCompletion,
    LessonPage,
    PrerequisiteWaiver,
    QuizAttempt,
)
from network.models import User
from network.text import has_control_characters, without_control_characters


class CourseError(Exception):
    """A refused write: ``message`` is for the person, ``status`` for the HTTP response."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def _locked_enrolment(*, user: User, course_key: uuid.UUID) -> Enrolment:
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(user=user, course_key=course_key, status=EnrolmentStatus.ACTIVE)
        .first()
    )
    if enrolment is None:
        raise CourseError(_("You are not enrolled in this course."), status=403)
    return enrolment


def _enrol(*, user: User, course_key: uuid.UUID, cohort: Cohort | None) -> Enrolment:
    enrolment, created = Enrolment.objects.select_for_update().get_or_create(
        user=user,
        course_key=course_key,
        defaults={"cohort": cohort, "enrolled_at": timezone.now()},
    )
    if not created and (not enrolment.is_active or (cohort and enrolment.cohort_id != cohort.pk)):
        # Coming back after withdrawing: same row, so completions and attempts are still there.
        enrolment.status = EnrolmentStatus.ACTIVE
        enrolment.withdrawn_at = None
        enrolment.cohort = cohort or enrolment.cohort
        enrolment.save(update_fields=["status", "withdrawn_at", "cohort"])
        created = True
    if created:
        discussions.discussions_follow_enrolment(
            user_id=user.pk, course_key=course_key, present=True
        )
        signals.enrolled.send(sender=Enrolment, enrolment=enrolment)
    return enrolment


def check_prerequisites(*, user: User, course: CoursePage, cohort: Cohort | None = None) -> None:
    """Refuse a learner who has not completed the course's prerequisites (a standing
    certificate of each), unless a trainer waived them for the learner or their cohort.
    Someone already enrolled (before a prerequisite was added) keeps their place."""
    if selectors.is_enrolled(user=user, course_key=course.translation_key):
        return
    missing = selectors.missing_prerequisites(
        user=user,
        course_key=course.translation_key,
        required=selectors.prerequisites_of(course),
        cohort_id=cohort.pk if cohort else None,
    )
    if missing:
        titles = ", ".join(f"“{page.title}”" for page in missing)
        raise CourseError(
            _(
                "This course builds on %(titles)s. Complete it first, or ask the course's "
                "trainers to waive it for you."
            )
            % {"titles": titles},
            status=409,
        )


@transaction.atomic
def enrolment_create(*, user: User, course: CoursePage) -> Enrolment:
    """Self-enrolment, for open courses only; cohort courses are joined with an invite code.
    The course's prerequisites must be completed first (or waived)."""
    if course.enrolment_mode != EnrolmentMode.OPEN:
        raise CourseError(_("This course is taught in cohorts: join with your invite code."))
    check_prerequisites(user=user, course=course)
    return _enrol(user=user, course_key=course.translation_key, cohort=None)


@transaction.atomic
def enrolment_withdraw(*, user: User, course_key: uuid.UUID) -> Enrolment:
    """Leave a course. The record stays, so re-enrolling picks up where the learner was."""
    enrolment = _locked_enrolment(user=user, course_key=course_key)
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.withdrawn_at = timezone.now()
    enrolment.save(update_fields=["status", "withdrawn_at"])
    discussions.discussions_follow_enrolment(user_id=user.pk, course_key=course_key, present=False)
    return enrolment


@transaction.atomic
def cohort_create(
    *,
    course: CoursePage,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    created_by: User,
) -> Cohort:
    if not name.strip():
        raise CourseError(_("Give the cohort a name."))
    if ends_on < starts_on:
        raise CourseError(_("A cohort must end on or after the day it starts."))
    cohort = Cohort(
        course_key=course.translation_key,
        name=name.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=created_by,
    )
    try:
        cohort.full_clean()
    except ValidationError as error:  # e.g. a name over 120 characters
        raise CourseError(" ".join(error.messages)) from error
    cohort.save()
    return cohort


@transaction.atomic
def cohort_join(*, user: User, invite_code: str) -> Enrolment:
    """Join a cohort (and so its course) with the code the trainer handed out."""
    code = invite_code.strip().upper()
    cohort = (
        None if has_control_characters(code) else Cohort.objects.filter(invite_code=code).first()
    )
    if cohort is None:
        raise CourseError(_("That invite code is not valid. Check it with your trainer."))
    if cohort.ends_on < timezone.localdate():
        raise CourseError(_("This cohort has ended. Ask your trainer for a current invite code."))
    course = (
        CoursePage.objects.live().filter(translation_key=cohort.course_key).order_by("pk").first()
    )
    if course is not None:
        check_prerequisites(user=user, course=course, cohort=cohort)
    return _enrol(user=user, course_key=cohort.course_key, cohort=cohort)


def _record_completion(*, user: User, course: CoursePage, lesson: LessonPage) -> None:
    completion, created = LessonCompletion.objects.get_or_create(
        user=user,
        lesson_key=lesson.translation_key,
        defaults={"course_key": course.translation_key, "completed_at": timezone.now()},
    )
    if created:
        signals.lesson_completed.send(
            sender=LessonCompletion, completion=completion, lesson=lesson, course=course
        )


def _passed_quizzes(*, user: User, lesson_keys: set[uuid.UUID]) -> set[tuple[uuid.UUID, str]]:
    return set(
        QuizAttempt.objects.filter(user=user, lesson_key__in=lesson_keys, passed=True).values_list(
            "lesson_key", "block_id"
        )
    )


@transaction.atomic
def lesson_complete(*, user: User, lesson: LessonPage) -> Certificate | None:
    """Mark a lesson read. A lesson with a quiz completes by passing the quiz instead.

    Returns the certificate when this completion finished the course.
    """
    course = selectors.course_of(lesson)
    if course is None:
        raise CourseError(_("This lesson is not part of a course."), status=404)
    _locked_enrolment(user=user, course_key=course.translation_key)
    quiz_ids = {block.id for block in lesson.quiz_blocks()}
    passed = _passed_quizzes(user=user, lesson_keys={lesson.translation_key})
    if any((lesson.translation_key, block_id) not in passed for block_id in quiz_ids):
        raise CourseError(_("Pass this lesson's quiz to complete it."), status=409)
    _record_completion(user=user, course=course, lesson=lesson)
    return _issue_if_complete(user=user, course=course)


@transaction.atomic
def quiz_attempt_submit(
    *,
    user: User,
    lesson: LessonPage,
    block_id: str,
    answers: Mapping[str, Sequence[str]],
    attempt_number: int | None,
) -> QuizAttempt:
    """Grade and store one attempt; the same attempt submitted twice is stored once.

    The form carries the number of the attempt it was rendered for (one more than the attempts
    made so far). A second POST with that number (a double click, the same quiz open in two
    tabs) returns the attempt the first one stored. ``None`` is the next attempt, whatever it
    is: answers made offline were not made on a form of a known number (``courses.offline_sync``
    keeps those idempotent by the device's own id instead). Refuses, storing nothing, when the learner
    is not enrolled, the quiz does not exist, the attempt limit is used up, the form is out of
    date, or the answers do not fit the quiz. Passing every quiz of the lesson completes the
    lesson, and may complete the course.
    """
    course = selectors.course_of(lesson)
    if course is None:
        raise CourseError(_("This lesson is not part of a course."), status=404)
    if has_control_characters(block_id):
        raise CourseError(_("This quiz no longer exists. Reload the lesson."), status=404)
    answers = {
        without_control_characters(question): [without_control_characters(v) for v in values]
        for question, values in answers.items()
    }
    _locked_enrolment(user=user, course_key=course.translation_key)
    attempts = QuizAttempt.objects.filter(
        user=user, lesson_key=lesson.translation_key, block_id=block_id
    )
    existing = attempts.filter(number=attempt_number).first() if attempt_number else None
    if existing is not None:
        return existing
    block = next((block for block in lesson.quiz_blocks() if block.id == block_id), None)
    if block is None:
        raise CourseError(_("This quiz no longer exists. Reload the lesson."), status=404)
    quiz = quiz_from_block(block.value)
    previous = attempts.count()
    if quiz.max_attempts and previous >= quiz.max_attempts:
        raise CourseError(_("You have used all your attempts at this quiz."), status=409)
    if attempt_number is None:
        attempt_number = previous + 1
    elif attempt_number != previous + 1:
        raise CourseError(_("This form is out of date. Reload the lesson and try again."))
    try:
        cleaned = clean_answers(quiz, answers)
        result = grade(quiz, cleaned)
    except AnswerError as error:
        raise CourseError(str(error)) from error
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(
                user=user,
                course_key=course.translation_key,
                lesson_key=lesson.translation_key,
                block_id=block_id,
                number=attempt_number,
                answers=cleaned,
                results=result.as_json(),
                score=result.score,
                passed=result.passed,
                submitted_at=timezone.now(),
            )
    except IntegrityError:
        # The same attempt won a race past the check above.
        return attempts.get(number=attempt_number)
    signals.attempt_recorded.send(sender=QuizAttempt, attempt=attempt, lesson=lesson, course=course)
    if result.passed:
        quiz_ids = {other.id for other in lesson.quiz_blocks()}
        passed = _passed_quizzes(user=user, lesson_keys={lesson.translation_key})
        if all((lesson.translation_key, other) in passed for other in quiz_ids):
            _record_completion(user=user, course=course, lesson=lesson)
            _issue_if_complete(user=user, course=course)
    return attempt


def completion_rule_holds(*, user: User, course: CoursePage) -> bool:
    """All lessons complete and all quizzes passed (or only the quizzes, if the course says so)."""
    lessons = selectors.course_lessons(course, with_body=True)
    if not lessons:
        return False
    lesson_keys = {lesson.translation_key for lesson in lessons}
    passed = _passed_quizzes(user=user, lesson_keys=lesson_keys)
    quizzes = {
        (lesson.translation_key, block.id) for lesson in lessons for block in lesson.quiz_blocks()
    }
    if not quizzes <= passed:
        return False
    if course.completion_rule == CompletionRule.QUIZZES:
        return bool(quizzes)
    completed = selectors.completed_lesson_keys(user=user, course_key=course.translation_key)
    return lesson_keys <= completed


def _issue_if_complete(*, user: User, course: CoursePage) -> Certificate | None:
    existing = (
        Certificate.objects.filter(user=user, course_key=course.translation_key)
        .order_by(F("revoked_at").desc(nulls_first=True), "-issued_at")
        .first()
    )
    if existing is not None:
        return existing
    if not completion_rule_holds(user=user, course=course):
        return None
    source = (
        course.get_translations(inclusive=True)
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .first()
    )
    certificate = Certificate.objects.create(
        user=user,
        course_key=course.translation_key,
        learner_name=user.public_name,
        course_title=(source or course).title,
        issued_at=timezone.now(),
    )
    signals.certificate_issued.send(sender=Certificate, certificate=certificate, course=course)
    return certificate


@transaction.atomic
def certificate_issue_if_complete(*, user: User, course: CoursePage) -> Certificate | None:
    """Issue the course's certificate once its completion rule holds; at most one per learner."""
    _locked_enrolment(user=user, course_key=course.translation_key)
    return _issue_if_complete(user=user, course=course)


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, revoked_by: User, reason: str) -> Certificate:
    """Withdraw a certificate (issued in error, misconduct). The verification page says so.

    The reason is shown on the public verification page: control characters (a NUL, which
    PostgreSQL refuses in text) are dropped, and an over-long one is refused, not cut."""
    reason = without_control_characters(reason).strip()
    if not reason:
        raise CourseError(_("Give a reason for revoking the certificate."))
    if len(reason) > 300:
        raise CourseError(_("The reason can be at most 300 characters long."))
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise CourseError(_("This certificate has already been revoked."), status=409)
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = revoked_by
    certificate.revoked_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    signals.certificate_revoked.send(sender=Certificate, certificate=certificate)
    return certificate


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, issued_by: User) -> Certificate:
    """Issue a revoked certificate again (revoked in error, or the matter was settled).

    The revoked one stays revoked: its public id keeps saying so, and its status-list bit stays
    set (Bitstring Status List revocation is final). The learner gets a new certificate with a
    new id, issued through the same signal as any other (a status-list entry, the xAPI and LTI
    records). Only the course's trainers; at most one standing certificate per course."""
    if not selectors.is_course_trainer(user=issued_by, course_key=certificate.course_key):
        raise CourseError(
            _("Only the course's trainers may re-issue its certificates."), status=403
        )
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is None:
        raise CourseError(_("Only a revoked certificate can be issued again."), status=409)
    if Certificate.objects.filter(
        user_id=certificate.user_id, course_key=certificate.course_key, revoked_at__isnull=True
    ).exists():
        raise CourseError(_("This learner already holds a certificate for the course."), status=409)
    course = (
        CoursePage.objects.filter(translation_key=certificate.course_key).order_by("pk").first()
    )
    if course is None:
        raise CourseError(_("This course no longer exists."), status=409)
    learner = certificate.user
    reissued = Certificate.objects.create(
        user=learner,
        course_key=certificate.course_key,
        learner_name=learner.public_name,
        course_title=certificate.course_title,
        issued_at=timezone.now(),
    )
    signals.certificate_issued.send(sender=Certificate, certificate=reissued, course=course)
    return reissued


@transaction.atomic
def cohort_update(
    *, cohort: Cohort, name: str, starts_on: datetime.date, ends_on: datetime.date
) -> Cohort:
    """Rename a cohort or move its dates (the admin's cohort form). Its learners and invite
    code stay."""
    if not name.strip():
        raise CourseError(_("Give the cohort a name."))
    if ends_on < starts_on:
        raise CourseError(_("A cohort must end on or after the day it starts."))
    cohort.name = without_control_characters(name).strip()
    cohort.starts_on = starts_on
    cohort.ends_on = ends_on
    try:  # what this changes (cohorts from class lists, LTI's, name no creator)
        cohort.full_clean(exclude=["created_by", "course_key", "invite_code"])
    except ValidationError as error:
        raise CourseError(" ".join(error.messages)) from error
    cohort.save(update_fields=["name", "starts_on", "ends_on"])
    return cohort


@transaction.atomic
def cohort_delete(*, cohort: Cohort) -> None:
    """Delete a cohort: its learners stay enrolled in the course (``Enrolment.cohort`` is set
    to null), its invite code stops working, and waivers granted to the cohort go with it."""
    cohort.delete()


@transaction.atomic
def prerequisite_waiver_grant(
    *,
    course: CoursePage,
    granted_by: User,
    learner: User | None = None,
    cohort: Cohort | None = None,
) -> PrerequisiteWaiver:
    """Let one learner, or every learner of one of the course's cohorts, in without the
    course's prerequisites. Granting it twice finds the first waiver. Trainers only."""
    if not selectors.is_course_trainer(user=granted_by, course_key=course.translation_key):
        raise CourseError(_("Only this course's trainers may waive its prerequisites."), status=403)
    if (learner is None) == (cohort is None):
        raise CourseError(_("Choose a learner or a cohort."))
    if cohort is not None and cohort.course_key != course.translation_key:
        raise CourseError(_("That cohort belongs to another course."))
    waiver, _created = PrerequisiteWaiver.objects.get_or_create(
        course_key=course.translation_key,
        user=learner,
        cohort=cohort,
        defaults={"granted_by": granted_by, "granted_at": timezone.now()},
    )
    return waiver
