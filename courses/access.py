"""Who may read a course's pages and act on them: the decisions, in one place.

Each answer is data (an enum, a boolean); what to do about a refusal (a redirect, a message,
a 403 page) is the page's or the view's business.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from courses.models import Certificate, CoursePage
from courses.selectors import AnyUser, is_course_trainer, is_enrolled


class LessonAccess(enum.Enum):
    """Whether a request may read a lesson, and if not, what it should do first."""

    SIGN_IN = "sign_in"
    ENROL = "enrol"
    READ = "read"


@dataclass(frozen=True)
class LessonReader:
    access: LessonAccess
    #: An active learner of the course (a trainer may read without being one).
    enrolled: bool = False


def lesson_reader(*, user: AnyUser, course: CoursePage | None) -> LessonReader:
    """Lessons are for the course's learners and its trainers; anyone else must sign in or
    enrol first. A lesson outside any course is for every signed-in member."""
    if not user.is_authenticated:
        return LessonReader(access=LessonAccess.SIGN_IN)
    if course is None:
        return LessonReader(access=LessonAccess.READ)
    key = course.translation_key
    if is_enrolled(user=user, course_key=key):
        return LessonReader(access=LessonAccess.READ, enrolled=True)
    if is_course_trainer(user=user, course_key=key):
        return LessonReader(access=LessonAccess.READ)
    return LessonReader(access=LessonAccess.ENROL)


def may_manage_course(*, user: AnyUser, course: CoursePage) -> bool:
    """The course's report, its cohorts and its certificates are its trainers' to manage."""
    return is_course_trainer(user=user, course_key=course.translation_key)


def may_revoke(*, user: AnyUser, certificate: Certificate) -> bool:
    """A certificate still standing may be revoked by its course's trainers."""
    return certificate.is_valid and is_course_trainer(user=user, course_key=certificate.course_key)
