"""Reflection answers: what a learner writes for a lesson's reflection prompt.

The learner reads their own answer on the lesson page; the course's trainers read it on the
course's reflections page only when the learner ticked "share". The text is plain text, kept
as typed (control characters dropped) and always shown escaped, so it needs no sanitiser.
"""

from __future__ import annotations

import uuid

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses import selectors
from courses.models import LessonPage, ReflectionAnswer
from courses.services import CourseError
from network.models import User
from network.text import without_control_characters

MAX_LENGTH = 5000
PER_PAGE = 25


def reflection_block_ids(lesson: LessonPage) -> set[str]:
    return {block.id for block in lesson.body if block.block_type == "reflection" and block.id}


@transaction.atomic
def reflection_answer_save(
    *, user: User, lesson: LessonPage, block_id: str, text: str, shared: bool
) -> ReflectionAnswer:
    """Keep (or replace) the learner's answer to one prompt. Only the course's active
    learners write answers; the prompt must be in the lesson."""
    course = selectors.course_of(lesson)
    if course is None or not selectors.is_enrolled(user=user, course_key=course.translation_key):
        raise CourseError(_("Only the course's learners keep reflections."), status=403)
    if block_id not in reflection_block_ids(lesson):
        raise CourseError(_("This lesson has no such reflection prompt."), status=404)
    text = without_control_characters(text).strip()
    if not text:
        raise CourseError(_("Write your reflection before saving it."))
    if len(text) > MAX_LENGTH:
        raise CourseError(_("A reflection can be at most 5000 characters long."))
    answer, _created = ReflectionAnswer.objects.update_or_create(
        user=user,
        lesson_key=lesson.translation_key,
        block_id=block_id,
        defaults={
            "course_key": course.translation_key,
            "text": text,
            "shared_with_trainers": shared,
            "updated_at": timezone.now(),
        },
    )
    return answer


def answers_of(*, user, lesson: LessonPage) -> dict[str, ReflectionAnswer]:
    """The reader's own answers in the lesson, by block id (no query for a lesson with no
    prompt, or for a visitor)."""
    if not user.is_authenticated or not reflection_block_ids(lesson):
        return {}
    return {
        answer.block_id: answer
        for answer in ReflectionAnswer.objects.filter(
            user_id=user.pk, lesson_key=lesson.translation_key
        )
    }


def shared_answers(*, course_key: uuid.UUID, page_number: object) -> PaginatorPage:
    """The answers the course's learners chose to share, newest first, a page at a time."""
    answers = (
        ReflectionAnswer.objects.filter(course_key=course_key, shared_with_trainers=True)
        .select_related("user")
        .order_by("-updated_at", "-pk")
    )
    return Paginator(answers, PER_PAGE).get_page(page_number)


def lesson_titles(*, lesson_keys: set[uuid.UUID], language: str) -> dict[uuid.UUID, str]:
    """Each lesson's title in the reader's language (else any), for the trainers' page."""
    titles: dict[uuid.UUID, str] = {}
    for key, title, code in LessonPage.objects.filter(translation_key__in=lesson_keys).values_list(
        "translation_key", "title", "locale__language_code"
    ):
        if key not in titles or code == language:
            titles[key] = title
    return titles
