"""What each course page type shows: the template context of the course page, the lesson page
and a quiz result, assembled from selectors (data) and access decisions (``courses.access``).

The page types' ``get_context`` and the views call these; selectors never build a context.
Rendering a lesson's blocks lives here too: it is presentation, cached because it is most of
a lesson page's work and the same for every reader.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language

from config.page_cache import cached_value
from config.renditions import prefetch_renditions
from courses import discussions, reflections, selectors
from courses.blocks import quiz_from_block
from courses.grading import review
from courses.models import CoursePage, LessonPage, QuizAttempt
from courses.tree import TreePage


def language_notice(*, page, request: HttpRequest) -> dict[str, object]:
    """Tell a learner reading a page outside their language whether a translation exists."""
    wanted = selectors.preferred_language(request)
    language_name = dict(settings.LANGUAGES).get(wanted, wanted)
    if page.locale.language_code == wanted:
        # An alias (the page tree kept in sync by Wagtail) shows the original's words.
        if page.alias_of_id is not None and wanted != settings.LANGUAGE_CODE:
            return {"not_in_your_language": True, "your_language_name": language_name}
        return {}
    translation = selectors.translation_in(page=page, language=wanted)
    if translation is not None:
        return {"translation_in_your_language": translation, "your_language_name": language_name}
    return {"not_in_your_language": True, "your_language_name": language_name}


class CourseDetails:
    """What a course page shows from other tables besides its outline: its trainers and tags
    (one query), its live prerequisites, the cover's renditions (one query) and the structured
    data, read the first time the template asks for any of them. The template keeps the parts
    that use them as fragments (``{% cached_fragment %}``) under the course's tags
    (``CoursePage.cache_dependencies``), so a warm anonymous rendering reads none of it; a
    signed-in reader's page (the fragments are rendered for each) reads them once."""

    def __init__(self, course: CoursePage, request: HttpRequest) -> None:
        self.course = course
        self.request = request

    @functools.cached_property
    def _trainers_and_tags(self) -> tuple[list, list]:
        course = self.course
        if getattr(self.request, "is_preview", False):  # the draft's own, held in memory
            return list(course.trainers.all()), list(course.tags.all())
        return selectors.course_trainers_and_tags(course)

    @property
    def trainers(self) -> list:
        return self._trainers_and_tags[0]

    @property
    def tags(self) -> list:
        return self._trainers_and_tags[1]

    @functools.cached_property
    def prerequisites(self) -> list[CoursePage]:
        return selectors.prerequisites_of(self.course)

    @functools.cached_property
    def cover_image(self):
        """The cover, its renditions read together (the template's ``{% image %}`` tags)."""
        from courses.models import COVER_RENDITION_SPECS

        prefetch_renditions([self.course.cover_image], COVER_RENDITION_SPECS)
        return self.course.cover_image

    @functools.cached_property
    def structured_data(self) -> dict:
        return self.course.structured_data(self.request, tags=self.tags)


def course_page_context(*, course: CoursePage, request: HttpRequest) -> dict[str, object]:
    """What a course page shows: what it is about (``details``, read when a fragment is
    built), its outline, and the reader's place in the course (always read: it is personal)."""
    user = request.user
    key = course.translation_key
    tree = selectors.course_tree(course=course, request=request)
    outline = tree.outline
    lessons = [lesson for module in outline for lesson in module.lessons]
    completed = selectors.completed_lesson_keys(user=user, course_key=key)
    enrolment = selectors.active_enrolment(user=user, course_key=key)
    details = CourseDetails(course, request)
    return {
        "details": details,
        # A lesson or module under a view restriction of its own is not listed: its title is
        # for those the restriction lets in (it still has its place in lessons' navigation).
        "outline": tree.public_outline,
        "completed": completed,
        "progress": selectors.progress_from(lessons, completed),
        "enrolment": enrolment,
        "was_enrolled": enrolment is None and selectors.was_enrolled(user=user, course_key=key),
        "is_trainer": selectors.is_course_trainer(user=user, course_key=key),
        "certificate": selectors.certificate_of(user_id=user.pk, course_key=key),
        # What a signed-in visitor must complete before enrolling (nothing once enrolled).
        "missing_prerequisites": (
            selectors.missing_prerequisites(
                user=user, course_key=key, required=details.prerequisites
            )
            if user.is_authenticated and enrolment is None
            else []
        ),
        **language_notice(page=course, request=request),
    }


@dataclass(frozen=True)
class BodyItem:
    """One block of a lesson as its page shows it: a quiz, rendered for this learner, or any
    other block's HTML, which is the same for every reader."""

    html: str = ""
    quiz: object | None = None
    state: selectors.QuizState | None = None
    #: A reflection prompt, with the reader's own answer (a learner of the course only).
    reflection: object | None = None
    answer: object | None = None


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


