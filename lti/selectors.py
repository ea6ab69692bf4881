"""Reads for grade return: where a learner's record stands for one grade link's target."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Max, Q
from lti_tool.models import LtiMembership

from courses import selectors as course_selectors
from courses.models import (
    Certificate,
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    LessonCompletion,
    LessonPage,
    QuizAttempt,
)
from lti.models import ContextCohort, GradeLink
from lti.scores import Standing


def _target_lessons(link: GradeLink) -> list:
    if link.lesson_key is not None:
        lesson = course_selectors.lesson_in(
            lesson_key=link.lesson_key, language=settings.LANGUAGE_CODE
        )
        return [lesson] if lesson is not None else []
    courses = list(
        CoursePage.objects.live()
        .filter(translation_key=link.course_key, alias_of__isnull=True)
        .select_related("locale")
        .order_by("pk")
    )
    course = next(
        (page for page in courses if page.locale.language_code == settings.LANGUAGE_CODE),
        courses[0] if courses else None,
    )
    return course_selectors.course_lessons(course, with_body=True) if course else []


def standing_of(link: GradeLink) -> Standing:
    """The link's learner's record for its target now, stamped with the link's last change.
    Quiz blocks keep their ids across a page's translations, so one language's page lists
    them all."""
    quizzes = [
        (lesson.translation_key, block.id)
        for lesson in _target_lessons(link)
        for block in lesson.quiz_blocks()
    ]
    best = (
        {
            (row["lesson_key"], row["block_id"]): row["best"]
            for row in QuizAttempt.objects.filter(
                user_id=link.user_id, lesson_key__in={key for key, _block in quizzes}
            )
            .values("lesson_key", "block_id")
            .annotate(best=Max("score"))
        }
        if quizzes
        else {}
    )
    if link.lesson_key is not None:
        completed = LessonCompletion.objects.filter(
            user_id=link.user_id, lesson_key=link.lesson_key
        ).exists()
    else:
        completed = Certificate.objects.filter(
            user_id=link.user_id, course_key=link.course_key, revoked_at__isnull=True
        ).exists()
    return Standing(
        user_id=link.lti_user.sub,
        best_scores=tuple(best.get(quiz, 0) for quiz in quizzes),
        completed=completed,
        timestamp=link.changed_at,
    )


def deep_link_catalogue() -> list[tuple[CoursePage, list[LessonPage]]]:
    """What a platform's teacher may pick: every live public course in the site's language,
    with its lessons in reading order (two queries whatever the number of courses)."""
    courses = list(
        CoursePage.objects.live()
        .public()
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .order_by("title")
    )
    if not courses:
        return []
    under_a_course = Q()
    for course in courses:
        under_a_course |= Q(path__startswith=course.path)
    lessons = (
        LessonPage.objects.live().public().defer("body").filter(under_a_course).order_by("path")
    )
    by_course: dict[int, list[LessonPage]] = {course.pk: [] for course in courses}
    for lesson in lessons:
        owner = next((c for c in courses if lesson.path.startswith(c.path)), None)
        if owner is not None:
            by_course[owner.pk].append(lesson)
    return [(course, by_course[course.pk]) for course in courses]


def context_cohort_of(*, lti_launch, course_key) -> ContextCohort | None:
    """The cohort link a resource launch enrolled into (``services._context_cohort``)."""
    context = lti_launch.context_claim
    if not isinstance(context, dict) or not context.get("id"):
        return None
    return (
        ContextCohort.objects.select_related("cohort")
        .filter(
            deployment=lti_launch.deployment,
            context_id=str(context["id"]),
            course_key=course_key,
        )
        .first()
    )


def roster_summary(context_cohort: ContextCohort) -> dict[str, int]:
    """What the instructor's class list page counts: the cohort's active and withdrawn
    enrolments, and the platform course's members as last read (learners, instructors)."""
    enrolments = dict(
        Enrolment.objects.filter(cohort_id=context_cohort.cohort_id)
        .values_list("status")
        .annotate(count=Count("pk"))
    )
    members = LtiMembership.objects.filter(
        context__deployment_id=context_cohort.deployment_id,
        context__id_on_platform=context_cohort.context_id,
        is_active=True,
    ).aggregate(
        learners=Count("pk", filter=Q(is_learner=True, is_instructor=False)),
        instructors=Count("pk", filter=Q(is_instructor=True)),
    )
    return {
        "enrolled": enrolments.get(EnrolmentStatus.ACTIVE, 0),
        "withdrawn": enrolments.get(EnrolmentStatus.WITHDRAWN, 0),
        "learners": members["learners"] or 0,
        "instructors": members["instructors"] or 0,
    }
