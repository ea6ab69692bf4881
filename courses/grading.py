"""Quiz grading: pure functions over plain data, run on the server only.

The lesson page never carries the correct answers or the feedback; the learner's answers come
here, are checked strictly (an unknown choice or a missing answer is an error, not a wrong
answer), and the result is what the learner sees after submitting. No database, no Wagtail:
easy to test for every question type.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext as _


class QuestionKind(StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    TRUE_FALSE = "true_false"
    SHORT_ANSWER = "short_answer"


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    correct: bool


@dataclass(frozen=True)
class Question:
    id: str
    kind: QuestionKind
    prompt: str
    choices: tuple[Choice, ...] = ()
    accepted_answers: tuple[str, ...] = ()
    feedback_correct: str = ""
    feedback_incorrect: str = ""


@dataclass(frozen=True)
class Quiz:
    title: str
    pass_mark: int
    max_attempts: int
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Grade:
    score: int  # percent, rounded down
    passed: bool
    results: tuple[QuestionResult, ...] = field(default=())

    def as_json(self) -> list[dict[str, object]]:
        return [
            {"question": result.question_id, "correct": result.correct, "feedback": result.feedback}
            for result in self.results
        ]


class AnswerError(ValueError):
    """The submission does not answer this quiz (missing answer, unknown choice, ...)."""


Answers = Mapping[str, Sequence[str]]

_PUNCTUATION = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Compare short answers the way a teacher would: case, accents, punctuation and extra
    spaces do not matter ("  Páramo! " matches "paramo")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", without_accents)).strip()


def clean_answers(quiz: Quiz, answers: Answers) -> dict[str, list[str]]:
    """Check that every question has a well-formed answer; return them in a storable shape.

    ``answers`` maps question ids to the submitted values (a QueryDict's lists). Raises
    ``AnswerError`` with a message for the learner when anything is missing or unknown.
    """
    known = {question.id for question in quiz.questions}
    unknown_questions = set(answers) - known
    if unknown_questions:
        raise AnswerError(_("The submission answers a question that is not in this quiz."))
    cleaned: dict[str, list[str]] = {}
    for number, question in enumerate(quiz.questions, start=1):
        values = [value for value in answers.get(question.id, ()) if value.strip()]
        if not values:
            raise AnswerError(_("Please answer question %(number)d.") % {"number": number})
        if question.kind is QuestionKind.SHORT_ANSWER:
            if len(values) != 1:
                raise AnswerError(_("Question %(number)d takes one answer.") % {"number": number})
            cleaned[question.id] = [values[0].strip()[:200]]
            continue
        choice_ids = {choice.id for choice in question.choices}
        if not set(values) <= choice_ids:
            raise AnswerError(
                _("Question %(number)d has an answer that is not one of its choices.")
                % {"number": number}
            )
        if question.kind is not QuestionKind.MULTIPLE_CHOICE and len(values) != 1:
            raise AnswerError(_("Question %(number)d takes one answer.") % {"number": number})
        cleaned[question.id] = sorted(set(values))
    return cleaned


def grade_question(question: Question, values: Sequence[str]) -> bool:
    if question.kind is QuestionKind.SHORT_ANSWER:
        accepted = {normalise(answer) for answer in question.accepted_answers}
        return normalise(values[0]) in accepted
    correct_ids = {choice.id for choice in question.choices if choice.correct}
    return set(values) == correct_ids


def grade(quiz: Quiz, answers: Answers) -> Grade:
    """Grade a submission: all-or-nothing per question, score in whole percent."""
    cleaned = clean_answers(quiz, answers)
    results = []
    for question in quiz.questions:
        correct = grade_question(question, cleaned[question.id])
        feedback = question.feedback_correct if correct else question.feedback_incorrect
        results.append(QuestionResult(question_id=question.id, correct=correct, feedback=feedback))
    right = sum(result.correct for result in results)
    score = (100 * right) // len(results) if results else 0
    return Grade(score=score, passed=score >= quiz.pass_mark, results=tuple(results))


@dataclass(frozen=True)
class QuestionReview:
    """One question of a submitted attempt as the learner reviews it: what they answered, what
    was right (``right_answers`` is empty while the right answers are held back), and the
    feedback stored when it was graded."""

    prompt: str
    correct: bool
    feedback: str
    your_answers: tuple[str, ...]
    right_answers: tuple[str, ...]


def review(
    quiz: Quiz,
    answers: Answers,
    results: Sequence[Mapping[str, object]],
    *,
    show_right_answers: bool,
) -> list[QuestionReview]:
    """Each question of the quiz with the learner's stored answers turned back into the words
    they chose, and the verdict and feedback of ``results`` (``Grade.as_json``, as stored). A
    question added after the attempt shows as unanswered; a choice removed since, by nothing."""
    by_question = {row["question"]: row for row in results}
    reviews = []
    for question in quiz.questions:
        given = list(answers.get(question.id, ()))
        row = by_question.get(question.id, {})
        if question.kind is QuestionKind.SHORT_ANSWER:
            yours = tuple(given)
            right = question.accepted_answers
        else:
            text = {choice.id: choice.text for choice in question.choices}
            yours = tuple(text[value] for value in given if value in text)
            right = tuple(choice.text for choice in question.choices if choice.correct)
        reviews.append(
            QuestionReview(
                prompt=question.prompt,
                correct=bool(row.get("correct", False)),
                feedback=str(row.get("feedback", "")),
                your_answers=yours,
                right_answers=right if show_right_answers else (),
            )
        )
    return reviews
