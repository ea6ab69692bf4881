"""A discussion thread per lesson: a forum topic, opened the first time a reader asks for it.

The topic belongs to the lesson's translation key, so every translation of a lesson leads to
the same thread. It opens in the forum's "Course discussions" category. A course open to
everyone gets a public topic there. Any other course (taught in cohorts, or behind a view
restriction) gets a private conversation (``Topic.conversation``): its participants are the
course's active learners and its trainers, so the forum's one rule for conversations keeps
it out of listings, search, category counts and other people's sockets, with no rule of its
own. Enrolment and withdrawal move the learner in or out of every such thread of the course
in the same transaction (``discussions_follow_enrolment``) and ring their open sockets.
Naming or removing a course's trainer does the same for them (``trainers_changed``, on the
trainers field itself, so every way of changing it counts: publishing the page in the admin,
which is when Wagtail writes the field, as much as code).

Courses reaches into forums here only, lazily, as forums reaches into courses for a live
dialogue's lesson; the lesson page itself reads nothing of forums (its link costs no query).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from courses.models import (
    CoursePage,
    Enrolment,
    EnrolmentMode,
    EnrolmentStatus,
    LessonDiscussion,
    LessonPage,
)
from network.models import User

CATEGORY_SLUG = "course-discussions"


def discussion_available(course: CoursePage | None) -> bool:
    """Whether the lesson may have a discussion thread: any lesson of a course (public or
    for the course's people, ``discussion_is_private``); none outside a course."""
    return course is not None


def discussion_is_private(course: CoursePage) -> bool:
    """A course not open to everyone (taught in cohorts, or behind a view restriction) is
    discussed among its learners and trainers only (no query when the course was routed)."""
    if course.enrolment_mode != EnrolmentMode.OPEN:
        return True
    return course.get_view_restrictions().exists()


def _course_people(course_key, *, except_page_ids: Iterable[int] = ()) -> QuerySet[User]:
    """The course's active learners and its trainers (on any translation but those of
    ``except_page_ids``), in one query."""
    learners = Enrolment.objects.filter(
        course_key=course_key, status=EnrolmentStatus.ACTIVE
    ).values("user_id")
    trainers = (
        CoursePage.trainers.through.objects.filter(coursepage__translation_key=course_key)
        .exclude(coursepage_id__in=list(except_page_ids))
        .values("user_id")
    )
    return User.objects.filter(Q(pk__in=learners) | Q(pk__in=trainers))


def discussions_follow_enrolment(*, user_id: int, course_key, present: bool) -> None:
    """A learner enrolled (``present``) or withdrew: ``discussions_follow_enrolments`` for one."""
    discussions_follow_enrolments(user_ids=[user_id], course_key=course_key, present=present)


def discussions_follow_enrolments(*, user_ids: Iterable[int], course_key, present: bool) -> None:
    """Learners enrolled (``present``) or withdrew: let them into (or out of) every private
    lesson thread of the course, in the caller's transaction, and ring their open sockets
    after commit so a withdrawn learner's socket closes at once. Set-based: the same queries
    whatever the number of lessons or learners (the rings are one channel message each, after
    commit). A trainer who withdraws as a learner stays in."""
    from forums.services import conversation_participants_set, sockets_recheck_on_commit

    user_ids = set(user_ids)
    if not present:
        user_ids -= set(
            CoursePage.trainers.through.objects.filter(
                coursepage__translation_key=course_key, user_id__in=user_ids
            ).values_list("user_id", flat=True)
        )
    if not user_ids:
        return
    topic_ids = LessonDiscussion.objects.filter(course_key=course_key).values_list(
        "topic_id", flat=True
    )
    conversation_participants_set(topic_ids=topic_ids, user_ids=user_ids, present=present)
    for user_id in sorted(user_ids):
        sockets_recheck_on_commit(user_id=user_id)


def discussions_follow_trainers(
    *, course_key, page_ids: Iterable[int], user_ids: Iterable[int], present: bool
) -> None:
    """Trainers were named on course pages (``present``) or taken off them: let them into (or
    out of) every private lesson thread of the course, in the caller's transaction, and ring
    their sockets after commit. Whoever is in the course anyway (a trainer of another
    translation, an active learner) is left as they are: a translation copied with its
    trainers changes nothing. Set-based: the same queries whatever the number of lessons or
    trainers."""
    from forums.services import conversation_participants_set, sockets_recheck_on_commit

    user_ids = set(user_ids)
    topic_ids = list(
        LessonDiscussion.objects.filter(course_key=course_key).values_list("topic_id", flat=True)
    )
    if not user_ids or not topic_ids:
        return
    user_ids -= set(
        _course_people(course_key, except_page_ids=page_ids)
        .filter(pk__in=user_ids)
        .values_list("pk", flat=True)
    )
    conversation_participants_set(topic_ids=topic_ids, user_ids=user_ids, present=present)
    for user_id in sorted(user_ids):
        sockets_recheck_on_commit(user_id=user_id)


def trainers_changed(sender, *, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """``m2m_changed`` of ``CoursePage.trainers``: whoever is named or taken off, from either
    side of the relation, joins or leaves the course's private lesson threads. Wagtail writes
    the field when the course is published (modelcluster adds and removes the changed rows);
    a ``clear`` is read before it happens, since it names nobody."""
    if action == "pre_clear":
        instance._trainer_rows_cleared = _trainer_rows(instance, reverse=reverse, pks=None)
        return
    if action == "post_clear":
        rows = instance.__dict__.pop("_trainer_rows_cleared", [])
    elif action in ("post_add", "post_remove"):
        rows = _trainer_rows(instance, reverse=reverse, pks=pk_set or ())
    else:
        return
    by_course: dict = {}
    for course_key, page_id, user_id in rows:
        pages, users = by_course.setdefault(course_key, (set(), set()))
        pages.add(page_id)
        users.add(user_id)
    for course_key, (page_ids, user_ids) in by_course.items():
        discussions_follow_trainers(
            course_key=course_key,
            page_ids=page_ids,
            user_ids=user_ids,
            present=action == "post_add",
        )


def _trainer_rows(instance, *, reverse: bool, pks) -> list[tuple]:
    """``(course key, course page id, trainer id)`` for the rows a change names: ``instance``
    is a course (``pks``: users) or, from the reverse side, a user (``pks``: course pages);
    ``pks`` None means all of the instance's rows (before a ``clear``)."""
    if reverse:
        pages = (
            instance.courses_trained.all() if pks is None else CoursePage.objects.filter(pk__in=pks)
        )
        return [(key, pk, instance.pk) for pk, key in pages.values_list("pk", "translation_key")]
    if pks is None:
        pks = CoursePage.trainers.through.objects.filter(coursepage_id=instance.pk).values_list(
            "user_id", flat=True
        )
    return [(instance.translation_key, instance.pk, user_id) for user_id in pks]


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
    note linking the lesson; privately among the course's people when the course is not open
    to everyone (``discussion_is_private``)."""
    from forums.services import conversation_open, topic_open

    found = (
        LessonDiscussion.objects.select_related("topic")
        .filter(lesson_key=lesson.translation_key)
        .first()
    )
    if found is not None:
        _join_if_missing(user=user, topic=found.topic)
        return found.topic
    author = course.trainers.order_by("pk").first() or user
    body = _(
        "Questions and thoughts about the lesson “%(lesson)s” of the course “%(course)s”: %(url)s"
    ) % {"lesson": lesson.title, "course": course.title, "url": lesson.full_url or lesson.url}
    try:
        with transaction.atomic():
            if discussion_is_private(course):
                topic = conversation_open(
                    author=author,
                    category=_category(),
                    title=lesson.title[:200],
                    body=body,
                    participants=_course_people(course.translation_key),
                )
            else:
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


def _join_if_missing(*, user: User, topic) -> None:
    """A reader of the lesson (checked by the caller) who is not yet in its private thread
    joins it: a trainer added to the course after the thread opened, or a superuser."""
    if not topic.conversation or topic.participants.filter(user=user).exists():
        return
    from forums.services import conversation_participant_set

    conversation_participant_set(topic_ids=[topic.pk], user_id=user.pk, present=True)
