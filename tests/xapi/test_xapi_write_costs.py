"""What the outbox adds to a learner's write: a fixed number of queries per fact, whatever the
size of the course (the statements are written in the learner's transaction; the send is a
task after commit, not counted here)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import services
from xapi.models import LearnerAccount, Statement

pytestmark = pytest.mark.django_db


def queries_to_complete(user, lesson) -> int:
    with CaptureQueriesContext(connection) as captured:
        services.lesson_complete(user=user, lesson=lesson)
    return len(captured.captured_queries)


@pytest.mark.parametrize("lessons", [2, 8])
def test_a_completion_costs_six_more_queries_whatever_the_course_size(
    make_course, make_user, settings, lessons
):
    built = make_course(modules=1, lessons=lessons)
    without, with_lrs = make_user(), make_user()
    for user in (without, with_lrs):
        services.enrolment_create(user=user, course=built.course)

    settings.XAPI_LRS_URL = ""
    baseline = queries_to_complete(without, built.lessons[0])

    settings.XAPI_LRS_URL = "http://127.0.0.1:9/xAPI/"  # never reached: nothing commits here
    LearnerAccount.objects.create(user=with_lrs)  # a learner the LRS has heard of before
    reported = queries_to_complete(with_lrs, built.lessons[0])

    # The account, one insert, and four for the lesson's and the course's translations and
    # their URLs (measured: 6 at both sizes, on SQLite and PostgreSQL).
    assert reported - baseline == 6
    assert Statement.objects.filter(user=with_lrs).count() == 1
    assert not Statement.objects.filter(user=without).exists()
