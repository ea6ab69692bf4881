"""Who sees and changes learners' records in the Wagtail admin (``courses.admin_views``).

The records are keyed to a course's translation key, not to a page, so Wagtail's page
permissions do not reach them and Django's model permissions would give a trainer every
course's learners. This policy decides by course instead:

- a course's trainers (on any of its translations) see its cohorts, enrolments, certificates
  and attempts, and act on them (edit or delete a cohort, revoke or re-issue a certificate);
- editors see every course's records, read-only (they review courses, they do not run them);
- superusers hold every role.

It is a Wagtail permission policy (``BasePermissionPolicy``, the public interface the generic
views ask), so the menu, the listing, the CSV export and each edit or delete view ask one
place. Which courses a user teaches is read once per request and kept on the user object,
as Wagtail's own policies keep their permissions.
"""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from wagtail.permission_policies.base import BasePermissionPolicy

from courses.models import CoursePage
from network.roles import Role, user_has_role

READ_ACTIONS = frozenset({"view"})
CACHE_ATTRIBUTE = "_courses_admin_taught_keys"


def taught_course_keys(user) -> frozenset[uuid.UUID] | None:
    """The translation keys of the courses ``user`` teaches; ``None`` means every course (a
    superuser). One query, then kept on the user for the rest of the request."""
    if not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        return None
    if not hasattr(user, CACHE_ATTRIBUTE):
        keys = frozenset(
            CoursePage.trainers.through.objects.filter(user_id=user.pk).values_list(
                "coursepage__translation_key", flat=True
            )
        )
        setattr(user, CACHE_ATTRIBUTE, keys)
    return getattr(user, CACHE_ATTRIBUTE)


def is_records_reader(user) -> bool:
    """Editors read every course's records (the role's query, kept for the request)."""
    attribute = "_courses_admin_is_editor"
    if not hasattr(user, attribute):
        setattr(user, attribute, user.is_authenticated and user_has_role(user, Role.EDITOR))
    return getattr(user, attribute)


class CourseRecordPolicy(BasePermissionPolicy):
    """Permissions on a model with a ``course_key`` (cohorts, enrolments, certificates,
    attempts). ``actions`` names what a course's trainers may do besides viewing; ``add`` is
    never among them here (cohorts are made on the course report, records by learners)."""

    def __init__(self, model, *, actions: frozenset[str] = READ_ACTIONS):
        super().__init__(model)
        self.actions = actions | READ_ACTIONS

    def _teaches_any(self, user) -> bool:
        keys = taught_course_keys(user)
        return keys is None or bool(keys)

    def user_has_permission(self, user, action: str) -> bool:
        if action not in self.actions:
            return False
        if self._teaches_any(user):
            return True
        return action in READ_ACTIONS and is_records_reader(user)

    def user_has_any_permission(self, user, actions) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action: str, instance) -> bool:
        if action not in self.actions:
            return False
        keys = taught_course_keys(user)
        if keys is None or instance.course_key in keys:
            return True
        return action in READ_ACTIONS and is_records_reader(user)

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet:
        manager = self.model._default_manager
        actions = set(actions) & self.actions
        if not actions:
            return manager.none()
        keys = taught_course_keys(user)
        if keys is None or (actions & READ_ACTIONS and is_records_reader(user)):
            return manager.all()
        return manager.filter(course_key__in=keys)

    def users_with_any_permission(self, actions):
        """Not asked by the views used here; answered conservatively (superusers)."""
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(is_active=True, is_superuser=True)


def register_policies() -> None:
    """Register each record model's policy with Wagtail (before its viewset registers): the
    generic views, the menu and the CSV export ask it through ``policy_registry``."""
    from wagtail.permissions import register_permission_policy

    from courses.models import Certificate, Cohort, Enrolment, QuizAttempt

    register_permission_policy(
        Cohort, CourseRecordPolicy(Cohort, actions=frozenset({"change", "delete"}))
    )
    register_permission_policy(Enrolment, CourseRecordPolicy(Enrolment))
    register_permission_policy(
        Certificate, CourseRecordPolicy(Certificate, actions=frozenset({"revoke"}))
    )
    register_permission_policy(QuizAttempt, CourseRecordPolicy(QuizAttempt))
