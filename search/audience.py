"""Who is asking: the audiences a user's results may come from.

``public`` for everyone; signed-in members add ``members``, one ``partnership:<id>`` per
partnership they belong to (every partnership for superusers, who moderate them all) and one
``course:<key>`` per course they learn in or teach (lessons of cohort courses).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from network.models import LandscapePartnership
from network.selectors import partnership_ids_for
from search.types import MEMBERS, PUBLIC, course_audience, partnership_audience


def _course_keys(user: AbstractBaseUser) -> set:
    from courses.models import CoursePage, Enrolment, EnrolmentStatus

    learning = Enrolment.objects.filter(user=user, status=EnrolmentStatus.ACTIVE).values_list(
        "course_key", flat=True
    )
    teaching = CoursePage.objects.filter(trainers=user).values_list("translation_key", flat=True)
    return set(learning) | set(teaching)


def audiences_for(user: AbstractBaseUser | AnonymousUser) -> tuple[str, ...]:
    if not user.is_authenticated or not user.is_active:
        return (PUBLIC,)
    if user.is_superuser:
        partnerships = sorted(LandscapePartnership.objects.values_list("pk", flat=True))
    else:
        partnerships = sorted(partnership_ids_for(user))
    courses = sorted(str(key) for key in _course_keys(user))
    return (
        PUBLIC,
        MEMBERS,
        *(partnership_audience(pk) for pk in partnerships),
        *(course_audience(key) for key in courses),
    )
