"""Query budgets of the course page (anonymous visitor) and a lesson page (enrolled learner),
cold: every cache emptied (``cache.clear()``: the first visitor after a deploy, a publish or an
eviction) and the anonymous page cache off, so every request really renders and routes. Flat as
the course grows (N vs 3N lessons).

The budget is 12 cold and 5 warm (the course page's public part from its fragments). A course page costs 12 and a lesson 16 cold (signed in: the lesson is not a
public page): Wagtail's routing costs 3 (the site, the active locale, the home page's type) and
its site root paths 2 (the first page URL of a request); ours are the course index with its type
1, the course with its locale, image and whether a view restriction applies 1 and the lesson 1
more; the menu (with the page's translations for the language links) and the course tree 1
each. What is left is the reader's: the course page's cover renditions (all in one query), tags,
trainers and prerequisites; the lesson's enrolment and completions, its live dialogues, and its
images (their rows, then all their renditions in one query).
"""

from __future__ import annotations

import pytest
from django.core.cache import cache

from courses import services

pytestmark = pytest.mark.django_db

BUDGET = 12
COURSE_BUDGET = 12
#: Signed in: the session (from the database once the cache is emptied) and the user, the
#: header's unread notifications, the enrolment, the completed lessons and the lesson's live
#: dialogues; a lesson with a quiz one more (the attempts).
LESSON_BUDGET = 16
#: Warm (small caches and the anonymous fragments filled, the page cache still off): Wagtail's
#: routing (the site, the locale, the home page's type), the course index and the course. What
#: the course is about and its outline come from their fragments (``course_page.html``).
COURSE_WARM_BUDGET = 5


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


def _count_cold(client, path, django_assert_max_num_queries, budget) -> int:
    assert client.get(path).status_code == 200  # renditions are made once, by the first view
    cache.clear()
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _count_warm(client, path, django_assert_max_num_queries, budget) -> int:
    assert client.get(path).status_code == 200  # fills what the cold rendering emptied
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_course_page_stays_within_budget_cold_as_the_course_grows(
    client, make_course, trainer, django_assert_max_num_queries
):
    lessons = 2
    small = make_course(modules=2, lessons=lessons, trainers=[trainer])
    baseline = _count_cold(client, small.course.url, django_assert_max_num_queries, COURSE_BUDGET)
    warm = _count_warm(client, small.course.url, django_assert_max_num_queries, COURSE_WARM_BUDGET)
    large = make_course(modules=6, lessons=lessons * 3, trainers=[trainer])
    _count_cold(client, large.course.url, django_assert_max_num_queries, budget=baseline)
    _count_warm(client, large.course.url, django_assert_max_num_queries, budget=warm)


def test_lesson_page_for_an_enrolled_learner_stays_within_budget_cold_as_the_course_grows(
    learner_client, learner, make_course, django_assert_max_num_queries
):
    small = make_course(modules=2, lessons=2)
    services.enrolment_create(user=learner, course=small.course)
    baseline = _count_cold(
        learner_client, small.lessons[1].url, django_assert_max_num_queries, LESSON_BUDGET
    )
    large = make_course(modules=6, lessons=6)
    services.enrolment_create(user=learner, course=large.course)
    _count_cold(
        learner_client, large.lessons[1].url, django_assert_max_num_queries, budget=baseline
    )


def test_a_lesson_with_a_quiz_costs_one_query_more_for_the_attempts(
    learner_client, learner, make_course, django_assert_max_num_queries
):
    built = make_course(modules=1, lessons=2)  # the quiz is in the last lesson
    services.enrolment_create(user=learner, course=built.course)
    without = _count_cold(
        learner_client, built.lessons[0].url, django_assert_max_num_queries, LESSON_BUDGET
    )
    response = learner_client.get(built.lessons[-1].url)
    assert b"quiz" in response.content.lower()
    _count_cold(learner_client, built.lessons[-1].url, django_assert_max_num_queries, without + 1)
