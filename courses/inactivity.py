"""Learners who have gone quiet in a course, and the message their trainers send them.

A learner's last activity is the latest of their enrolment, their last lesson completion and
their last quiz attempt in the course. The selector reads it for every learner in one query
(two correlated ``Max`` subqueries under ``Greatest``), so the page costs the same with ten
learners or a thousand. Sending mails each learner in their own language through
``network.mail.mail_member`` (a kind they may decline, as any mail they did not ask for) and
counts the trainer's messages per minute in the shared cache, like the forums' posts.

Each learner also gets a notification (the header's badge, the notifications page, live on
an open page): the forums' notification names the course as its page and the message's
subject and first words (``forums.notifications.course_message_notify``), written in one
insert whatever the number of learners, after the mails.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import DateTimeField, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.models import (
    Cohort,
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    LessonCompletion,
    QuizAttempt,
)
from network.mail import mail_member
from network.models import User
from network.rate_limits import count_this_minute

#: The mail kind a learner may decline on their mail settings page.
MAIL_KIND = "course_message"
MAIL_KIND_LABEL = gettext_lazy("Messages from your courses' trainers")
RATE_LIMITED = "rate_limited"
SUBJECT_MAX = 150
BODY_MAX = 5000


def _latest(model: type, field: str) -> Subquery:
    rows = (
        model.objects.filter(user_id=OuterRef("user_id"), course_key=OuterRef("course_key"))
        .values("user_id")
        .annotate(latest=Max(field))
        .values("latest")
    )
    return Subquery(rows, output_field=DateTimeField())


def with_last_activity(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Annotate ``last_activity``: the latest of enrolling, completing a lesson, attempting a
    quiz. ``Coalesce`` because ``Greatest`` is NULL on SQLite when any argument is."""
    enrolled = "enrolled_at"
    return enrolments.annotate(
        last_activity=Greatest(
            enrolled,
            Coalesce(_latest(LessonCompletion, "completed_at"), enrolled),
            Coalesce(_latest(QuizAttempt, "submitted_at"), enrolled),
        )
    )


def inactive_enrolments(
    *, course: CoursePage, days: int, now: datetime.datetime | None = None
) -> QuerySet[Enrolment]:
    """The course's active enrolments with no activity for ``days`` days, quietest first, with
    the learner and the cohort (one query)."""
    since = (now or timezone.now()) - datetime.timedelta(days=days)
    enrolments = Enrolment.objects.filter(
        course_key=course.translation_key, status=EnrolmentStatus.ACTIVE
    ).select_related("user", "cohort")
    return (
        with_last_activity(enrolments)
        .filter(last_activity__lt=since)
        .order_by("last_activity", "pk")
    )


def is_rate_limited(error: Exception) -> bool:
    """Whether a refusal is the rate limit, so the view answers 429 (with the text kept)."""
    if not isinstance(error, ValidationError) or hasattr(error, "error_dict"):
        return False
    return any(item.code == RATE_LIMITED for item in error.error_list)


def _recipients(
    *, course: CoursePage, enrolment_ids: Iterable[int], cohort: Cohort | None
) -> list[User]:
    """Only the course's own active learners: ids from elsewhere are ignored."""
    enrolments = Enrolment.objects.filter(
        course_key=course.translation_key, status=EnrolmentStatus.ACTIVE
    ).select_related("user")
    if cohort is not None:
        enrolments = enrolments.filter(cohort=cohort)
    else:
        enrolments = enrolments.filter(pk__in=list(enrolment_ids))
    return [enrolment.user for enrolment in enrolments.order_by("pk")]


def learners_message_send(
    *,
    course: CoursePage,
    sender: User,
    subject: str,
    body: str,
    enrolment_ids: Iterable[int] = (),
    cohort: Cohort | None = None,
) -> int:
    """Mail the chosen learners (or a whole cohort of the course) the trainer's plain-text
    message, each in their own language, and notify each of them in the site; returns how
    many mails were sent (a learner who declined these mails is skipped, but still notified).
    The caller checked that ``sender`` manages the course. One send counts once against
    ``COURSES_MESSAGES_PER_MINUTE``, whatever its recipients."""
    from forums.notifications import course_message_notify

    if cohort is not None and cohort.course_key != course.translation_key:
        raise ValidationError(_("This cohort is not one of this course's."), code="cohort")
    recipients = _recipients(course=course, enrolment_ids=enrolment_ids, cohort=cohort)
    if not recipients:
        raise ValidationError(_("Choose at least one learner or a cohort."), code="empty")
    limit = settings.COURSES_MESSAGES_PER_MINUTE
    if count_this_minute("courses:message", sender.pk) > limit:
        raise ValidationError(
            _("Too many messages: at most %(limit)s a minute. Wait a moment; your text is kept.")
            % {"limit": limit},
            code=RATE_LIMITED,
        )
    course_url = f"{settings.SITE_URL}{course.url or ''}"
    sent = 0
    for user in recipients:
        sent += mail_member(
            user=user,
            kind=MAIL_KIND,
            template="courses/email/trainer_message.txt",
            context={
                "course": course,
                "course_url": course_url,
                "sender": sender,
                "message": body,
            },
            subject=lambda: (
                _("%(course)s: %(subject)s") % {"course": course.title, "subject": subject}
            ),
        )
    course_message_notify(
        user_ids=[user.pk for user in recipients],
        actor=sender,
        course_page_id=course.pk,
        subject=subject,
        body=body,
    )
    return sent
