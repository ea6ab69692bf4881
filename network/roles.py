"""Roles are Django groups, created by a data migration and named here once.

Wagtail ships its own "Editors" and "Moderators" groups: Editors is our editor role, and
Wagtail's Moderators stay the page reviewers of the publishing workflow. Forum moderation is a
different job, hence "Forum moderators".
"""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class Role(StrEnum):
    LEARNER = "Learners"
    TRAINER = "Trainers"
    MODERATOR = "Forum moderators"
    EDITOR = "Editors"


#: Every new account starts as a learner.
DEFAULT_ROLE = Role.LEARNER

#: Roles whose members reach the Wagtail admin (they hold ``wagtailadmin.access_admin``).
ADMIN_ROLES = (Role.TRAINER, Role.EDITOR)


def user_has_role(user: AbstractBaseUser | AnonymousUser, role: Role) -> bool:
    """True when the user belongs to the role's group (superusers hold every role)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=role.value).exists()
