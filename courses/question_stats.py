"""Per-question statistics for the course report: how hard each question is and which wrong
answer learners pick most.

Difficulty is the share of attempts that answered the question right (every attempt counts,
so a question learners get wrong before they get it right reads as harder). The most chosen
wrong answer is the answer (a choice, a set of choices, or the typed text as graded) given
most often by attempts that got the question wrong, shown with the choices' own words.
One query over the course's attempts, whatever their number, plus the lessons the report has
already read.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass

from courses.blocks import quiz_from_block
from courses.grading import QuestionKind, normalise
from courses.models import QuizAttempt


@dataclass(frozen=True)
class QuestionStatistics:
    lesson_title: str
    quiz_title: str
    prompt: str
    answered: int
    right: int
    most_chosen_wrong: str
    most_chosen_wrong_count: int

    @property
    def difficulty(self) -> int | None:
        """Percent of attempts that answered right (``None`` before anyone answered)."""
        return (100 * self.right) // self.answered if self.answered else None


def question_statistics(*, course_key: uuid.UUID, lessons) -> list[QuestionStatistics]:
    """Every question of every quiz in ``lessons`` (the course's, in order), with its figures."""
    right: Counter = Counter()
    answered: Counter = Counter()
    wrong_answers: dict[tuple, Counter] = defaultdict(Counter)
    for lesson_key, block_id, answers, results in QuizAttempt.objects.filter(
        course_key=course_key
    ).values_list("lesson_key", "block_id", "answers", "results"):
        for result in results or ():
            key = (lesson_key, block_id, result.get("question"))
            answered[key] += 1
            if result.get("correct"):
                right[key] += 1
            else:
                given = (answers or {}).get(result.get("question")) or []
                wrong_answers[key][tuple(sorted(str(value) for value in given))] += 1
    rows = []
    for lesson in lessons:
        for block in lesson.quiz_blocks():
            quiz = quiz_from_block(block.value)
            for question in quiz.questions:
                key = (lesson.translation_key, block.id, question.id)
                common = wrong_answers[key].most_common(1)
                words, count = ("", 0)
                if common:
                    given, count = common[0]
                    words = _answer_words(question, given)
                rows.append(
                    QuestionStatistics(
                        lesson_title=lesson.title,
                        quiz_title=quiz.title,
                        prompt=question.prompt,
                        answered=answered[key],
                        right=right[key],
                        most_chosen_wrong=words,
                        most_chosen_wrong_count=count,
                    )
                )
    return rows


def _answer_words(question, given: tuple[str, ...]) -> str:
    """A stored answer in the quiz's own words: choice texts, or the text as typed."""
    if question.kind is QuestionKind.SHORT_ANSWER:
        return ", ".join(normalise(value) for value in given) or "—"
    texts = {choice.id: choice.text for choice in question.choices}
    return ", ".join(texts.get(value, value) for value in given) or "—"
