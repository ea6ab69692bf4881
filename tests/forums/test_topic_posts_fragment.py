"""A topic's posts as an anonymous visitor sees them are a fragment under the topic's tag: read
once, and dropped at once by a hidden post, a reply or a renamed author (the page cache off,
so only the fragment can be stale). Members' posts are rendered for them (their reactions,
their actions)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forums import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    settings.PAGE_CACHE_ENABLED = False


def read(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def test_a_hidden_post_leaves_the_anonymous_topic_page_at_once(
    client, category, make_topic, make_user, moderator
):
    author = make_user()
    topic = make_topic(category, author=author)
    post = services.post_create(author=author, topic=topic, body="Burn scars heal slowly.")
    path = topic.get_absolute_url()

    first = read(client, path)
    assert "Burn scars heal slowly." in first
    with CaptureQueriesContext(connection) as warm:
        assert read(client, path) == first
    sql = " ".join(query["sql"] for query in warm.captured_queries)
    assert "forums_reaction" not in sql and "forums_attachment" not in sql

    services.post_hide(moderator=moderator, post=post, reason="Off topic")
    assert "Burn scars heal slowly." not in read(client, path)

    services.post_create(author=author, topic=topic, body="Grazing after fire.")
    assert "Grazing after fire." in read(client, path)

    author.display_name = "Amina Odhiambo"
    author.save()
    assert "Amina Odhiambo" in read(client, path)

    client.force_login(moderator)  # the moderator's page is their own: the hidden post, marked
    assert "Burn scars heal slowly." in read(client, path)
