"""Hiding or unlisting a whole topic (``forums.moderation.topic_set_visibility``): a hidden
topic is gone for everyone but moderators at once, cached pages and live sockets included; an
unlisted one is read by its address and listed nowhere."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

import search
from forums import moderation, selectors, services
from forums.models import ModerationAction, ModerationLog
from tests.forums.live_sockets import open_topic


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


def warm(client: Client, path: str) -> None:
    for _ in range(3):
        if client.get(path).get("X-Page-Cache") == "hit":
            return
    raise AssertionError(f"{path} was never served from the cache")


@pytest.mark.django_db
def _indexed(topic, capture) -> None:
    with capture(execute=True):
        search.index_object(topic)
    assert search.query(topic.title, user=AnonymousUser()).total == 1


def test_a_hidden_topic_is_gone_for_an_anonymous_reader_of_warm_caches(
    client, topic, category, moderator, library_tree, django_capture_on_commit_callbacks
):
    _indexed(topic, django_capture_on_commit_callbacks)
    url = topic.get_absolute_url()
    listing = category.get_absolute_url()
    for path in (url, listing, "/forums/", "/"):
        warm(client, path)
    assert topic.title in client.get("/").content.decode()  # the home page's forum activity

    with django_capture_on_commit_callbacks(execute=True):
        moderation.topic_set_visibility(
            moderator=moderator, topic=topic, visibility="hidden", reason="Spam ring"
        )

    assert client.get(url).status_code == 404
    assert topic.title not in client.get(listing).content.decode()
    assert topic.title not in client.get("/").content.decode()
    assert search.query(topic.title, user=AnonymousUser()).total == 0
    entry = ModerationLog.objects.get(action=ModerationAction.TOPIC_HIDE)
    assert entry.topic_id == topic.pk and entry.reason == "Spam ring"
    assert selectors.topic_visible_to(moderator, topic.pk) is not None


@pytest.mark.django_db
def test_an_unlisted_topic_is_read_by_its_address_and_listed_nowhere(
    client, topic, category, moderator, library_tree, django_capture_on_commit_callbacks
):
    _indexed(topic, django_capture_on_commit_callbacks)
    url = topic.get_absolute_url()
    for path in (category.get_absolute_url(), "/"):
        warm(client, path)

    with django_capture_on_commit_callbacks(execute=True):
        moderation.topic_set_visibility(moderator=moderator, topic=topic, visibility="unlisted")

    assert topic.title in client.get(url).content.decode()
    assert topic.title not in client.get(category.get_absolute_url()).content.decode()
    assert topic.title not in client.get("/").content.decode()
    assert search.query(topic.title, user=AnonymousUser()).total == 0
    index = {c.pk: c.topic_count for c in selectors.category_index(AnonymousUser())}
    assert index[category.pk] == 0

    with django_capture_on_commit_callbacks(execute=True):
        moderation.topic_set_visibility(moderator=moderator, topic=topic, visibility="visible")
    assert topic.title in client.get(category.get_absolute_url()).content.decode()
    assert search.query(topic.title, user=AnonymousUser()).total == 1


@pytest.mark.django_db
def test_only_moderators_change_a_topics_visibility_and_only_to_known_values(
    topic, learner, moderator
):
    with pytest.raises(PermissionDenied):
        moderation.topic_set_visibility(moderator=learner, topic=topic, visibility="hidden")
    with pytest.raises(ValidationError):
        moderation.topic_set_visibility(moderator=moderator, topic=topic, visibility="secret")


@pytest.mark.django_db
def test_the_topic_page_offers_the_visibility_form_to_moderators_without_javascript(
    client, topic, moderator
):
    client.force_login(moderator)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert 'name="visibility"' in page
    response = client.post(f"/forums/t/{topic.pk}/visibility/", {"visibility": "unlisted"})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.unlisted and not topic.hidden
    assert "Unlisted" in client.get(topic.get_absolute_url()).content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("sync_thread_connections_closed")
async def test_hiding_a_topic_closes_its_readers_sockets_but_not_the_moderators(topic, moderator):
    reader = await open_topic(topic)
    watching_moderator = await open_topic(topic, moderator)

    await database_sync_to_async(moderation.topic_set_visibility)(
        moderator=moderator, topic=topic, visibility="hidden"
    )

    output = await reader.receive_output(timeout=5)
    while output["type"] == "websocket.send":  # presence chatter before the close
        output = await reader.receive_output(timeout=5)
    assert output == {"type": "websocket.close", "code": 4403}
    frame = await watching_moderator.receive_json_from(timeout=5)
    while frame["type"] in {"presence", "typing"}:
        frame = await watching_moderator.receive_json_from(timeout=5)
    assert frame["type"] == "topic.changed"
    await watching_moderator.disconnect()


@pytest.mark.parametrize("posts", [1, 30], ids=["one-post", "thirty-posts"])
@pytest.mark.django_db
def test_hiding_a_topic_costs_the_same_whatever_its_size(
    topic, moderator, posts, django_assert_num_queries
):
    for _ in range(posts):
        services.post_create(author=topic.author, topic=topic, body="More")
    selectors.is_moderator(moderator)

    with django_assert_num_queries(HIDE_TOPIC_QUERIES):
        moderation.topic_set_visibility(moderator=moderator, topic=topic, visibility="hidden")


@pytest.mark.parametrize("posts", [1, 30], ids=["one-post", "thirty-posts"])
@pytest.mark.django_db
def test_hiding_a_post_with_a_reason_costs_the_same_whatever_the_topics_size(
    topic, moderator, posts, django_assert_num_queries
):
    for _ in range(posts):
        services.post_create(author=topic.author, topic=topic, body="More")
    post = topic.posts.last()
    selectors.is_moderator(moderator)

    with django_assert_num_queries(HIDE_POST_QUERIES):
        services.post_hide(moderator=moderator, post=post, reason_kind="rude", reason="Insults")


HIDE_TOPIC_QUERIES = 8
HIDE_POST_QUERIES = 16
