"""Moderators hear of new reports and see how many are open (no query for anyone else), and
the moderation log says where a moved topic came from and went."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from forums import selectors, services
from forums.models import Category, ModerationAction, ModerationLog, NotificationKind
from network.roles import Role
from network.services import partnership_membership_add

pytestmark = pytest.mark.django_db


def test_a_report_notifies_the_moderators_who_may_see_the_topic(
    make_user, make_topic, private_category, partnership, moderator, learner
):
    inside = make_user(Role.MODERATOR)
    partnership_membership_add(partnership=partnership, user=inside)
    topic = make_topic(private_category)
    reporter = topic.author

    services.post_flag(reporter=reporter, post=topic.posts.get(), reason="Phone number")

    told = selectors.notifications_for(inside).get()
    assert told.kind == NotificationKind.NEW_REPORT and told.actor_id == reporter.pk
    assert not selectors.notifications_for(moderator).exists()  # outside the partnership
    assert not selectors.notifications_for(learner).exists()


def test_the_open_report_count_shows_to_moderators_and_costs_others_nothing(
    client, topic, make_user, moderator, django_assert_num_queries
):
    services.post_flag(reporter=make_user(), post=topic.posts.get(), reason="Spam")
    services.post_flag(reporter=make_user(), post=topic.posts.get(), reason="Spam too")

    assert selectors.open_flag_count(moderator) == 2
    with django_assert_num_queries(0):
        assert selectors.open_flag_count(AnonymousUser()) == 0
    member = make_user()
    selectors.is_moderator(member)  # read once per request by the forum's navigation
    with django_assert_num_queries(0):
        assert selectors.open_flag_count(member) == 0

    client.force_login(moderator)
    page = client.get(reverse("forums:index")).content.decode()
    assert "2 open reports" in page
    client.force_login(member)
    assert "open report" not in client.get(reverse("forums:index")).content.decode()


def test_the_log_says_from_where_to_where_a_topic_moved(client, topic, category, moderator):
    archive = Category.objects.create(name="Archive", slug="archive")

    services.topic_move(moderator=moderator, topic=topic, category=archive)

    entry = ModerationLog.objects.get(action=ModerationAction.MOVE)
    assert (entry.from_category_id, entry.to_category_id) == (category.pk, archive.pk)
    client.force_login(moderator)
    page = client.get(reverse("forums:moderation_log")).content.decode()
    assert f"{category.name} → Archive" in page
