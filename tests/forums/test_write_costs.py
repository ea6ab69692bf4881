"""What a forum write costs in the request does not grow with what it touches (issue 18).

Each write is measured through its view at two sizes (a topic of 10 and of 300 posts; 0 and 80
watchers) with the task backend set to the database queue, as in production: the request pays
for its own writes and for handing work over to the worker (one row per task), never for
reindexing every post or notifying each watcher one by one. The counts at both sizes must be
equal and under ``BUDGET``. After-commit work is run (``execute=True``) inside the measurement,
because in production it runs in the same request.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils import timezone

from forums.models import Category, Post, Subscription
from network.models import User

pytestmark = pytest.mark.django_db

BUDGET = 30
SIZES = (10, 300)


@pytest.fixture(autouse=True)
def _tasks_go_to_the_worker(settings):
    """Tasks are queued as rows, as in production, so the request's own cost is what counts."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


def _grow(topic, count: int) -> None:
    """Replies written straight to the table: the size is what matters, not how it came."""
    now = timezone.now()
    Post.objects.bulk_create(
        Post(
            topic=topic,
            author=topic.author,
            body_source=f"Reply {number}",
            body_html=f"<p>Reply {number}</p>",
            search_text=f"Reply {number}",
            created_at=now,
        )
        for number in range(count - 1)  # the opening post makes ``count``
    )


def _members(count: int, prefix: str) -> list[User]:
    password = make_password(None)
    return User.objects.bulk_create(
        User(username=f"{prefix}{number}", email=f"{prefix}{number}@example.org", password=password)
        for number in range(count)
    )


def _measure(
    client,
    url: str,
    data: dict,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
) -> int:
    with (
        django_assert_max_num_queries(BUDGET) as captured,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(url, data)
    assert response.status_code == 302
    return len(captured.captured_queries)


@pytest.fixture
def measure(client, django_assert_max_num_queries, django_capture_on_commit_callbacks):
    def run(url: str, data: dict | None = None) -> int:
        return _measure(
            client,
            url,
            data or {},
            django_assert_max_num_queries,
            django_capture_on_commit_callbacks,
        )

    return run


@pytest.mark.parametrize("action", ["pin", "unpin", "lock", "unlock"])
def test_moderating_a_topic_costs_the_same_whatever_its_size(
    client, moderator, category, make_topic, measure, action
):
    client.force_login(moderator)
    counts = []
    for size in SIZES:
        topic = make_topic(category)
        _grow(topic, size)
        counts.append(measure(reverse(f"forums:topic_{action}", args=[topic.pk])))
    assert counts[0] == counts[1], counts


def test_moving_a_topic_costs_the_same_whatever_its_size(
    client, moderator, category, make_topic, measure
):
    target = Category.objects.create(name="Finance", slug="finance")
    client.force_login(moderator)
    counts = []
    for size in SIZES:
        topic = make_topic(category)
        _grow(topic, size)
        url = reverse("forums:topic_move", args=[topic.pk])
        counts.append(measure(url, {"category": target.pk}))
    assert counts[0] == counts[1], counts


def test_hiding_a_post_costs_the_same_whatever_the_topic_size(
    client, moderator, category, make_topic, measure
):
    client.force_login(moderator)
    counts = []
    for size in SIZES:
        topic = make_topic(category)
        _grow(topic, size)
        post = topic.posts.last()
        url = reverse("forums:post_hide", args=[post.pk])
        counts.append(measure(url, {"reason_kind": "spam", "reason": "spam"}))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("visibility", ["hidden", "unlisted"])
def test_hiding_or_unlisting_a_topic_costs_the_same_whatever_its_size(
    client, moderator, category, make_topic, measure, visibility
):
    client.force_login(moderator)
    counts = []
    for size in SIZES:
        topic = make_topic(category)
        _grow(topic, size)
        url = reverse("forums:topic_visibility", args=[topic.pk])
        counts.append(measure(url, {"visibility": visibility}))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("mentions", [False, True])
def test_replying_costs_the_same_whatever_the_number_of_watchers(
    client, make_user, category, make_topic, measure, mentions
):
    author = make_user()
    client.force_login(author)
    counts = []
    # 80, not more: Django splits a bulk insert on SQLite every 999 parameters, and a
    # notification row has 10, so a hundred watchers would cost one INSERT more there for
    # SQLite's sake (PostgreSQL writes any number in one).
    for watchers in (0, 80):
        topic = make_topic(category)
        people = _members(watchers, prefix=f"w{watchers}x")
        Subscription.objects.bulk_create(Subscription(user=user, topic=topic) for user in people)
        body = "Seen the terraces?"
        if mentions:  # the topic's author (a watcher) at both sizes, 20 more at the larger
            named = [topic.author, *people[:20]]
            body += " " + " ".join(f"@{user.username}" for user in named)
        url = reverse("forums:topic_reply", args=[topic.pk])
        counts.append(measure(url, {"body": body}))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("change", ["name", "partnership"])
def test_saving_a_category_costs_the_same_whatever_it_holds(
    make_topic,
    partnership,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
    change,
):
    counts = []
    for size in SIZES:
        room = Category.objects.create(name=f"Room {size}", slug=f"room-{size}")
        for _ in range(3):
            _grow(make_topic(room), size // 3)
        room = Category.objects.get(pk=room.pk)  # as the admin's change form loads it
        with (
            django_assert_max_num_queries(BUDGET) as captured,
            django_capture_on_commit_callbacks(execute=True),
        ):
            if change == "name":
                room.name = f"Renamed {size}"
            else:
                room.partnership = partnership
            room.save()
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts
