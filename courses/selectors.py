"""Reads for courses, with their permission rules; the one place their queries are tuned.

Data only: what a page does with it (a redirect, a message, a template context, rendered
blocks) is in ``courses.access``, ``courses.contexts`` and the views.

Course pages, lesson pages and the dashboard each run a fixed number of queries however many
lessons a course has: lessons come in one query ordered by tree path, completions in another,
and the outline is assembled in Python.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, F, Q
from django.http import HttpRequest
from django.utils.translation import get_language_from_request
from wagtail.models import Locale

from config.page_cache import cached_value, in_restricted_section
from courses.models import (
    Certificate,
    Cohort,
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    LessonCompletion,
    LessonPage,
    QuizAttempt,
)
from courses.tree import CourseTree, ModuleOutline, TreePage, build_course_tree

AnyUser = AbstractBaseUser | AnonymousUser
#: A learner may hold a revoked certificate and the one re-issued after it: the standing one
#: is theirs to show, else the latest.
STANDING_FIRST = (F("revoked_at").desc(nulls_first=True), "-issued_at")


# --- Who may do what ---------------------------------------------------------------------


def is_course_trainer(*, user: AnyUser, course_key: uuid.UUID) -> bool:
    """The course's trainers (on any translation of it) see its report, manage its cohorts and
    revoke its certificates; so do superusers, who hold every role. ``is_staff`` does not:
    editors carry it to reach the Django admin, and that names no course."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return CoursePage.trainers.through.objects.filter(
        coursepage__translation_key=course_key, user_id=user.pk
    ).exists()


def active_enrolment(*, user: AnyUser, course_key: uuid.UUID) -> Enrolment | None:
    if not user.is_authenticated:
        return None
    return (
        Enrolment.objects.filter(user=user, course_key=course_key, status=EnrolmentStatus.ACTIVE)
        .select_related("cohort")
        .first()
    )


def is_enrolled(*, user: AnyUser, course_key: uuid.UUID) -> bool:
    """Whether the user is an active learner of the course: what a lesson page needs to know,
    asked without building the enrolment and its cohort (``EXISTS``, one index lookup)."""
    if not user.is_authenticated:
        return False
    return Enrolment.objects.filter(
        user=user, course_key=course_key, status=EnrolmentStatus.ACTIVE
    ).exists()


def was_enrolled(*, user: AnyUser, course_key: uuid.UUID) -> bool:
    """Whether the user ever enrolled in the course (active or withdrawn)."""
    if not user.is_authenticated:
        return False
    return Enrolment.objects.filter(user=user, course_key=course_key).exists()


def certificate_of(*, user_id: int | None, course_key: uuid.UUID) -> Certificate | None:
    """The learner's certificate for the course, revoked or not (none for anonymous readers)."""
    if user_id is None:
        return None
    return (
        Certificate.objects.filter(user_id=user_id, course_key=course_key)
        .order_by(*STANDING_FIRST)
        .first()
    )


def course_of(page) -> CoursePage | None:
    """The course a module or lesson belongs to (one query). Serving a lesson has it already:
    its course routed to it and handed it over (``CoursePage.route``)."""
    return CoursePage.objects.ancestor_of(page).first()


# --- The course tree ---------------------------------------------------------------------


def course_lessons(course: CoursePage, *, with_body: bool = False) -> list[LessonPage]:
    """The course's live lessons in reading order (module order, then lesson order)."""
    lessons = LessonPage.objects.live().descendant_of(course).order_by("path")
    if not with_body:
        lessons = lessons.defer("body")
    return list(lessons)


def course_outline(course: CoursePage) -> list[ModuleOutline]:
    return build_course_tree(course).outline


def course_tree(*, course: CoursePage, request: HttpRequest) -> CourseTree:
    """The tree for the pages that show it (the course page and every lesson page), with links
    for this request. Cached until a page changes: it is read from pages only, and every page
    save, publish, unpublish, move or deletion bumps the ``pages`` version. Writes (completion
    rules) read the database."""
    tree = cached_value(f"course-tree:{course.pk}", "pages", lambda: build_course_tree(course))
    return tree.linked(course.get_url(request) or "")


