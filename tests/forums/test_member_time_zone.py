"""Times on the site follow the signed-in member's zone (network.middleware); anonymous pages,
which caches share, stay in UTC."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from forums.models import Post

pytestmark = pytest.mark.django_db

NOON_UTC = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)


def _post_time(client, topic) -> str:
    page = client.get(reverse("forums:topic", args=[topic.pk])).content.decode()
    marker = 'datetime="2026-06-01T12:00:00Z">'
    assert marker in page
    return page.split(marker, 1)[1].split("<", 1)[0]


def test_a_member_reads_times_in_their_own_zone(client, make_user, topic):
    Post.objects.filter(topic=topic).update(created_at=NOON_UTC)
    assert _post_time(client, topic) == "1 Jun 2026, 12:00"

    client.force_login(make_user(time_zone="Asia/Tokyo"))
    assert _post_time(client, topic) == "1 Jun 2026, 21:00"

    client.force_login(make_user())  # no zone chosen: UTC
    assert _post_time(client, topic) == "1 Jun 2026, 12:00"
