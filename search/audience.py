"""Who is asking: the audiences a user's results may come from.

``public`` for everyone; signed-in members add ``members``, one ``partnership:<id>`` per
partnership they belong to (every partnership for superusers, who moderate them all) and one
``course:<key>`` per course they learn in or teach (lessons of cohort courses).
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Cast

from network.models import LandscapePartnership
from network.selectors import partnership_memberships_of
from search.types import MEMBERS, PUBLIC, course_audience, partnership_audience

_PARTNERSHIP, _COURSE = "p", "c"


def _tagged(rows: QuerySet, field: str, tag: str) -> QuerySet:
    """``(tag, field as text)`` rows, so reads of different tables share one ``UNION``."""
    return rows.values_list(
        Value(tag, output_field=CharField()), Cast(field, output_field=CharField())
    ).order_by()


def _partnerships_and_courses(user: AbstractBaseUser) -> tuple[list[int], list[str]]:
    """The user's partnership ids and course keys, in one query (a page asks on every search):
    memberships (every partnership for a superuser), active enrolments and courses taught."""
    from courses.models import CoursePage, Enrolment, EnrolmentStatus

    partnerships = (
        LandscapePartnership.objects.all()
        if user.is_superuser
        else partnership_memberships_of(user)
    )
    rows = _tagged(partnerships, "pk" if user.is_superuser else "partnership_id", _PARTNERSHIP)
    learning = Enrolment.objects.filter(user=user, status=EnrolmentStatus.ACTIVE)
    teaching = CoursePage.objects.filter(trainers=user)
    rows = rows.union(
        _tagged(learning, "course_key", _COURSE),
        _tagged(teaching, "translation_key", _COURSE),
    )
    partnership_ids, course_keys = set(), set()
    for tag, key in rows:
        if tag == _PARTNERSHIP:
            partnership_ids.add(int(key))
        else:
            # SQLite stores a UUID as 32 hex digits, PostgreSQL prints it with dashes.
            course_keys.add(str(uuid.UUID(key)))
    return sorted(partnership_ids), sorted(course_keys)


def audiences_for(user: AbstractBaseUser | AnonymousUser) -> tuple[str, ...]:
    if not user.is_authenticated or not user.is_active:
        return (PUBLIC,)
    partnerships, courses = _partnerships_and_courses(user)
    return (
        PUBLIC,
        MEMBERS,
        *(partnership_audience(pk) for pk in partnerships),
        *(course_audience(key) for key in courses),
    )
