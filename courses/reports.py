"""The trainer's report of a course: cohorts, learners, lessons and quiz scores.

A read for the course's trainers only (``selectors.is_course_trainer`` first), apart from the
learners' own pages because it reads every learner's record at once, in a fixed number of
queries whatever the number of learners or attempts.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import F

from courses.models import (
    Certificate,
    Cohort,
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    LessonCompletion,
    QuizAttempt,
)
from courses.question_stats import question_statistics
from courses.selectors import course_lessons


@dataclass(frozen=True)
class LearnerRow:
    enrolment: Enrolment
    done: int
    percent: int
    certificate: Certificate | None


SCORE_BANDS = ((0, 49), (50, 69), (70, 89), (90, 100))


def course_report(*, course: CoursePage) -> dict[str, object]:
    """Everything the course's trainers see: cohorts, learners, lessons, quiz scores.

    Only call after ``is_course_trainer``; it shows every learner's progress.
    """
    key = course.translation_key
    lessons = course_lessons(course, with_body=True)
    lesson_keys = {lesson.translation_key for lesson in lessons}
    enrolments = list(
        Enrolment.objects.filter(course_key=key)
        .select_related("user", "cohort")
        .order_by("cohort__starts_on", "user__username")
    )
    completions = list(
        LessonCompletion.objects.filter(course_key=key).values_list("user_id", "lesson_key")
    )
    done_by_user = Counter(
        user_id for user_id, lesson_key in completions if lesson_key in lesson_keys
    )
    done_by_lesson = Counter(lesson_key for _user_id, lesson_key in completions)
    certificates = {
        certificate.user_id: certificate
        # Oldest first, the standing one last: each learner's row shows what stands now.
        for certificate in Certificate.objects.filter(course_key=key)
        .select_related("user")
        .order_by(F("revoked_at").asc(nulls_last=True), "issued_at")
    }
    total = len(lessons)
    learners = [
        LearnerRow(
            enrolment=enrolment,
            done=done_by_user[enrolment.user_id],
            percent=(100 * done_by_user[enrolment.user_id]) // total if total else 0,
            certificate=certificates.get(enrolment.user_id),
        )
        for enrolment in enrolments
    ]
    cohorts = list(Cohort.objects.filter(course_key=key))
    per_cohort = Counter((enrolment.cohort_id, enrolment.status) for enrolment in enrolments)
    cohort_rows = [
        {
            "cohort": cohort,
            "active": per_cohort[(cohort.pk if cohort else None, EnrolmentStatus.ACTIVE)],
            "withdrawn": per_cohort[(cohort.pk if cohort else None, EnrolmentStatus.WITHDRAWN)],
        }
        for cohort in [None, *cohorts]
    ]
    # Each learner's best score per quiz, in bands.
    best: dict[tuple[uuid.UUID, str], dict[int, int]] = defaultdict(dict)
    attempt_counts: Counter = Counter()
    for user_id, lesson_key, block_id, score in QuizAttempt.objects.filter(
        course_key=key
    ).values_list("user_id", "lesson_key", "block_id", "score"):
        scores = best[(lesson_key, block_id)]
        scores[user_id] = max(score, scores.get(user_id, 0))
        attempt_counts[(lesson_key, block_id)] += 1
    quiz_rows = []
    for lesson in lessons:
        for block in lesson.quiz_blocks():
            scores = best[(lesson.translation_key, block.id)].values()
            quiz_rows.append(
                {
                    "lesson": lesson,
                    "key": (lesson.translation_key, block.id),
                    "title": block.value["title"],
                    "learners": len(scores),
                    "attempts": attempt_counts[(lesson.translation_key, block.id)],
                    "bands": [
                        {"low": low, "high": high, "count": sum(low <= s <= high for s in scores)}
                        for low, high in SCORE_BANDS
                    ],
                }
            )
    return {
        "learners": learners,
        "cohort_rows": [
            row for row in cohort_rows if row["cohort"] or row["active"] or row["withdrawn"]
        ],
        "cohorts": cohorts,
        "lesson_rows": [
            {"lesson": lesson, "completed": done_by_lesson[lesson.translation_key]}
            for lesson in lessons
        ],
        "quiz_rows": quiz_rows,
        # Each learner's best score per quiz, by (lesson key, block id): the CSV's quiz columns.
        "best_scores": {key: dict(scores) for key, scores in best.items()},
        "question_rows": question_statistics(course_key=key, lessons=lessons),
        "lesson_count": total,
    }
