"""What is built partly from another object is reindexed with it, in one queued task, and only
when a field it reads changed (search/signal_handlers.py, ``sources.dependents``).

The task backend is the database queue here, as in production: a test sees which tasks a write
queued, then runs them as the worker would, and searches as an anonymous visitor before/after.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django_tasks_db.models import DBTaskResult
from wagtail.models import PageViewRestriction

import search
from forums import services
from forums.models import Category, Topic
from network.models import LandscapePartnership, Organisation
from search import signal_handlers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued() -> list[tuple[str, list]]:
    """The tasks waiting in the queue, as ``(task name, arguments)``."""
    return [
        (row.task_path.rsplit(".", 1)[-1], row.args_kwargs["args"])
        for row in DBTaskResult.objects.order_by("enqueued_at", "pk")
    ]


def dependents_queued() -> list[list]:
    """The arguments of the queued ``reindex_dependents`` tasks."""
    return [args for name, args in queued() if name == "reindex_dependents"]


def run_queued() -> None:
    """Do what the worker does: run every queued task, then empty the queue."""
    for row in DBTaskResult.objects.order_by("enqueued_at", "pk"):
        row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
    DBTaskResult.objects.all().delete()


def kinds(text: str, user=None) -> list[str]:
    return sorted(hit.kind for hit in search.query(text, user=user or AnonymousUser()).hits)


@pytest.fixture
def category(db):
    return Category.objects.create(name="Water", slug="water")


@pytest.fixture
def private_category(db):
    partnership = LandscapePartnership.objects.create(name="Rift", slug="rift", country="KE")
    return Category.objects.create(name="Rift room", slug="rift-room", partnership=partnership)


@pytest.fixture
def topic(category, make_user, django_capture_on_commit_callbacks, settings):
    settings.FORUMS_POSTS_PER_MINUTE = 1000
    with django_capture_on_commit_callbacks(execute=True):
        topic = services.topic_create(
            author=make_user(), category=category, title="Tariffs", body="Open talk on tariffs."
        )
        for number in range(3):
            services.post_create(author=make_user(), topic=topic, body=f"Tariffs reply {number}.")
    run_queued()
    return Topic.objects.get(pk=topic.pk)


def test_moving_a_topic_to_a_private_category_takes_its_posts_out_of_public_view(
    topic, private_category, make_user, django_capture_on_commit_callbacks
):
    moderator = make_user(is_superuser=True)
    assert kinds("tariffs") == ["post", "post", "post", "topic"]
    with django_capture_on_commit_callbacks(execute=True):
        services.topic_move(moderator=moderator, topic=topic, category=private_category)
    # One task for the topic, one for all its posts: not one per post.
    assert dependents_queued() == [["forums.topic", str(topic.pk)]]
    run_queued()
    assert kinds("tariffs") == []
    assert kinds("tariffs", moderator) == ["post", "post", "post", "topic"]


@pytest.mark.parametrize("action", ["pin", "lock"])
def test_pinning_or_locking_a_topic_leaves_its_posts_alone(
    topic, make_user, django_capture_on_commit_callbacks, action
):
    moderator = make_user(is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        if action == "pin":
            services.topic_pin(moderator=moderator, topic=topic, pinned=True)
        else:
            services.topic_lock(moderator=moderator, topic=topic, locked=True)
    assert dependents_queued() == []


def test_renaming_a_topic_renames_its_posts_in_the_index(topic, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        topic.title = "Water prices"  # as an admin form saves it: every field, no update_fields
        topic.save()
    run_queued()
    titles = {hit.title for hit in search.query("reply", user=AnonymousUser()).hits}
    assert titles == {"Water prices"}


def test_a_category_turning_private_and_back_changes_who_finds_what_it_holds(
    topic, category, private_category, django_capture_on_commit_callbacks
):
    room = Category.objects.get(pk=category.pk)  # loaded, as the admin's change form does
    with django_capture_on_commit_callbacks(execute=True):
        room.partnership = private_category.partnership
        room.save()
    assert dependents_queued() == [["forums.category", str(room.pk)]]
    run_queued()
    assert kinds("tariffs") == []
    with django_capture_on_commit_callbacks(execute=True):
        room.partnership = None
        room.save()
    run_queued()
    assert kinds("tariffs") == ["post", "post", "post", "topic"]


def test_renaming_a_category_queues_nothing(category, django_capture_on_commit_callbacks):
    room = Category.objects.get(pk=category.pk)
    with django_capture_on_commit_callbacks(execute=True):
        room.name = "Water and soil"
        room.save()
    assert dependents_queued() == []


def test_renaming_an_organisation_reindexes_its_partnerships(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        organisation = Organisation.objects.create(name="Green Belt Collective", slug="gbc")
        partnership = LandscapePartnership.objects.create(name="Aberdares", slug="ab", country="KE")
        partnership.organisations.add(organisation)
        partnership.save()
    run_queued()
    assert "partnership" in kinds("collective")
    organisation = Organisation.objects.get(pk=organisation.pk)
    with django_capture_on_commit_callbacks(execute=True):
        organisation.description = "Tree nurseries."
        organisation.save()
    assert dependents_queued() == []
    with django_capture_on_commit_callbacks(execute=True):
        organisation.name = "Mount Kenya Growers"
        organisation.save()
    run_queued()
    assert "partnership" not in kinds("collective")
    assert "partnership" in kinds("growers")


def test_a_view_restriction_takes_the_page_out_in_one_task(
    make_case_study, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = make_case_study(title="Mangrove nurseries", summary="Fishers replant.")
    run_queued()
    assert kinds("mangrove") == ["case_study"]
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=page, restriction_type="login")
    assert dependents_queued() == [["wagtailcore.page", str(page.pk)]]
    run_queued()
    assert kinds("mangrove") == []


def test_work_asked_for_twice_runs_once_and_survives_a_rolled_back_savepoint(
    django_capture_on_commit_callbacks,
):
    ran: list[str] = []
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        signal_handlers._on_commit_once("a", lambda: ran.append("a"))
        try:
            with transaction.atomic():
                signal_handlers._on_commit_once("b", lambda: ran.append("b"))
                signal_handlers._on_commit_once("a", lambda: ran.append("a again"))
                raise RuntimeError
        except RuntimeError:
            pass
        signal_handlers._on_commit_once("b", lambda: ran.append("b after the rollback"))
        signal_handlers._on_commit_once("a", lambda: ran.append("a once more"))
        assert ran == []
    assert ran == ["a", "b after the rollback"]
    with django_capture_on_commit_callbacks(execute=True):
        signal_handlers._on_commit_once("a", lambda: ran.append("a in a later write"))
    assert ran == ["a", "b after the rollback", "a in a later write"]
