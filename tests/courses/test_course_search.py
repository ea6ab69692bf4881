"""Courses and lessons in the network search: who finds what, and never a quiz answer."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

import search
from courses.services import cohort_create, cohort_join
from search import indexing

pytestmark = pytest.mark.django_db


def titles(text: str, user) -> list[str]:
    return sorted(hit.title for hit in search.query(text, user=user).hits)


def test_anyone_finds_a_published_course(make_course):
    make_course(title="Landscape finance basics")
    indexing.rebuild()
    assert titles("finance", AnonymousUser()) == ["Landscape finance basics"]


def test_lessons_of_open_courses_are_for_members(make_course, make_user):
    make_course(title="Open course", modules=1, lessons=1, quiz=False)
    indexing.rebuild()
    assert titles("lesson text", AnonymousUser()) == []
    assert titles("lesson text", make_user()) == ["Lesson 1"]


def test_lessons_of_cohort_courses_are_for_their_learners(make_course, make_user):
    built = make_course(title="Cohort course", modules=1, lessons=1, quiz=False, mode="cohort")
    indexing.rebuild()
    outsider, learner, trainer = make_user(), make_user(), make_user()
    today = datetime.date.today()
    cohort = cohort_create(
        course=built.course,
        name="Andes 2026",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=30),
        created_by=trainer,
    )
    cohort_join(user=learner, invite_code=cohort.invite_code)
    assert titles("lesson text", outsider) == []
    assert titles("lesson text", learner) == ["Lesson 1"]


def test_quiz_answers_and_feedback_never_reach_the_index(make_course, make_user):
    make_course(title="Quiz course", modules=1, lessons=1)
    indexing.rebuild()
    member = make_user()
    assert titles("paramo", member) == []
    assert titles("SECRET", member) == []
