"""What a trainer sees of their courses on the Wagtail admin's dashboard: each course they
teach, with its learners, completions (certificates issued and not revoked) and the last time a
learner did something in it, and a link to its report.

A read, in a fixed number of queries however many courses, learners or attempts (one per
kind of record, grouped by course), so the dashboard costs the same for a busy trainer.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.db.models import Count, Max

from courses.models import (
    Certificate,
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    LessonCompletion,
    QuizAttempt,
)


@dataclass(frozen=True)
class CourseSummary:
    course: CoursePage
    learners: int
    completions: int
    last_activity: datetime.datetime | None


def courses_taught_summary(*, user) -> list[CourseSummary]:
    """The courses ``user`` teaches (one translation each: the first created), with their
    figures. Superusers see every course. Five queries whatever the numbers."""
    if not user.is_authenticated:
        return []
    courses = CoursePage.objects.order_by("translation_key", "pk")
    if not user.is_superuser:
        courses = courses.filter(trainers=user)
    by_key: dict[uuid.UUID, CoursePage] = {}
    for course in courses.only("pk", "title", "translation_key", "live"):
        by_key.setdefault(course.translation_key, course)
    if not by_key:
        return []
    keys = list(by_key)
    learners = dict(
        Enrolment.objects.filter(course_key__in=keys, status=EnrolmentStatus.ACTIVE)
        .values_list("course_key")
        .annotate(n=Count("pk"))
    )
    completions = dict(
        Certificate.objects.filter(course_key__in=keys, revoked_at__isnull=True)
        .values_list("course_key")
        .annotate(n=Count("pk"))
    )
    last_lesson = dict(
        LessonCompletion.objects.filter(course_key__in=keys)
        .values_list("course_key")
        .annotate(last=Max("completed_at"))
    )
    last_quiz = dict(
        QuizAttempt.objects.filter(course_key__in=keys)
        .values_list("course_key")
        .annotate(last=Max("submitted_at"))
    )
    summaries = []
    for key, course in by_key.items():
        moments = [moment for moment in (last_lesson.get(key), last_quiz.get(key)) if moment]
        summaries.append(
            CourseSummary(
                course=course,
                learners=learners.get(key, 0),
                completions=completions.get(key, 0),
                last_activity=max(moments) if moments else None,
            )
        )
    return sorted(summaries, key=lambda summary: summary.course.title.lower())
