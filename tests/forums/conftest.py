"""Forum fixtures: a public and a partnership-private category, topics, moderators."""

from __future__ import annotations

import itertools

import pytest
from asgiref.sync import sync_to_async
from django.db import connections

from forums import services
from forums.models import Category
from network.models import LandscapePartnership
from network.roles import Role
from network.services import partnership_membership_add

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _generous_rate_limit(settings):
    settings.FORUMS_POSTS_PER_MINUTE = 1000
    settings.FORUMS_CHAT_MESSAGES_PER_MINUTE = 1000
    settings.FORUMS_EDITS_PER_MINUTE = 1000
    settings.FORUMS_REACTIONS_PER_MINUTE = 1000


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


@pytest.fixture
async def sync_thread_connections_closed(transactional_db):
    """Consumers reach the database from asgiref's one sync thread; close that thread's
    connection after the test, so later tests without database access never find it open."""
    yield
    await sync_to_async(_close_this_threads_connections)()


def _close_this_threads_connections() -> None:
    for connection in connections.all(initialized_only=True):
        if connection.connection is None:
            continue
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            # Django keeps in-memory SQLite open on close(); the main thread's connection
            # keeps the shared database alive, so this thread's own handle can go.
            connection.connection.close()
            connection.connection = None
        else:
            connection.close()
