"""The course signals, marked on the learner's grade links in the learner's own transaction.

A quiz attempt changes the score of the link of its lesson and of its course; a lesson's
completion completes its lesson's link; a course's certificate (its completion rule held)
completes the course's link. Each mark is one UPDATE of the learner's links (none for a learner
who never came through a launch with AGS), and asks once per transaction for a send after
commit (``lti.grade_sending``): a rollback takes the mark and the send away.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from config.after_commit import OncePerCommit
from courses import signals
from lti.models import GradeLink


def _enqueue_send() -> None:
    from lti.tasks import send_scores

    send_scores.enqueue()


#: Asked by every receiver that adds to the outbox; enqueues one send after commit.
_send_after_commit = OncePerCommit(_enqueue_send)


def mark_changed(*, user, course_key, lesson_key=None, course_link: bool, lesson_link: bool):
    """Mark the user's links whose standing this fact changed; ``lesson_key`` names the lesson
    whose links (if ``lesson_link``) change."""
    which = Q()
    if course_link:
        which |= Q(lesson_key__isnull=True)
    if lesson_link and lesson_key is not None:
        which |= Q(lesson_key=lesson_key)
    changed = GradeLink.objects.filter(which, user=user, course_key=course_key).update(
        changed_at=timezone.now()
    )
    if changed:
        _send_after_commit()


def on_attempt_recorded(sender, *, attempt, lesson, course, **kwargs) -> None:
    mark_changed(
        user=attempt.user,
        course_key=course.translation_key,
        lesson_key=lesson.translation_key,
        course_link=True,
        lesson_link=True,
    )


def on_lesson_completed(sender, *, completion, lesson, course, **kwargs) -> None:
    mark_changed(
        user=completion.user,
        course_key=course.translation_key,
        lesson_key=lesson.translation_key,
        course_link=False,
        lesson_link=True,
    )


def on_certificate_issued(sender, *, certificate, course, **kwargs) -> None:
    mark_changed(
        user=certificate.user,
        course_key=course.translation_key,
        course_link=True,
        lesson_link=False,
    )


def connect() -> None:
    for signal, receiver in (
        (signals.attempt_recorded, on_attempt_recorded),
        (signals.lesson_completed, on_lesson_completed),
        (signals.certificate_issued, on_certificate_issued),
    ):
        signal.connect(receiver, dispatch_uid=f"lti.{receiver.__name__}")