def completed_lesson_keys(*, user: AnyUser, course_key: uuid.UUID) -> set[uuid.UUID]:
    if not user.is_authenticated:
        return set()
    return set(
        LessonCompletion.objects.filter(user=user, course_key=course_key).values_list(
            "lesson_key", flat=True
        )
    )


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    #: A lesson page, or its entry in the course tree (both have a title and a URL).
    next_lesson: LessonPage | TreePage | None

    @property
    def percent(self) -> int:
        return (100 * self.done) // self.total if self.total else 0

    @property
    def started(self) -> bool:
        return self.done > 0


def progress_from(lessons: Sequence[LessonPage | TreePage], completed: set[uuid.UUID]) -> Progress:
    """Progress through lessons in reading order; the next lesson is the first one not done,
    which is where a learner who left off picks up again."""
    done = sum(lesson.translation_key in completed for lesson in lessons)
    next_lesson = next(
        (lesson for lesson in lessons if lesson.translation_key not in completed), None
    )
    return Progress(done=done, total=len(lessons), next_lesson=next_lesson)


def course_progress(*, user: AnyUser, course: CoursePage) -> Progress:
    return progress_from(
        course_lessons(course), completed_lesson_keys(user=user, course_key=course.translation_key)
    )


# --- Languages ---------------------------------------------------------------------------


def preferred_language(request: HttpRequest) -> str:
    """The learner's language: their chosen one (cookie), else their browser's."""
    return get_language_from_request(request, check_path=False)


@dataclass(frozen=True)
class CatalogueEntry:
    course: CoursePage
    in_this_language: bool


def catalogue_for(*, index_page, request: HttpRequest) -> list[CatalogueEntry]:
    """Courses in the catalogue's language, then default-language courses not translated yet,
    flagged, so no learner is left without the course just because nobody translated it."""
    local = list(
        CoursePage.objects.live()
        .public()
        .child_of(index_page)
        .filter(alias_of__isnull=True)
        .order_by("path")
    )
    entries = [CatalogueEntry(course=course, in_this_language=True) for course in local]
    default_locale = Locale.get_default()
    if index_page.locale_id != default_locale.pk:
        source_index = index_page.get_translations().filter(locale=default_locale).first()
        if source_index is not None:
            have = {course.translation_key for course in local}
            entries += [
                CatalogueEntry(course=course, in_this_language=False)
                for course in CoursePage.objects.live()
                .public()
                .child_of(source_index)
                .order_by("path")
                if course.translation_key not in have
            ]
    return entries


# --- Lessons ---------------------------------------------------------------------------------


@dataclass
class QuizState:
    block_id: str
    attempts_used: int
    best_score: int | None
    passed: bool
    max_attempts: int
    next_number: int
    #: The learner's latest attempt, to review (``courses:attempt``); None before the first.
    last_attempt_id: int | None = None

    @property
    def attempts_left(self) -> int | None:
        if not self.max_attempts:
            return None
        return max(self.max_attempts - self.attempts_used, 0)

    @property
    def can_attempt(self) -> bool:
        return self.attempts_left is None or self.attempts_left > 0


def quiz_states(*, user: AnyUser, lesson: LessonPage) -> dict[str, QuizState]:
    """The learner's standing on each quiz of the lesson (attempts used, best score, passed),
    by block id. Most lessons have no quiz: no query for them."""
    quiz_blocks = lesson.quiz_blocks()
    attempts: dict[str, list[tuple[int, bool]]] = defaultdict(list)
    latest: dict[str, int] = {}
    if quiz_blocks and user.is_authenticated:
        for pk, block_id, score, passed in (
            QuizAttempt.objects.filter(user=user, lesson_key=lesson.translation_key)
            .order_by("number")
            .values_list("pk", "block_id", "score", "passed")
        ):
            attempts[block_id].append((score, passed))
            latest[block_id] = pk
    states = {}
    for block in quiz_blocks:
        tries = attempts.get(block.id, [])
        states[block.id] = QuizState(
            block_id=block.id,
            attempts_used=len(tries),
            best_score=max((score for score, _passed in tries), default=None),
            passed=any(passed for _score, passed in tries),
            max_attempts=block.value["max_attempts"],
            next_number=len(tries) + 1,
            last_attempt_id=latest.get(block.id),
        )
    return states


