"""Query budget of a forum topic with 50 posts (signed-in member and anonymous visitor): at most
12 queries cold and 3 warm (every cache emptied, the anonymous page cache off, so every request really
renders), and flat as the topic grows (posts with reactions and several authors)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from forums import services

pytestmark = pytest.mark.django_db

BUDGET = 12
#: A member's page costs 12 cold: the session row and the user (2), their partnerships and
#: moderator role (2), the topic with its event stream position and their subscription (1), the
#: post count, posts, attachments and reactions (4), the read mark (1), the tags (1) and the menu;
#: and the header's unread count (1) and marking the topic's notifications read (1).
MEMBER_BUDGET = 16
#: Warm (small caches filled, the page cache still off), anonymous: the topic, the post count
#: (the page number) and the tags; the posts come from their fragment (``topic.html``).
WARM_BUDGET = 3
#: Warm, a member: what the small caches keep (the menu, the site root paths) is not read
#: again, nor are the attachments (each post's shared part comes from its cache); the posts and
#: the reactions' counts are read for them, whose footer (reactions, actions) is their own.
MEMBER_WARM_BUDGET = 11


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


def _grow(topic, authors, count: int) -> None:
    for number in range(count):
        author = authors[number % len(authors)]
        post = services.post_create(
            author=author, topic=topic, body=f"Reply {number} by @{author.username}"
        )
        if number % 3 == 0:
            services.reaction_toggle(user=authors[0], post=post, kind="thanks")


def _count(client, path, django_assert_max_num_queries, budget=BUDGET) -> int:
    assert client.get(path).status_code == 200
    cache.clear()
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _count_warm(client, path, django_assert_max_num_queries, budget) -> int:
    assert client.get(path).status_code == 200  # fills what the cold rendering emptied
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_topic_with_fifty_posts_stays_within_budget(
    client, category, make_topic, make_user, django_assert_max_num_queries, signed_in
):
    authors = [make_user() for _ in range(5)]
    if signed_in:
        client.force_login(authors[1])
    topic = make_topic(category, author=authors[0])
    _grow(topic, authors, 17)
    budget = MEMBER_BUDGET if signed_in else BUDGET
    path = topic.get_absolute_url()
    baseline = _count(client, path, django_assert_max_num_queries, budget)
    warm_budget = MEMBER_WARM_BUDGET if signed_in else WARM_BUDGET
    warm = _count_warm(client, path, django_assert_max_num_queries, warm_budget)
    _grow(topic, authors, 32)  # 50 posts in all
    _count(client, path, django_assert_max_num_queries, budget=baseline)
    _count_warm(client, path, django_assert_max_num_queries, budget=warm)


def _queries(client, path: str) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_a_members_topic_page_costs_the_same_at_n_and_2n_posts_cold_and_warm(
    client, category, make_topic, make_user, settings
):
    """Every post on one page: N and then 2N posts cost the same queries with every cache
    emptied and warm; warm, no attachment is read and the reactions are one grouped query."""
    settings.FORUMS_PAGE_SIZE = 100
    authors = [make_user() for _ in range(3)]
    topic = make_topic(category, author=authors[0])
    path = topic.get_absolute_url()
    client.force_login(authors[1])
    costs = []
    for count in (6, 6):  # 1 + 6 posts, then 1 + 12
        _grow(topic, authors, count)
        client.get(path)
        cache.clear()
        client.force_login(authors[1])  # the session lives in the cache too
        cold = _queries(client, path)
        warm = _queries(client, path)
        assert any("forums_attachment" in sql for sql in cold)
        assert not any("forums_attachment" in sql for sql in warm)
        assert sum("forums_reaction" in sql for sql in warm) == 1
        costs.append((len(cold), len(warm)))
    assert costs[0] == costs[1]
    assert costs[0][1] < costs[0][0]
