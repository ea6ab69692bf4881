"""Forum demo content: discussions, a private partnership space, a past and an upcoming live
dialogue; seeding twice duplicates nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from forums.models import Category, DialogueSession, DialogueStatus, Post, Topic
from forums.selectors import categories_visible_to
from network.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_forums_once():
    call_command("seed_demo", stdout=io.StringIO())
    counts = (Category.objects.count(), Topic.objects.count(), Post.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Category.objects.count(), Topic.objects.count(), Post.objects.count()) == counts
    assert Topic.objects.count() >= 5

    private = Category.objects.get(slug="kijabe-highlands-partners")
    learner = User.objects.get(username="learner")
    trainer = User.objects.get(username="trainer")
    assert private in categories_visible_to(learner)
    assert private not in categories_visible_to(trainer)

    past = DialogueSession.objects.get(status=DialogueStatus.ENDED)
    assert "water" in past.archived_topic.posts.get().body_source
    assert DialogueSession.objects.filter(status=DialogueStatus.SCHEDULED).count() == 1
