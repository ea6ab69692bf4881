"""A trainer edits the courses they teach, and no other: in the Wagtail admin, trainer A
cannot open trainer B's lessons (their quiz answer keys), drafts or course settings.

Access follows the course's ``trainers`` field as published: each course has its own group
holding add + edit on the course page (and its translations), kept in step by
``courses.trainer_access`` whenever a course is published.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import GroupPagePermission

from courses.trainer_access import course_trainers_group_name
from network.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_courses(make_course, make_user):
    trainer_a = make_user(Role.TRAINER)
    trainer_b = make_user(Role.TRAINER)
    course_a = make_course(trainers=[trainer_a], modules=1, lessons=1)
    course_b = make_course(trainers=[trainer_b], modules=1, lessons=1)
    return (trainer_a, course_a), (trainer_b, course_b)


def admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_trainer_edits_their_own_lessons_and_not_another_trainers(two_courses):
    (trainer_a, course_a), (_, course_b) = two_courses
    client = admin_client(trainer_a)
    own = client.get(f"/admin/pages/{course_a.quiz_lesson.pk}/edit/")
    assert own.status_code == 200
    assert "SECRET-RIGHT-single" in own.content.decode()  # the quiz key: theirs to read
    for page in (course_b.quiz_lesson, course_b.course, course_b.modules[0]):
        other = client.get(f"/admin/pages/{page.pk}/edit/")
        assert other.status_code in {302, 403}, page
        assert "SECRET-RIGHT-single" not in other.content.decode()
    assert client.get(f"/admin/pages/{course_b.course.pk}/").status_code in {302, 403}
    # Adding a lesson: under one's own module, yes; under another's, no.
    own_add = f"/admin/pages/add/courses/lessonpage/{course_a.modules[0].pk}/"
    other_add = f"/admin/pages/add/courses/lessonpage/{course_b.modules[0].pk}/"
    assert client.get(own_add).status_code == 200
    assert client.get(other_add).status_code in {302, 403}


def test_trainers_group_alone_edits_no_course(two_courses, make_user):
    client = admin_client(make_user(Role.TRAINER))
    assert client.get("/admin/").status_code == 200  # the admin stays open to trainers
    for _, course in two_courses:
        assert client.get(f"/admin/pages/{course.lessons[0].pk}/edit/").status_code in {302, 403}


def test_access_follows_the_published_trainers_field(two_courses, make_user):
    (trainer_a, course_a), _ = two_courses
    newcomer = make_user(Role.TRAINER)
    course = course_a.course
    course.trainers.set([newcomer])
    course.save_revision().publish()

    edit = f"/admin/pages/{course_a.lessons[0].pk}/edit/"
    assert admin_client(newcomer).get(edit).status_code == 200
    assert admin_client(trainer_a).get(edit).status_code in {302, 403}
    group = Group.objects.get(name=course_trainers_group_name(course.translation_key))
    assert list(group.user_set.all()) == [newcomer]
    assert GroupPagePermission.objects.filter(group=group, page=course).count() == 2
