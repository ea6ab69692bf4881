"""Who is asking: a member's audiences (partnerships, courses learnt and taught) come from one
query on the real tables, and say exactly what the separate reads said."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone

from courses.models import CourseIndexPage, CoursePage, Enrolment, EnrolmentStatus
from library.demo import ensure_home, ensure_locales, ensure_section
from network.models import LandscapePartnership, PartnershipMembership
from search.audience import audiences_for
from search.types import MEMBERS, PUBLIC, course_audience, partnership_audience

pytestmark = pytest.mark.django_db


@pytest.fixture
def taught_course(make_user) -> CoursePage:
    ensure_locales()
    catalogue = ensure_section(
        ensure_home(), CourseIndexPage, "courses", "Courses", "<p>Courses.</p>"
    ).specific
    course = CoursePage(title="Terraces", slug="terraces", summary="A course.")
    catalogue.add_child(instance=course)
    return course


def teach(course: CoursePage, trainer) -> None:
    course.trainers.add(trainer)
    course.save_revision().publish()


def enrol(user, course_key, status=EnrolmentStatus.ACTIVE) -> None:
    Enrolment.objects.create(
        user=user, course_key=course_key, status=status, enrolled_at=timezone.now()
    )


def courses(*keys) -> tuple[str, ...]:
    return tuple(course_audience(key) for key in sorted(str(key) for key in keys))


def test_a_member_reads_partnerships_and_courses_in_one_query(
    make_user, partnership, taught_course, django_assert_num_queries
):
    member = make_user()
    other = LandscapePartnership.objects.create(name="Elsewhere", slug="elsewhere")
    PartnershipMembership.objects.create(partnership=partnership, user=member)
    learning, withdrawn = uuid.uuid4(), uuid.uuid4()
    enrol(member, learning)
    enrol(member, withdrawn, EnrolmentStatus.WITHDRAWN)
    teach(taught_course, member)
    enrol(member, taught_course.translation_key)  # learner and trainer: one audience
    with django_assert_num_queries(1):
        audiences = audiences_for(member)
    assert audiences == (
        PUBLIC,
        MEMBERS,
        partnership_audience(partnership.pk),
        *courses(learning, taught_course.translation_key),
    )
    assert partnership_audience(other.pk) not in audiences


def test_a_superuser_is_inside_every_partnership(make_user, partnership):
    admin = make_user(is_superuser=True)
    other = LandscapePartnership.objects.create(name="Elsewhere", slug="elsewhere")
    assert audiences_for(admin) == (
        PUBLIC,
        MEMBERS,
        *(partnership_audience(pk) for pk in sorted([partnership.pk, other.pk])),
    )


def test_visitors_and_deactivated_members_see_public_documents_only(
    make_user, partnership, django_assert_num_queries
):
    from django.contrib.auth.models import AnonymousUser

    gone = make_user(is_active=False)
    PartnershipMembership.objects.create(partnership=partnership, user=gone)
    with django_assert_num_queries(0):
        assert audiences_for(AnonymousUser()) == (PUBLIC,)
        assert audiences_for(gone) == (PUBLIC,)
