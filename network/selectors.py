"""Reads about people, filtered by what the viewer may see."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from network.models import ProfileVisibility, User


def members_visible_to(viewer: AbstractBaseUser | AnonymousUser) -> QuerySet[User]:
    """Active members whose profile the viewer may open, in a stable order for pagination."""
    allowed = Q(profile_visibility=ProfileVisibility.PUBLIC)
    if viewer.is_authenticated:
        allowed |= Q(profile_visibility=ProfileVisibility.MEMBERS) | Q(pk=viewer.pk)
    return User.objects.filter(allowed, is_active=True).order_by("username", "pk")


def member_visible_to(viewer: AbstractBaseUser | AnonymousUser, username: str) -> User | None:
    """The member with this username if the viewer may see their profile, else None."""
    return members_visible_to(viewer).filter(username=username).first()
