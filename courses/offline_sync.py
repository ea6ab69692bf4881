"""Answers and completions made offline, recorded when the learner's device is online again.

Offline, ``js/offline.js`` keeps each quiz submission and "Mark this lesson complete" on the
device with an id made there (``crypto.randomUUID()``) and the time it was made; the service
worker sends them to ``courses:offline_sync`` when the connection returns. Here they become
ordinary attempts and completions through the same services as the forms
(``services.quiz_attempt_submit``, ``services.lesson_complete``: grading, the attempt limit and
the course's certificate stay in one place), with three promises the forms do not need:

- **Idempotent by the device's id.** Each one leaves an ``OfflineSubmission`` receipt whose
  ``client_id`` is unique; the same id sent again (a retry after a sync interrupted once the
  server had committed) answers the stored response and records nothing.
- **In the order the learner made them** (the device's ``made_at``; the batch's order breaks
  ties), so a second attempt made offline is attempt 2 whatever order the batch came in.
- **A refusal is an answer, not an error.** One refused submission (attempts used up, a quiz
  removed since) does not stop the others; its reason, in the learner's language, goes back to
  the page, which keeps what the learner typed in view until they dismiss it. A learner who may
  no longer send to the course at all (``sync_refusal``) gets one reason for every answer, and
  nothing is recorded.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from config.translations import may_view
from courses import access, services
from courses.forms import quiz_answers
from courses.models import (
    CoursePage,
    LessonPage,
    OfflineSubmission,
    OfflineSubmissionKind,
)
from courses.services import CourseError
from network.models import User

#: At most this many submissions per request; the device sends the rest in the next one.
MAX_BATCH = 50
MAX_FIELDS = 100
MAX_VALUES = 20
MAX_TEXT = 1000


class BatchError(ValueError):
    """The request body is not a batch of offline submissions (a broken or hostile client)."""


@dataclass(frozen=True)
class OfflineItem:
    client_id: uuid.UUID
    kind: OfflineSubmissionKind
    lesson_id: int
    block_id: str
    made_at: datetime.datetime
    answers: dict[str, list[str]]


def _text(value: object, limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise BatchError("text")
    return value


def _item(raw: object) -> OfflineItem:
    if not isinstance(raw, dict):
        raise BatchError("item")
    try:
        client_id = uuid.UUID(_text(raw.get("id"), 36))
        kind = OfflineSubmissionKind(raw.get("kind"))
    except ValueError as error:
        raise BatchError("id or kind") from error
    lesson_id = raw.get("lesson")
    if not isinstance(lesson_id, int) or isinstance(lesson_id, bool) or not 0 < lesson_id < 2**63:
        raise BatchError("lesson")
    made_at = parse_datetime(_text(raw.get("made_at"), 40))
    if made_at is None or timezone.is_naive(made_at):
        raise BatchError("made_at")
    fields = raw.get("fields", {})
    if not isinstance(fields, dict) or len(fields) > MAX_FIELDS:
        raise BatchError("fields")
    data = QueryDict(mutable=True)
    for name, values in fields.items():
        if not isinstance(values, list) or len(values) > MAX_VALUES:
            raise BatchError("values")
        data.setlist(_text(name, 200), [_text(value, MAX_TEXT) for value in values])
    block_id = _text(raw.get("block", ""), 64)
    if kind == OfflineSubmissionKind.QUIZ and not block_id:
        raise BatchError("block")
    return OfflineItem(client_id, kind, lesson_id, block_id, made_at, quiz_answers(data))


def parse_batch(payload: object) -> list[OfflineItem]:
    """The submissions of a request body (already JSON-decoded), checked strictly."""
    if not isinstance(payload, dict) or not isinstance(payload.get("submissions"), list):
        raise BatchError("submissions")
    raw_items = payload["submissions"]
    if len(raw_items) > MAX_BATCH:
        raise BatchError("too many")
    items = [_item(raw) for raw in raw_items]
    if len({item.client_id for item in items}) != len(items):
        raise BatchError("an id twice")
    return items


def sync_refusal(*, request: HttpRequest, course: CoursePage | None) -> str | None:
    """Why the signed-in learner may not send answers made offline to ``course`` any more, in
    their language; ``None`` when they may.

    Answers wait on a device for days: meanwhile the learner may have withdrawn or been
    withdrawn, the course may have been unpublished or put behind a view restriction. The
    device shows the reason beside each answer it kept, so the learner knows nothing was
    recorded and still has what they typed."""
    if course is None:
        return _(
            "This course is no longer available, so the answers you made offline for it "
            "could not be recorded."
        )
    if not may_view(course, request):
        return _(
            "You can no longer read this course, so the answers you made offline for it "
            "could not be recorded."
        )
    if not access.lesson_reader(user=request.user, course=course).enrolled:
        return _(
            "You are no longer enrolled in “%(course)s”, so the answers you made offline for "
            "it could not be recorded. Enrol again to answer its quizzes."
        ) % {"course": course.title}
    return None


def _refused(item: OfflineItem, message: str) -> dict[str, object]:
    return {"id": str(item.client_id), "kind": item.kind, "accepted": False, "message": message}


def _apply(
    *, user: User, item: OfflineItem, lesson: LessonPage
) -> tuple[dict[str, object], int | None]:
    """Record one submission through the forms' own services; raises ``CourseError``."""
    if item.kind == OfflineSubmissionKind.COMPLETE:
        certificate = services.lesson_complete(user=user, lesson=lesson)
        message = _("“%(lesson)s” marked complete.") % {"lesson": lesson.title}
        if certificate is not None:
            message = _("You have completed the course. Here is your certificate.")
        url = (
            reverse("courses:certificate", args=[certificate.public_id])
            if certificate
            else lesson.url
        )
        return {"message": message, "url": url}, None
    attempt = services.quiz_attempt_submit(
        user=user,
        lesson=lesson,
        block_id=item.block_id,
        answers=item.answers,
        attempt_number=None,
    )
    title = next(
        (block.value["title"] for block in lesson.quiz_blocks() if block.id == item.block_id), ""
    )
    values = {"quiz": title, "score": attempt.score, "number": attempt.number}
    message = (
        _("%(quiz)s, attempt %(number)s: %(score)s%%, passed.") % values
        if attempt.passed
        else _("%(quiz)s, attempt %(number)s: %(score)s%%, not passed.") % values
    )
    response = {
        "message": message,
        "score": attempt.score,
        "passed": attempt.passed,
        "number": attempt.number,
        "url": reverse("courses:attempt", args=[attempt.pk]),
    }
    return response, attempt.pk


