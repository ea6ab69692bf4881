"""A discussion thread per lesson: a forum topic, opened the first time a reader asks for it.

The topic belongs to the lesson's translation key, so every translation of a lesson leads to
the same thread. It opens in the forum's public "Course discussions" category, and only for
courses open to everyone: the forum's private audiences are landscape partnerships, and a
course's cohort is not one, so a course taught in cohorts or behind a view restriction gets no
thread rather than a public one (``discussion_available``).

Courses reaches into forums here only, lazily, as forums reaches into courses for a live
dialogue's lesson; the lesson page itself reads nothing of forums (its link costs no query).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from courses.models import CoursePage, EnrolmentMode, LessonDiscussion, LessonPage
from network.models import User

CATEGORY_SLUG = "course-discussions"


def discussion_available(course: CoursePage | None) -> bool:
    """Whether the course's lessons may have a (public) discussion thread: an open course
    outside any view restriction (no query when the course was routed: its restriction state
    came with it)."""
    if course is None or course.enrolment_mode != EnrolmentMode.OPEN:
        return False
    return not course.get_view_restrictions().exists()


def _category():
    from forums.models import Category

    category, _created = Category.objects.get_or_create(
        slug=CATEGORY_SLUG,
        defaults={
            "name": _("Course discussions"),
            "description": _("Questions and ideas about the lessons of the courses."),
        },
    )
    return category


def lesson_discussion_open(*, user: User, lesson: LessonPage, course: CoursePage):
    """The lesson's forum topic, opened now if nobody has yet; the caller has checked that
    ``user`` may read the lesson and that the course may have a thread.

    Two readers asking at once both get the one topic: the lesson key is unique, and the loser
    of the race rolls back its own topic and reads the winner's. The topic is opened in the
    name of the course's first trainer (or the reader, when the course has none) with a short
    note linking the lesson."""
    from forums.services import topic_open

    found = LessonDiscussion.objects.filter(lesson_key=lesson.translation_key).first()
    if found is not None:
        return found.topic
    author = course.trainers.order_by("pk").first() or user
    body = _(
        "Questions and thoughts about the lesson “%(lesson)s” of the course “%(course)s”: %(url)s"
    ) % {"lesson": lesson.title, "course": course.title, "url": lesson.full_url or lesson.url}
    try:
        with transaction.atomic():
            topic = topic_open(
                author=author, category=_category(), title=lesson.title[:200], body=body
            )
            LessonDiscussion.objects.create(
                lesson_key=lesson.translation_key, course_key=course.translation_key, topic=topic
            )
    except IntegrityError:
        return (
            LessonDiscussion.objects.select_related("topic")
            .get(lesson_key=lesson.translation_key)
            .topic
        )
    return topic
