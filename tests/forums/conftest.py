"""Forum fixtures: a public and a partnership-private category, topics, moderators."""

from __future__ import annotations

import itertools

import pytest

from forums import services
from forums.models import Category
from network.models import LandscapePartnership
from network.roles import Role
from network.services import partnership_membership_add

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _generous_rate_limit(settings):
    settings.FORUMS_POSTS_PER_MINUTE = 1000


@pytest.fixture
def moderator(make_user):
    return make_user(Role.MODERATOR)


@pytest.fixture
def category(db) -> Category:
    return Category.objects.create(name="Restoration practice", slug="restoration-practice")


@pytest.fixture
def partnership(db) -> LandscapePartnership:
    return LandscapePartnership.objects.create(
        name="Kijabe Highlands", slug="kijabe-test", country="KE", region="africa"
    )


@pytest.fixture
def private_category(partnership) -> Category:
    return Category.objects.create(
        name="Kijabe partners room", slug="kijabe-room", partnership=partnership
    )


@pytest.fixture
def partner(make_user, partnership):
    """A member of the partnership that owns ``private_category``."""
    user = make_user()
    partnership_membership_add(partnership=partnership, user=user)
    return user


@pytest.fixture
def make_topic(make_user):
    def factory(category, *, author=None, title=None, body="Opening message."):
        author = author or make_user()
        if category.partnership_id:
            partnership_membership_add(partnership=category.partnership, user=author)
        return services.topic_create(
            author=author,
            category=category,
            title=title or f"Topic {next(_numbers)}",
            body=body,
        )

    return factory


@pytest.fixture
def topic(make_topic, category):
    return make_topic(category, title="Agroforestry on steep slopes")


@pytest.fixture
def private_topic(make_topic, private_category):
    return make_topic(private_category, title="Budget for the nursery")