def attempts_at(*, user_id: int, lesson_key: uuid.UUID, block_id: str) -> list[QuizAttempt]:
    """The learner's attempts at one quiz, first to last: what they may review."""
    return list(
        QuizAttempt.objects.filter(
            user_id=user_id, lesson_key=lesson_key, block_id=block_id
        ).order_by("number")
    )


def translation_in(*, page, language: str):
    """The page's live translation written in ``language`` (not an alias), or None."""
    return (
        page.get_translations(inclusive=False)
        .live()
        .filter(locale__language_code=language, alias_of__isnull=True)
        .first()
    )


def lesson_in(*, lesson_key: uuid.UUID, language: str) -> LessonPage | None:
    """The live lesson with this translation key in ``language``, else its first translation."""
    translations = list(
        LessonPage.objects.live()
        .filter(translation_key=lesson_key, alias_of__isnull=True)
        .select_related("locale")
        .order_by("pk")
    )
    return next(
        (page for page in translations if page.locale.language_code == language),
        translations[0] if translations else None,
    )


# --- The learner's dashboard -------------------------------------------------------------


@dataclass(frozen=True)
class DashboardCourse:
    course: CoursePage
    enrolment: Enrolment
    progress: Progress
    certificate: Certificate | None


def dashboard_for(*, user: AbstractBaseUser, language: str) -> dict[str, object]:
    """My courses (in my language where translated), progress, next lesson, certificates.

    Five queries whatever the number of courses or lessons.
    """
    enrolments = list(
        Enrolment.objects.filter(user=user, status=EnrolmentStatus.ACTIVE)
        .select_related("cohort")
        .order_by("-enrolled_at")
    )
    keys = [enrolment.course_key for enrolment in enrolments]
    courses: dict[uuid.UUID, CoursePage] = {}
    default_language = settings.LANGUAGE_CODE
    for course in (
        CoursePage.objects.live().filter(translation_key__in=keys).select_related("locale")
    ):
        code = course.locale.language_code
        current = courses.get(course.translation_key)
        if (
            current is None
            or code == language
            or (code == default_language and current.locale.language_code != language)
        ):
            courses[course.translation_key] = course
    lessons_by_course: dict[uuid.UUID, list[LessonPage]] = defaultdict(list)
    if courses:
        path_filter = Q()
        for course in courses.values():
            path_filter |= Q(path__startswith=course.path)
        by_path = sorted(courses.values(), key=lambda course: course.path)
        for lesson in LessonPage.objects.live().filter(path_filter).defer("body").order_by("path"):
            owner = next(course for course in by_path if lesson.path.startswith(course.path))
            lessons_by_course[owner.translation_key].append(lesson)
    completed: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for course_key, lesson_key in LessonCompletion.objects.filter(user=user).values_list(
        "course_key", "lesson_key"
    ):
        completed[course_key].add(lesson_key)
    certificates = list(Certificate.objects.filter(user=user).order_by("-issued_at"))
    certificate_by_course = {certificate.course_key: certificate for certificate in certificates}
    rows = [
        DashboardCourse(
            course=courses[enrolment.course_key],
            enrolment=enrolment,
            progress=progress_from(
                lessons_by_course[enrolment.course_key], completed[enrolment.course_key]
            ),
            certificate=certificate_by_course.get(enrolment.course_key),
        )
        for enrolment in enrolments
        if enrolment.course_key in courses
    ]
    return {"rows": rows, "certificates": certificates}


def certificate_by_public_id(public_id: str) -> Certificate | None:
    return Certificate.objects.filter(public_id=public_id).select_related("user").first()


