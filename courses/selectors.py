"""Reads for courses, with their permission rules; the one place their queries are tuned.

Course pages, lesson pages and the dashboard each run a fixed number of queries however many
lessons a course has: lessons come in one query ordered by tree path, completions in another,
and the outline is assembled in Python.
"""

from __future__ import annotations

import enum
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import get_language, get_language_from_request
from wagtail.models import Locale

from config.page_cache import cached_value
from courses.blocks import quiz_from_block
from courses.models import (
    Certificate,
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    LessonCompletion,
    LessonPage,
    QuizAttempt,
)
from courses.tree import CourseTree, ModuleOutline, TreePage, build_course_tree

AnyUser = AbstractBaseUser | AnonymousUser


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


def language_notice(*, page, request: HttpRequest) -> dict[str, object]:
    """Tell a learner reading a page outside their language whether a translation exists."""
    wanted = preferred_language(request)
    language_name = dict(settings.LANGUAGES).get(wanted, wanted)
    if page.locale.language_code == wanted:
        # An alias (the page tree kept in sync by Wagtail) shows the original's words.
        if page.alias_of_id is not None and wanted != settings.LANGUAGE_CODE:
            return {"not_in_your_language": True, "your_language_name": language_name}
        return {}
    translation = (
        page.get_translations(inclusive=False)
        .live()
        .filter(locale__language_code=wanted, alias_of__isnull=True)
        .first()
    )
    if translation is not None:
        return {"translation_in_your_language": translation, "your_language_name": language_name}
    return {"not_in_your_language": True, "your_language_name": language_name}


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


# --- Page contexts -----------------------------------------------------------------------


def course_page_context(*, course: CoursePage, request: HttpRequest) -> dict[str, object]:
    user = request.user
    key = course.translation_key
    outline = course_tree(course=course, request=request).outline
    lessons = [lesson for module in outline for lesson in module.lessons]
    completed = completed_lesson_keys(user=user, course_key=key)
    enrolment = active_enrolment(user=user, course_key=key)
    return {
        "outline": outline,
        "completed": completed,
        "progress": progress_from(lessons, completed),
        "enrolment": enrolment,
        "was_enrolled": bool(
            user.is_authenticated
            and enrolment is None
            and Enrolment.objects.filter(user=user, course_key=key).exists()
        ),
        "is_trainer": is_course_trainer(user=user, course_key=key),
        "certificate": (
            Certificate.objects.filter(user=user, course_key=key).first()
            if user.is_authenticated
            else None
        ),
        "course_trainers": list(course.trainers.all()),
        "course_prerequisites": list(course.prerequisites.live()),
        "course_tags": list(course.tags.all()),
        **language_notice(page=course, request=request),
    }


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


@dataclass
class QuizState:
    block_id: str
    attempts_used: int
    best_score: int | None
    passed: bool
    max_attempts: int
    next_number: int

    @property
    def attempts_left(self) -> int | None:
        if not self.max_attempts:
            return None
        return max(self.max_attempts - self.attempts_used, 0)

    @property
    def can_attempt(self) -> bool:
        return self.attempts_left is None or self.attempts_left > 0


@dataclass(frozen=True)
class BodyItem:
    """One block of a lesson as its page shows it: a quiz, rendered for this learner, or any
    other block's HTML, which is the same for every reader."""

    html: str = ""
    quiz: object | None = None
    state: QuizState | None = None


def lesson_blocks_html(*, lesson: LessonPage, request: HttpRequest) -> dict[int, str]:
    """The HTML of the lesson's blocks other than quizzes, by position in the body.

    Rendering them (rich text, responsive images, files) is most of a lesson page's work and
    depends on nobody: block templates see only the block and the page, never the reader. So
    it is cached per lesson, host (links) and language (block labels) until a page, an image
    or a document changes, which bumps the ``pages`` version. A preview renders the draft, so
    it never reads or fills the cache.
    """
    body = lesson.body

    def build() -> dict[int, str]:
        return {
            index: body[index].render_as_block(context={"page": lesson})
            for index, raw in enumerate(body.raw_data)
            if raw["type"] != "quiz"
        }

    if getattr(request, "is_preview", False):
        return build()
    key = f"lesson-html:{lesson.pk}:{request.get_host()}:{get_language()}"
    return cached_value(key, "pages", build)


