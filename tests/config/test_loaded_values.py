"""Which fields a save changed, from the values the object was loaded with (no extra query)."""

from __future__ import annotations

import pytest

from config.loaded_values import changed_fields
from forums.models import Category, Topic
from network.models import LandscapePartnership

pytestmark = pytest.mark.django_db

FIELDS = ("category", "hidden", "title")


@pytest.fixture
def topic(make_user):
    category = Category.objects.create(name="Soil", slug="soil")
    topic = Topic.objects.create(category=category, title="Compost", author=make_user())
    return Topic.objects.get(pk=topic.pk)


def test_a_loaded_object_knows_what_changed(topic, django_assert_num_queries):
    topic.pinned = True
    with django_assert_num_queries(0):
        assert changed_fields(topic, FIELDS) == set()
    topic.title = "Compost heaps"
    topic.hidden = True
    assert changed_fields(topic, FIELDS) == {"title", "hidden"}


def test_setting_a_field_back_to_what_was_loaded_is_no_change(topic):
    title = topic.title
    topic.title = "Something else"
    topic.title = title
    assert changed_fields(topic, FIELDS) == set()


def test_a_foreign_key_compares_by_id(topic):
    topic.category = Category.objects.create(name="Water", slug="water")
    assert changed_fields(topic, FIELDS) == {"category"}


def test_update_fields_limit_what_a_save_can_have_changed(topic):
    topic.title = "Compost heaps"
    assert changed_fields(topic, FIELDS, update_fields=["pinned"]) == set()
    assert changed_fields(topic, FIELDS, update_fields=["title", "pinned"]) == {"title"}
    assert changed_fields(topic, FIELDS, update_fields=["category_id"]) == set()


def test_after_a_save_the_saved_values_are_the_ones_compared(topic):
    topic.title = "Compost heaps"
    topic.save()
    assert changed_fields(topic, FIELDS) == set()
    topic.hidden = True
    topic.save(update_fields=["hidden"])
    assert changed_fields(topic, FIELDS) == set()


def test_without_loaded_values_everything_counts_as_changed(make_user):
    category = Category.objects.create(name="Soil", slug="soil")
    topic = Topic(category=category, title="Compost", author=make_user())
    assert changed_fields(topic, FIELDS) == set(FIELDS)
    assert changed_fields(topic, FIELDS, created=True) == set(FIELDS)


def test_deferred_fields_count_as_changed(topic):
    partial = Topic.objects.only("pk", "hidden").get(pk=topic.pk)
    assert changed_fields(partial, FIELDS) == {"category", "title"}


def test_a_new_category_remembers_what_it_saved(db):
    room = Category.objects.create(name="Soil", slug="soil")
    assert changed_fields(room, ["partnership"]) == set()
    room.partnership = LandscapePartnership.objects.create(name="Rift", slug="rift")
    assert changed_fields(room, ["partnership"]) == {"partnership"}
