"""Roles give exactly what they name: ``is_staff`` (which editors carry for the Django admin)
makes nobody a forum moderator nor a course's trainer.

Forum moderation belongs to the Forum moderators role; course reports, cohorts and certificate
revocation to the course's trainers (superusers hold every role, ``network.roles``).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from courses import selectors as course_selectors
from courses import services as course_services
from forums.selectors import is_moderator
from network.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(make_user):
    """An editor as the demo and the operators make them: the Editors role and ``is_staff``."""
    return make_user(Role.EDITOR, is_staff=True)


@pytest.fixture
def course_with_certificate(make_course, make_user):
    trainer = make_user(Role.TRAINER)
    built = make_course(trainers=[trainer], modules=1, lessons=1, quiz=False)
    learner = make_user()
    course_services.enrolment_create(user=learner, course=built.course)
    course_services.lesson_complete(user=learner, lesson=built.lessons[0])
    return built, trainer, learner.certificates.get()


def test_staff_status_is_not_the_moderator_role(editor, make_user):
    assert is_moderator(editor) is False
    assert is_moderator(make_user(Role.MODERATOR)) is True
    assert is_moderator(make_user(is_superuser=True)) is True


def test_an_editor_gets_no_course_report_cohort_or_revocation(editor, course_with_certificate):
    built, trainer, certificate = course_with_certificate
    course = built.course
    assert not course_selectors.is_course_trainer(user=editor, course_key=course.translation_key)
    client = Client()
    client.force_login(editor)
    assert client.get(reverse("courses:report", args=[course.pk])).status_code == 403
    assert client.get(reverse("courses:report_csv", args=[course.pk])).status_code == 403
    cohort = {"name": "Autumn", "starts_on": "2026-09-01", "ends_on": "2026-12-01"}
    assert (
        client.post(reverse("courses:cohort_create", args=[course.pk]), cohort).status_code == 403
    )
    revoke = reverse("courses:certificate_revoke", args=[certificate.public_id])
    assert client.post(revoke, {"reason": "Because"}).status_code == 403
    certificate.refresh_from_db()
    assert certificate.is_valid

    # The course's trainer, for contrast: the URLs are right.
    client.force_login(trainer)
    assert client.get(reverse("courses:report", args=[course.pk])).status_code == 200


def test_an_editor_has_no_moderation_queue_but_keeps_the_admin(editor):
    client = Client()
    client.force_login(editor)
    assert client.get(reverse("forums:moderation")).status_code == 403
    assert client.get("/admin/").status_code == 200
    assert client.get("/django-admin/").status_code == 200