def _record(
    *, user: User, course: CoursePage, item: OfflineItem, lesson: LessonPage | None
) -> OfflineSubmission:
    try:
        with transaction.atomic():
            attempt_id = None
            try:
                with transaction.atomic():
                    if lesson is None or not lesson.path.startswith(course.path):
                        raise CourseError(_("This lesson is no longer part of the course."))
                    extra, attempt_id = _apply(user=user, item=item, lesson=lesson)
                response = {
                    "id": str(item.client_id),
                    "kind": item.kind,
                    "accepted": True,
                    **extra,
                }
            except CourseError as error:
                response = _refused(item, error.message)
            return OfflineSubmission.objects.create(
                client_id=item.client_id,
                user=user,
                course_key=course.translation_key,
                lesson_key=lesson.translation_key if lesson else None,
                kind=item.kind,
                block_id=item.block_id,
                made_at=item.made_at,
                received_at=timezone.now(),
                accepted=response["accepted"],
                attempt_id=attempt_id,
                response=response,
            )
    except IntegrityError:
        # The same id sent twice at once: the other request recorded it; this one's work
        # rolled back with its savepoint.
        return OfflineSubmission.objects.get(client_id=item.client_id)


@transaction.atomic
def offline_submissions_record(
    *, user: User, course: CoursePage, items: Sequence[OfflineItem]
) -> list[dict[str, object]]:
    """Record a batch in the order the learner made it; one response per item, in that order.

    The caller has checked that the user is one of the course's learners; each submission is
    checked again by its service (enrolment, attempt limit, quiz still there)."""
    ordered = sorted(items, key=lambda item: item.made_at)  # stable: the batch breaks ties
    known = {
        receipt.client_id: receipt
        for receipt in OfflineSubmission.objects.filter(
            client_id__in=[item.client_id for item in ordered]
        )
    }
    lessons = {
        lesson.pk: lesson
        for lesson in LessonPage.objects.live().filter(pk__in={item.lesson_id for item in ordered})
    }
    responses = []
    for item in ordered:
        receipt = known.get(item.client_id) or _record(
            user=user, course=course, item=item, lesson=lessons.get(item.lesson_id)
        )
        if receipt.user_id != user.pk:
            responses.append(_refused(item, _("This answer was already sent by another account.")))
        else:
            responses.append(receipt.response)
    return responses