def _with_previewed(
    lessons: tuple[TreePage, ...], lesson: LessonPage, course: CoursePage
) -> tuple[TreePage, ...]:
    """The live lessons with ``lesson``, which is not live (a trainer previews a draft), in
    its place: the preview then reads "Lesson 3 of 3" as learners will, not "Lesson 1 of 0".
    A lesson not saved yet (previewed from its create form) has no path and goes last, where
    Wagtail adds it."""
    course_url = course.url_path
    entry = TreePage(
        pk=lesson.pk,
        title=lesson.title,
        translation_key=lesson.translation_key,
        path=lesson.path or "",
        relative_url=(lesson.url_path or "")[len(course_url) :],
    )
    end = "~"  # after every path: paths are made of digits and capital letters
    return tuple(sorted((*lessons, entry), key=lambda page: page.path or end))


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
    course = course if course is not None else selectors.course_of(lesson)
    if course is None:
        return {}
    key = course.translation_key
    tree = selectors.course_tree(course=course, request=request)
    lessons = tree.lessons
    position = next((index for index, other in enumerate(lessons) if other.pk == lesson.pk), None)
    counted = _with_previewed(lessons, lesson, course) if position is None else lessons
    if position is None:
        position = next(index for index, other in enumerate(counted) if other.pk == lesson.pk)
    completed = selectors.completed_lesson_keys(user=user, course_key=key)
    quizzes = selectors.quiz_states(user=user, lesson=lesson)
    html = lesson_blocks_html(lesson=lesson, request=request)
    enrolled = selectors.is_enrolled(user=user, course_key=key) if enrolled is None else enrolled
    # A lesson previewed from its create form has no id yet: nothing on it can be sent (no
    # completion, reflection or discussion; the quiz shows without an address to post to).
    saved = lesson.pk is not None
    enrolled = enrolled and saved
    answers = reflections.answers_of(user=user, lesson=lesson) if enrolled else {}
    body_items = []
    for index, raw in enumerate(lesson.body.raw_data):
        if raw["type"] == "quiz":
            quiz = lesson.body[index]
            body_items.append(BodyItem(quiz=quiz, state=quizzes.get(quiz.id)))
        elif raw["type"] == "reflection" and enrolled:
            prompt = lesson.body[index]
            body_items.append(BodyItem(reflection=prompt, answer=answers.get(prompt.id)))
        else:
            body_items.append(BodyItem(html=html.get(index, "")))
    return {
        "course": course,
        # A lesson of a module that is not live (Wagtail still serves it) reads its module.
        "module": tree.module_of(lesson.path) or lesson.get_parent(),
        "previous_lesson": counted[position - 1] if position else None,
        "next_lesson": counted[position + 1] if position + 1 < len(counted) else None,
        "lesson_number": position + 1,
        "lesson_count": len(counted),
        # The outline inside the lesson: the tree and completions read above, no query more.
        "outline": tree.outline,
        "completed": completed,
        "discussion_available": saved and discussions.discussion_available(course),
        "is_complete": lesson.translation_key in completed,
        "progress": selectors.progress_from(lessons, completed),
        "quizzes": quizzes,
        "body_items": body_items,
        "live_dialogues": selectors.lesson_live_dialogues(lesson),
        "enrolled": enrolled,
        **language_notice(page=lesson, request=request),
    }


def attempt_result_context(*, attempt: QuizAttempt, request: HttpRequest) -> dict[str, object]:
    """The learner's review of one attempt: each question with their own answer, the verdict
    and the feedback stored at grading time, in the learner's language where the lesson is
    translated; and their other attempts at the quiz, to review too.

    The right answers show once the learner has passed the quiz or has no attempt left, as
    Moodle's "after the quiz is closed" review: shown earlier, the next attempt would be a copy.
    """
    lesson = selectors.lesson_in(
        lesson_key=attempt.lesson_key, language=selectors.preferred_language(request)
    )
    attempts = selectors.attempts_at(
        user_id=attempt.user_id, lesson_key=attempt.lesson_key, block_id=attempt.block_id
    )
    context: dict[str, object] = {
        "attempt": attempt,
        "attempts": attempts,
        "lesson": lesson,
        "quiz": None,
        "questions": [],
    }
    if lesson is None:
        return context
    block = next((block for block in lesson.quiz_blocks() if block.id == attempt.block_id), None)
    if block is not None:
        quiz = quiz_from_block(block.value)
        used_up = bool(quiz.max_attempts) and len(attempts) >= quiz.max_attempts
        show_right = used_up or any(other.passed for other in attempts)
        context["quiz"] = quiz
        context["right_answers_shown"] = show_right
        context["questions"] = review(
            quiz, attempt.answers, attempt.results, show_right_answers=show_right
        )
    lesson_context = lesson_page_context(lesson=lesson, request=request)
    course = lesson_context.get("course")
    context["next_lesson"] = lesson_context.get("next_lesson")
    context["certificate"] = (
        selectors.certificate_of(user_id=attempt.user_id, course_key=course.translation_key)
        if course is not None
        else None
    )
    return context
