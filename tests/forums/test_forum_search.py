"""Forum threads in the network search: found by who may read them, gone when hidden."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

import search
from forums import services
from network.services import partnership_membership_add

pytestmark = pytest.mark.django_db


def titles(text: str, user) -> list[str]:
    return sorted({hit.title for hit in search.query(text, user=user).hits})


def kinds(text: str, user) -> list[str]:
    return sorted(hit.kind for hit in search.query(text, user=user).hits)


def test_public_topic_and_replies_are_found_after_commit(
    make_topic, category, make_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        topic = make_topic(category, title="Seed banks for native grasses", body="Who keeps seed?")
        services.post_create(
            author=make_user(), topic=topic, body="Our cooperative dries seed in sheds."
        )
    assert titles("seed", AnonymousUser()) == ["Seed banks for native grasses"]
    assert kinds("cooperative sheds", AnonymousUser()) == ["post"]


def test_private_topic_is_found_only_by_partnership_members(
    make_topic, private_category, partner, make_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_topic(
            private_category, author=partner, title="Nursery budget", body="Confidential sums."
        )
    assert titles("confidential", AnonymousUser()) == []
    assert titles("confidential", make_user()) == []
    assert titles("confidential", partner) == ["Nursery budget"]
    assert search.suggest("nurs", user=make_user()) == []


def test_hidden_post_leaves_the_index(
    make_topic, category, make_user, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        topic = make_topic(category, title="Fencing")
        post = services.post_create(author=make_user(), topic=topic, body="Buy cheap wire from X.")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_hide(moderator=moderator, post=post, reason="advertising")
    assert kinds("wire", AnonymousUser()) == []


def test_moving_a_topic_into_a_private_category_hides_it_and_its_replies(
    make_topic,
    category,
    private_category,
    partnership,
    make_user,
    moderator,
    django_capture_on_commit_callbacks,
):
    partnership_membership_add(partnership=partnership, user=moderator)
    with django_capture_on_commit_callbacks(execute=True):
        topic = make_topic(category, title="Water tariffs", body="Open talk about tariffs.")
        services.post_create(author=make_user(), topic=topic, body="Tariffs reply.")
    with django_capture_on_commit_callbacks(execute=True):
        services.topic_move(moderator=moderator, topic=topic, category=private_category)
    assert kinds("tariffs", AnonymousUser()) == []