def course_trainers_and_tags(course: CoursePage) -> tuple[list[Any], list[Any]]:
    """The course's trainers (what their public name is made of) and its tags, in one query:
    a ``UNION`` of the two link tables joined to what the course page shows, rather than one
    query each. The rows become instances with Django's ``Model.from_db`` (only those fields:
    another would be read on access). A preview reads the draft's own relations instead."""
    from django.db import DEFAULT_DB_ALIAS
    from django.db.models import CharField, F, Value
    from taggit.models import Tag

    from courses.models import CoursePageTag
    from network.models import User

    text = CharField()
    blank = Value("", output_field=text)
    trainers = (
        CoursePage.trainers.through.objects.filter(coursepage_id=course.pk)
        .order_by()
        .annotate(
            kind=Value("trainer", output_field=text),
            row_id=F("user_id"),
            name=F("user__display_name"),
            first=F("user__first_name"),
            last=F("user__last_name"),
            key=F("user__username"),
        )
        .values_list("kind", "row_id", "name", "first", "last", "key")
    )
    tags = (
        CoursePageTag.objects.filter(content_object_id=course.pk)
        .order_by()
        .annotate(
            kind=Value("tag", output_field=text),
            row_id=F("tag_id"),
            name=F("tag__name"),
            first=blank,
            last=blank,
            key=F("tag__slug"),
        )
        .values_list("kind", "row_id", "name", "first", "last", "key")
    )

    def loaded(model, values: dict[str, Any]):
        names = [field.attname for field in model._meta.concrete_fields if field.attname in values]
        return model.from_db(DEFAULT_DB_ALIAS, names, [values[name] for name in names])

    found_trainers, found_tags = [], []
    for kind, pk, name, first, last, key in trainers.union(tags, all=True).order_by("row_id"):
        if kind == "trainer":
            values = {"id": pk, "display_name": name, "first_name": first, "last_name": last}
            found_trainers.append(loaded(User, {**values, "username": key}))
        else:
            found_tags.append(loaded(Tag, {"id": pk, "name": name, "slug": key}))
    return found_trainers, found_tags


#: How many of a lesson's live dialogues its page lists.
LESSON_DIALOGUES = 3


def lesson_live_dialogues(lesson: LessonPage) -> list:
    """The public live dialogues (not yet ended) linked to this lesson or to any of its
    translations, soonest first, in one query.

    They come through the relation the dialogue declares (``DialogueSession.lesson``,
    ``related_name="live_dialogues"``), so courses needs no import of forums. Only sessions
    without a partnership's private category show: a lesson page does not know its reader's
    partnerships, and a private session's title must not leak through it.
    """
    sessions = LessonPage._meta.get_field("live_dialogues").related_model.objects
    return list(
        sessions.filter(
            lesson__translation_key=lesson.translation_key,
            status__in=["scheduled", "live"],
        )
        .filter(Q(category__isnull=True) | Q(category__partnership__isnull=True))
        .order_by("starts_at", "pk")
        .only("pk", "title", "starts_at", "ends_at", "status")[:LESSON_DIALOGUES]
    )


# --- Prerequisites -----------------------------------------------------------------------


def prerequisites_of(course: CoursePage) -> list[CoursePage]:
    """The course's live prerequisites, in catalogue order. A course whose relations were set
    in memory (a draft being previewed, a page just edited) holds them as modelcluster's
    in-memory list rather than a queryset: they are read by id then."""
    related = course.prerequisites.all()
    if not hasattr(related, "live"):
        related = CoursePage.objects.filter(pk__in=[page.pk for page in related])
    return list(related.live().order_by("path"))


def missing_prerequisites(
    *,
    user: AnyUser,
    course_key: uuid.UUID,
    required: Sequence[CoursePage],
    cohort_id: int | None = None,
) -> list[CoursePage]:
    """Of ``required`` (the course's prerequisites, ``prerequisites_of``), those the learner
    has not completed (no standing certificate of theirs), unless a trainer waived them for
    this learner or for ``cohort_id`` (the cohort they are in or joining). No query when
    nothing is required."""
    from courses.models import PrerequisiteWaiver

    if not required:
        return []
    if not user.is_authenticated:
        return list(required)
    waived = Q(user_id=user.pk)
    if cohort_id is not None:
        waived |= Q(cohort_id=cohort_id)
    if PrerequisiteWaiver.objects.filter(waived, course_key=course_key).exists():
        return []
    done = set(
        Certificate.objects.filter(
            user_id=user.pk,
            course_key__in=[page.translation_key for page in required],
            revoked_at__isnull=True,
        ).values_list("course_key", flat=True)
    )
    return [page for page in required if page.translation_key not in done]


