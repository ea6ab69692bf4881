"""The home page's forum activity, read in one query, is what the two selectors would show."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from forums import selectors
from forums.models import DialogueSession

pytestmark = pytest.mark.django_db


def test_home_activity_matches_the_selectors_in_one_query(
    category, private_category, make_topic, make_user, django_assert_num_queries
):
    host = make_user(display_name="Wanjiru K.")
    now = timezone.now()
    for hours, title, room in (
        (30, "Later", None),
        (2, "Soon", category),
        (5, "Hidden", private_category),
    ):
        DialogueSession.objects.create(
            host=host,
            title=title,
            category=room,
            starts_at=now + timedelta(hours=hours),
            ends_at=now + timedelta(hours=hours + 1),
        )
    topics = [make_topic(category) for _ in range(7)]
    make_topic(private_category, title="Partners only")
    topics[2].hidden = True
    topics[2].save()
    visitor = AnonymousUser()

    with django_assert_num_queries(1):
        sessions, active = selectors.forum_activity_for_home(visitor, dialogues=3, topics=5)

    expected_sessions = list(selectors.dialogues_upcoming(visitor)[:3])
    expected_topics = list(
        selectors.topics_visible_to(visitor)
        .filter(hidden=False)
        .order_by("-last_post_at", "-pk")[:5]
    )
    assert [session.pk for session in sessions] == [session.pk for session in expected_sessions]
    assert [session.title for session in sessions] == ["Soon", "Later"]
    assert [topic.pk for topic in active] == [topic.pk for topic in expected_topics]
    with django_assert_num_queries(0):
        assert sessions[0].host.public_name == "Wanjiru K."
        assert sessions[0].get_absolute_url().endswith(f"/{sessions[0].pk}/")
        assert {topic.category.name for topic in active} == {category.name}
