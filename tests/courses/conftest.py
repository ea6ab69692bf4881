"""Course fixtures: a site with a catalogue, and a factory for courses of any size.

Quizzes use fixed block ids so tests can submit answers by id, as the lesson form does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest

from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from library.demo import ensure_home, ensure_locales, ensure_section
from network.roles import Role

QUIZ_ID = "quiz-1"
SINGLE, MULTI, TRUE_FALSE, SHORT = "q-single", "q-multi", "q-tf", "q-short"
#: Answers that pass the standard quiz, in the shape the view builds from the form.
RIGHT = {SINGLE: ["b"], MULTI: ["a", "c"], TRUE_FALSE: ["false"], SHORT: ["Páramo"]}
#: All wrong: score 0.
WRONG = {SINGLE: ["a"], MULTI: ["a"], TRUE_FALSE: ["true"], SHORT: ["desert"]}


def _choices(correct: set[str]) -> list[dict]:
    return [
        {
            "type": "item",
            "value": {"text": f"Answer {letter}", "correct": letter in correct},
            "id": letter,
        }
        for letter in "abc"
    ]


def quiz_block(*, block_id: str = QUIZ_ID, pass_mark: int = 75, max_attempts: int = 3) -> dict:
    return {
        "type": "quiz",
        "id": block_id,
        "value": {
            "title": "Check your understanding",
            "pass_mark": pass_mark,
            "max_attempts": max_attempts,
            "questions": [
                {
                    "type": "single_choice",
                    "id": SINGLE,
                    "value": {
                        "prompt": "Pick b",
                        "choices": _choices({"b"}),
                        "feedback_correct": "SECRET-RIGHT-single",
                        "feedback_incorrect": "SECRET-WRONG-single",
                    },
                },
                {
                    "type": "multiple_choice",
                    "id": MULTI,
                    "value": {
                        "prompt": "Pick a and c",
                        "choices": _choices({"a", "c"}),
                        "feedback_correct": "SECRET-RIGHT-multi",
                        "feedback_incorrect": "SECRET-WRONG-multi",
                    },
                },
                {
                    "type": "true_false",
                    "id": TRUE_FALSE,
                    "value": {
                        "prompt": "The sky is green.",
                        "answer": False,
                        "feedback_correct": "SECRET-RIGHT-tf",
                        "feedback_incorrect": "SECRET-WRONG-tf",
                    },
                },
                {
                    "type": "short_answer",
                    "id": SHORT,
                    "value": {
                        "prompt": "High Andean grassland?",
                        "accepted_answers": [{"type": "item", "value": "paramo", "id": "s1"}],
                        "feedback_correct": "SECRET-RIGHT-short",
                        "feedback_incorrect": "SECRET-WRONG-short",
                    },
                },
            ],
        },
    }


def text_block(number: int) -> dict:
    return {"type": "text", "id": f"text-{number}", "value": f"<p>Lesson text {number}.</p>"}


@dataclass
class BuiltCourse:
    course: CoursePage
    modules: list[ModulePage] = field(default_factory=list)
    lessons: list[LessonPage] = field(default_factory=list)

    @property
    def quiz_lesson(self) -> LessonPage:
        return next(lesson for lesson in self.lessons if lesson.quiz_blocks())


@pytest.fixture
def catalogue(db) -> CourseIndexPage:
    ensure_locales()
    home = ensure_home()
    return ensure_section(home, CourseIndexPage, "courses", "Courses", "<p>Courses.</p>").specific


@pytest.fixture
def make_course(catalogue, make_user):
    """``make_course(modules=2, lessons=2, quiz=True, mode="open", trainers=[user])``: the
    quiz (if any) is in the last lesson."""
    counter = iter(range(1, 10_000))

    def factory(
        *,
        title: str = "",
        modules: int = 2,
        lessons: int = 2,
        quiz: bool = True,
        mode: str = "open",
        trainers=(),
        max_attempts: int = 3,
        **fields,
    ) -> BuiltCourse:
        number = next(counter)
        course = CoursePage(
            title=title or f"Course {number}",
            slug=f"course-{number}",
            summary="A course for tests.",
            enrolment_mode=mode,
            **fields,
        )
        catalogue.add_child(instance=course)
        for trainer in trainers:
            course.trainers.add(trainer)
        course.save_revision().publish()
        built = BuiltCourse(course=course)
        total = modules * lessons
        for module_number in range(1, modules + 1):
            module = course.add_child(
                instance=ModulePage(title=f"Module {module_number}", slug=f"module-{module_number}")
            )
            module.save_revision().publish()
            built.modules.append(module)
            for lesson_number in range(1, lessons + 1):
                index = len(built.lessons) + 1
                body = [text_block(index)]
                if quiz and index == total:
                    body.append(quiz_block(max_attempts=max_attempts))
                lesson = module.add_child(
                    instance=LessonPage(
                        title=f"Lesson {index}",
                        slug=f"lesson-{lesson_number}",
                        body=json.dumps(body),
                    )
                )
                lesson.save_revision().publish()
                built.lessons.append(lesson)
        return built

    return factory


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER)
