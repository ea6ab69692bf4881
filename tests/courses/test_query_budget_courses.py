"""Query budgets of the course page (anonymous visitor) and a lesson page (enrolled learner):
at most 12 queries (the lesson 3) once the small caches are warm, and flat as the course grows
(N vs 3N lessons). The anonymous page cache is off here, so every request really renders."""

from __future__ import annotations

import pytest

from courses import services

pytestmark = pytest.mark.django_db

BUDGET = 12
#: A signed-in lesson costs 3: the user, and the learner's record 2 (enrolled or not, completed
#: lessons); a lesson with a quiz one more (the learner's attempts). The session comes from the
#: cache. Routing costs none: the site, locale, home page, sections, course, course tree (with
#: the lesson's place) and the lesson's body are cached until a page changes.
LESSON_BUDGET = 3


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


def _count(client, path, django_assert_max_num_queries, budget=BUDGET) -> int:
    assert client.get(path).status_code == 200  # warms menu, restrictions, renditions
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_course_page_stays_within_budget_as_the_course_grows(
    client, make_course, trainer, django_assert_max_num_queries
):
    lessons = 2
    small = make_course(modules=2, lessons=lessons, trainers=[trainer])
    baseline = _count(client, small.course.url, django_assert_max_num_queries)
    large = make_course(modules=6, lessons=lessons * 3, trainers=[trainer])
    _count(client, large.course.url, django_assert_max_num_queries, budget=baseline)


def test_lesson_page_for_an_enrolled_learner_stays_within_budget_as_the_course_grows(
    learner_client, learner, make_course, django_assert_max_num_queries
):
    small = make_course(modules=2, lessons=2)
    services.enrolment_create(user=learner, course=small.course)
    baseline = _count(
        learner_client, small.lessons[1].url, django_assert_max_num_queries, budget=LESSON_BUDGET
    )
    large = make_course(modules=6, lessons=6)
    services.enrolment_create(user=learner, course=large.course)
    _count(learner_client, large.lessons[1].url, django_assert_max_num_queries, budget=baseline)


def test_a_lesson_with_a_quiz_costs_one_query_more_for_the_attempts(
    learner_client, learner, make_course, django_assert_max_num_queries
):
    built = make_course(modules=1, lessons=2)  # the quiz is in the last lesson
    services.enrolment_create(user=learner, course=built.course)
    _count(learner_client, built.lessons[0].url, django_assert_max_num_queries, LESSON_BUDGET)
    response = learner_client.get(built.lessons[-1].url)
    assert b"quiz" in response.content.lower()
    _count(learner_client, built.lessons[-1].url, django_assert_max_num_queries, LESSON_BUDGET + 1)
