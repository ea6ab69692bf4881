"""Per-question statistics in the course report: difficulty (share of attempts right) and the
most chosen wrong answer, in one query whatever the number of attempts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from courses import services
from courses.question_stats import question_statistics
from tests.courses.conftest import QUIZ_ID, RIGHT, SINGLE, WRONG

pytestmark = pytest.mark.django_db


def _attempts(built, make_user, count: int, answers) -> None:
    for _ in range(count):
        learner = make_user()
        services.enrolment_create(user=learner, course=built.course)
        services.quiz_attempt_submit(
            user=learner,
            lesson=built.quiz_lesson,
            block_id=QUIZ_ID,
            answers=answers,
            attempt_number=None,
        )


def test_difficulty_and_the_most_chosen_wrong_answer(make_course, make_user):
    built = make_course(modules=1, lessons=1)
    _attempts(built, make_user, 3, RIGHT)
    _attempts(built, make_user, 1, WRONG)
    _attempts(built, make_user, 2, {**RIGHT, SINGLE: ["c"]})
    rows = {
        row.prompt: row
        for row in question_statistics(
            course_key=built.course.translation_key, lessons=built.lessons
        )
    }
    single = rows["Pick b"]
    assert (single.answered, single.right, single.difficulty) == (6, 3, 50)
    assert (single.most_chosen_wrong, single.most_chosen_wrong_count) == ("Answer c", 2)
    assert rows["Pick a and c"].difficulty == 83
    assert rows["Pick a and c"].most_chosen_wrong == "Answer a"
    assert rows["The sky is green."].most_chosen_wrong == "True"
    assert rows["High Andean grassland?"].most_chosen_wrong == "desert"


@pytest.mark.parametrize("learners", [2, 15], ids=["two-learners", "fifteen-learners"])
def test_statistics_cost_one_query_whatever_the_attempts(
    make_course, make_user, learners, django_assert_num_queries
):
    built = make_course(modules=1, lessons=1)
    _attempts(built, make_user, learners, WRONG)
    lessons = [built.quiz_lesson]
    with django_assert_num_queries(1):
        rows = question_statistics(course_key=built.course.translation_key, lessons=lessons)
    assert rows[0].answered == learners


def test_the_report_shows_them_to_the_courses_trainers(client, trainer, make_course, make_user):
    built = make_course(modules=1, lessons=1, trainers=[trainer])
    _attempts(built, make_user, 2, WRONG)
    client.force_login(trainer)
    page = client.get(reverse("courses:report", args=[built.course.pk])).content.decode()
    assert "Most chosen wrong answer" in page
    assert "Answer a (2 attempts)" in page


def test_the_csv_has_each_learners_best_quiz_score(client, trainer, make_course, make_user):
    import csv
    import io

    built = make_course(modules=1, lessons=1, trainers=[trainer])
    learner = make_user()
    services.enrolment_create(user=learner, course=built.course)
    for answers in (WRONG, RIGHT):
        services.quiz_attempt_submit(
            user=learner,
            lesson=built.quiz_lesson,
            block_id=QUIZ_ID,
            answers=answers,
            attempt_number=None,
        )
    idle = make_user()
    services.enrolment_create(user=idle, course=built.course)
    client.force_login(trainer)
    response = client.get(reverse("courses:report_csv", args=[built.course.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][-1] == "Lesson 1: Check your understanding (best %)"
    scores = {row[1]: row[-1] for row in rows[1:]}
    assert scores == {learner.username: "100", idle.username: ""}