def lesson_page_context(
    *,
    lesson: LessonPage,
    request: HttpRequest,
    course: CoursePage | None = None,
    enrolled: bool | None = None,
) -> dict[str, object]:
    """What a lesson page shows. ``course`` and ``enrolled`` when the caller knows them already
    (serving the lesson routed through its course and checked its reader); read otherwise."""
    user = request.user
    course = course if course is not None else course_of(lesson)
    if course is None:
        return {}
    key = course.translation_key
    tree = course_tree(course=course, request=request)
    lessons = tree.lessons
    position = next((index for index, other in enumerate(lessons) if other.pk == lesson.pk), None)
    completed = completed_lesson_keys(user=user, course_key=key)
    attempts: dict[str, list[tuple[int, bool]]] = defaultdict(list)
    quiz_blocks = lesson.quiz_blocks()
    if quiz_blocks and user.is_authenticated:  # most lessons have no quiz: no query for them
        for block_id, score, passed in QuizAttempt.objects.filter(
            user=user, lesson_key=lesson.translation_key
        ).values_list("block_id", "score", "passed"):
            attempts[block_id].append((score, passed))
    quizzes = {}
    for block in quiz_blocks:
        tries = attempts.get(block.id, [])
        quizzes[block.id] = QuizState(
            block_id=block.id,
            attempts_used=len(tries),
            best_score=max((score for score, _passed in tries), default=None),
            passed=any(passed for _score, passed in tries),
            max_attempts=block.value["max_attempts"],
            next_number=len(tries) + 1,
        )
    html = lesson_blocks_html(lesson=lesson, request=request)
    body_items = []
    for index, raw in enumerate(lesson.body.raw_data):
        if raw["type"] == "quiz":
            quiz = lesson.body[index]
            body_items.append(BodyItem(quiz=quiz, state=quizzes.get(quiz.id)))
        else:
            body_items.append(BodyItem(html=html.get(index, "")))
    return {
        "course": course,
        # A lesson of a module that is not live (Wagtail still serves it) reads its module.
        "module": tree.module_of(lesson.path) or lesson.get_parent(),
        "previous_lesson": lessons[position - 1] if position else None,
        "next_lesson": (
            lessons[position + 1] if position is not None and position + 1 < len(lessons) else None
        ),
        "lesson_number": (position or 0) + 1,
        "lesson_count": len(lessons),
        "is_complete": lesson.translation_key in completed,
        "progress": progress_from(lessons, completed),
        "quizzes": quizzes,
        "body_items": body_items,
        "enrolled": is_enrolled(user=user, course_key=key) if enrolled is None else enrolled,
        **language_notice(page=lesson, request=request),
    }


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


def attempt_result_context(*, attempt: QuizAttempt, request: HttpRequest) -> dict[str, object]:
    """The learner's result: each question's prompt with the verdict and feedback stored at
    grading time, shown in the learner's language where the lesson is translated."""
    translations = list(
        LessonPage.objects.live()
        .filter(translation_key=attempt.lesson_key, alias_of__isnull=True)
        .select_related("locale")
        .order_by("pk")
    )
    language = preferred_language(request)
    lesson = next(
        (page for page in translations if page.locale.language_code == language),
        translations[0] if translations else None,
    )
    context: dict[str, object] = {
        "attempt": attempt,
        "lesson": lesson,
        "quiz": None,
        "questions": [],
    }
    if lesson is None:
        return context
    block = next((block for block in lesson.quiz_blocks() if block.id == attempt.block_id), None)
    if block is not None:
        quiz = quiz_from_block(block.value)
        results = {row["question"]: row for row in attempt.results}
        context["quiz"] = quiz
        context["questions"] = [
            {"prompt": question.prompt, **results.get(question.id, {})}
            for question in quiz.questions
        ]
    lesson_context = lesson_page_context(lesson=lesson, request=request)
    course = lesson_context.get("course")
    context["next_lesson"] = lesson_context.get("next_lesson")
    context["certificate"] = (
        Certificate.objects.filter(user=attempt.user_id, course_key=course.translation_key).first()
        if course is not None
        else None
    )
    return context


def certificate_by_public_id(public_id: str) -> Certificate | None:
    return Certificate.objects.filter(public_id=public_id).select_related("user").first()