# --- A partnership's home (``network.home``, members only) ----------------------------------


@dataclass(frozen=True)
class CourseTaken:
    course: CoursePage
    learners: int


@dataclass(frozen=True)
class PartnershipLearning:
    """The courses a partnership's members take (with how many of them), the cohorts they
    learn in, and the courses taken in partnerships that share a theme or an ecosystem."""

    courses: list[CourseTaken]
    cohorts: list[Cohort]
    recommended: list[CourseTaken]

    def __bool__(self) -> bool:
        return bool(self.courses or self.cohorts or self.recommended)


def _course_pages(keys: set[uuid.UUID], language: str) -> dict[uuid.UUID, CoursePage]:
    """One live, unrestricted page per course: the one in ``language``, else the first."""
    if not keys:
        return {}
    pages = (
        CoursePage.objects.live()
        .filter(~in_restricted_section(), translation_key__in=keys, alias_of__isnull=True)
        .select_related("locale")
        .order_by("pk")
    )
    found: dict[uuid.UUID, CoursePage] = {}
    for page in pages:
        if page.translation_key not in found or page.locale.language_code == language:
            found[page.translation_key] = page
    return found


def partnership_learning(home, *, limit: int = 12, recommended: int = 5) -> PartnershipLearning:
    """Four queries whatever the number of members: the courses they take, their cohorts, the
    courses taken by members of partnerships sharing a theme or an ecosystem, and the pages."""
    from network.models import LandscapePartnership, PartnershipMembership

    members = PartnershipMembership.objects.filter(partnership_id=home.partnership.pk).values(
        "user_id"
    )
    active = Enrolment.objects.filter(status=EnrolmentStatus.ACTIVE)
    taken = list(
        active.filter(user_id__in=members)
        .values("course_key")
        .annotate(learners=Count("user_id"))
        .order_by("-learners", "course_key")[:limit]
    )
    cohorts = list(
        Cohort.objects.filter(
            enrolments__user_id__in=members, enrolments__status=EnrolmentStatus.ACTIVE
        )
        .annotate(learners=Count("enrolments", distinct=True))
        .order_by("-starts_on", "name", "pk")[:limit]
    )
    suggested: list[dict[str, Any]] = []
    terms = home.terms
    if terms.theme_ids or terms.ecosystem_ids:
        similar = (
            LandscapePartnership.objects.filter(
                Q(themes__in=terms.theme_ids) | Q(ecosystems__in=terms.ecosystem_ids)
            )
            .exclude(pk=home.partnership.pk)
            .values("pk")
        )
        peers = PartnershipMembership.objects.filter(partnership_id__in=similar).values("user_id")
        suggested = list(
            active.filter(user_id__in=peers)
            .exclude(course_key__in=active.filter(user_id__in=members).values("course_key"))
            .values("course_key")
            .annotate(learners=Count("user_id", distinct=True))
            .order_by("-learners", "course_key")[:recommended]
        )
    keys = {row["course_key"] for row in taken + suggested} | {c.course_key for c in cohorts}
    pages = _course_pages(keys, home.language)
    for cohort in cohorts:
        cohort.course = pages.get(cohort.course_key)

    def listed(rows: list[dict[str, Any]]) -> list[CourseTaken]:
        return [
            CourseTaken(course=pages[row["course_key"]], learners=row["learners"])
            for row in rows
            if row["course_key"] in pages
        ]

    return PartnershipLearning(
        courses=listed(taken),
        cohorts=[cohort for cohort in cohorts if cohort.course is not None],
        recommended=listed(suggested),
    )
