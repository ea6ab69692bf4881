"""Fixtures shared by the whole suite: people with roles, a clean cache, private media."""

from __future__ import annotations

import itertools

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache

from network.models import User
from network.roles import Role
from network.services import user_add_role

TEST_PASSWORD = "correct-horse-battery-staple"
_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _isolated_media_and_cache(settings, tmp_path):
    """Uploads go to a temporary folder; rate-limit counters never leak between tests."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


@pytest.fixture
def make_user(db):
    """Create a verified member, optionally with extra roles: ``make_user(Role.TRAINER)``."""

    def factory(*roles: Role, verified: bool = True, **fields) -> User:
        number = next(_counter)
        fields.setdefault("username", f"member{number}")
        fields.setdefault("email", f"member{number}@example.org")
        user = User.objects.create_user(password=TEST_PASSWORD, **fields)
        EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
        for role in (Role.LEARNER, *roles):
            user_add_role(user=user, role=role)
        return user

    return factory


@pytest.fixture
def learner(make_user) -> User:
    return make_user()


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client
