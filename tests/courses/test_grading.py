"""courses.grading: every question type, strict answer checking, score and pass mark."""

from __future__ import annotations

import pytest

from courses.grading import (
    AnswerError,
    Choice,
    Question,
    QuestionKind,
    Quiz,
    grade,
    normalise,
)


def choices(*correct: str) -> tuple[Choice, ...]:
    return tuple(
        Choice(id=letter, text=letter.upper(), correct=letter in correct) for letter in "abc"
    )


SINGLE = Question(
    id="single",
    kind=QuestionKind.SINGLE_CHOICE,
    prompt="?",
    choices=choices("b"),
    feedback_correct="yes single",
    feedback_incorrect="no single",
)
MULTI = Question(
    id="multi", kind=QuestionKind.MULTIPLE_CHOICE, prompt="?", choices=choices("a", "c")
)
TRUE_FALSE = Question(
    id="tf",
    kind=QuestionKind.TRUE_FALSE,
    prompt="?",
    choices=(
        Choice(id="true", text="True", correct=False),
        Choice(id="false", text="False", correct=True),
    ),
)
SHORT = Question(
    id="short",
    kind=QuestionKind.SHORT_ANSWER,
    prompt="?",
    accepted_answers=("Páramo", "high grassland"),
)


def quiz(*questions: Question, pass_mark: int = 50) -> Quiz:
    return Quiz(title="Quiz", pass_mark=pass_mark, max_attempts=3, questions=questions)


@pytest.mark.parametrize(
    ("question", "answer", "correct"),
    [
        (SINGLE, ["b"], True),
        (SINGLE, ["a"], False),
        (MULTI, ["a", "c"], True),
        (MULTI, ["c", "a"], True),
        (MULTI, ["a"], False),
        (MULTI, ["a", "b", "c"], False),
        (TRUE_FALSE, ["false"], True),
        (TRUE_FALSE, ["true"], False),
        (SHORT, ["paramo"], True),
        (SHORT, ["  PÁRAMO! "], True),
        (SHORT, ["High   grassland."], True),
        (SHORT, ["grassland"], False),
    ],
)
def test_each_question_type_is_graded(question, answer, correct):
    result = grade(quiz(question), {question.id: answer})
    assert result.results[0].correct is correct
    assert result.score == (100 if correct else 0)


def test_feedback_follows_the_answer():
    assert grade(quiz(SINGLE), {"single": ["b"]}).results[0].feedback == "yes single"
    assert grade(quiz(SINGLE), {"single": ["c"]}).results[0].feedback == "no single"


def test_score_is_the_share_of_right_answers_and_the_pass_mark_is_inclusive():
    answers = {"single": ["b"], "multi": ["a"], "tf": ["false"], "short": ["nope"]}
    assert grade(quiz(SINGLE, MULTI, TRUE_FALSE, SHORT, pass_mark=50), answers).passed
    result = grade(quiz(SINGLE, MULTI, TRUE_FALSE, SHORT, pass_mark=51), answers)
    assert (result.score, result.passed) == (50, False)


def test_one_third_rounds_down():
    result = grade(
        quiz(SINGLE, MULTI, TRUE_FALSE), {"single": ["b"], "multi": ["b"], "tf": ["true"]}
    )
    assert result.score == 33


@pytest.mark.parametrize(
    "answers",
    [
        {"single": ["b"]},  # multi missing
        {"single": ["b"], "multi": ["  "]},  # blank is missing
        {"single": ["z"], "multi": ["a"]},  # unknown choice id
        {"single": ["a", "b"], "multi": ["a"]},  # two answers to a single-choice question
        {"single": ["b"], "multi": ["a"], "other": ["a"]},  # a question not in the quiz
    ],
)
def test_malformed_answers_are_refused_not_marked_wrong(answers):
    with pytest.raises(AnswerError):
        grade(quiz(SINGLE, MULTI), answers)


def test_true_false_refuses_anything_but_true_or_false():
    with pytest.raises(AnswerError):
        grade(quiz(TRUE_FALSE), {"tf": ["maybe"]})


def test_short_answer_takes_one_answer():
    with pytest.raises(AnswerError):
        grade(quiz(SHORT), {"short": ["paramo", "grassland"]})


def test_normalise_ignores_case_accents_punctuation_and_spacing():
    assert normalise("  Ça   va, Páramo! ") == "ca va paramo"
