"""New members' posts wait for a moderator (``forums.trust``, ``forums.moderation``): seen by
their author and the moderators only, never by others, the live stream, search, the digest or
cached pages, until approved; rejected with a reason the author reads in their language."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

import search
from forums import moderation, selectors, services, trust
from forums.digest import digest_send
from forums.models import (
    MemberTrust,
    ModerationAction,
    ModerationLog,
    Notification,
    NotificationKind,
    Post,
    Subscription,
    TopicEvent,
    TopicReadState,
)
from network.models import DigestFrequency

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _holding_on(settings):
    settings.FORUMS_NEW_MEMBER_APPROVALS = 1
    settings.FORUMS_NEW_MEMBER_TOPICS_READ = 2
    settings.PAGE_CACHE_ENABLED = True


@pytest.fixture
def established(make_user):
    user = make_user()
    trust.member_trust_grant(user=user)
    return user


@pytest.fixture
def open_topic(category, established):
    return services.topic_create(
        author=established, category=category, title="Terraces on clay", body="Opening."
    )


def test_a_new_members_reply_waits_and_only_they_and_the_moderators_see_it(
    open_topic, make_user, moderator, established
):
    newcomer = make_user()
    Subscription.objects.create(user=make_user(), topic=open_topic)
    events_before = TopicEvent.objects.count()

    post = services.post_create(author=newcomer, topic=open_topic, body="Hello, first time here")

    assert post.hidden and post.awaiting_approval
    assert TopicEvent.objects.count() == events_before  # nothing goes out live
    assert not Notification.objects.filter(post=post).exists()  # no watcher is told
    for viewer, sees in (
        (newcomer, True),
        (moderator, True),
        (established, False),
        (AnonymousUser(), False),
    ):
        assert (post in selectors.posts_visible_to(viewer, open_topic)) is sees
        assert (selectors.post_visible_to(viewer, post.pk) is not None) is sees
    open_topic.refresh_from_db()
    assert open_topic.post_count == 1


def test_a_new_members_first_topic_is_hidden_until_approved(
    category, make_user, moderator, django_capture_on_commit_callbacks
):
    newcomer = make_user()

    with django_capture_on_commit_callbacks(execute=True):
        topic = services.topic_create(
            author=newcomer, category=category, title="Seed banks", body="How do we start one?"
        )

    assert topic.hidden and topic.awaiting_approval
    assert selectors.topic_visible_to(newcomer, topic.pk) is not None
    assert selectors.topic_visible_to(moderator, topic.pk) is not None
    assert selectors.topic_visible_to(AnonymousUser(), topic.pk) is None
    assert not list(selectors.topic_list(AnonymousUser(), category))
    assert search.query("seed banks", user=AnonymousUser()).total == 0

    with django_capture_on_commit_callbacks(execute=True):
        moderation.post_approve(moderator=moderator, post=topic.posts.get())

    topic.refresh_from_db()
    assert not topic.hidden and not topic.awaiting_approval
    assert [t.pk for t in selectors.topic_list(AnonymousUser(), category)] == [topic.pk]
    assert search.query("seed banks", user=AnonymousUser()).total == 1


def test_the_topic_page_marks_a_waiting_post_for_its_author_and_hides_it_from_others(
    client, open_topic, make_user
):
    newcomer = make_user()
    services.post_create(author=newcomer, topic=open_topic, body="Mulch works on clay")
    url = open_topic.get_absolute_url()

    anonymous = client.get(url).content.decode()
    client.force_login(newcomer)
    own = client.get(url).content.decode()

    assert "Mulch works on clay" not in anonymous
    assert "Mulch works on clay" in own
    assert "Waiting for approval" in own


def test_approval_publishes_notifies_watchers_and_the_author_and_logs(
    open_topic, make_user, moderator, established
):
    newcomer, watcher = make_user(), make_user()
    Subscription.objects.create(user=watcher, topic=open_topic)
    post = services.post_create(author=newcomer, topic=open_topic, body="Contour trenches")

    moderation.post_approve(moderator=moderator, post=post)

    post.refresh_from_db()
    assert not post.hidden and not post.awaiting_approval
    assert post in selectors.posts_visible_to(AnonymousUser(), open_topic)
    assert TopicEvent.objects.filter(post=post, kind="post.created").exists()
    assert Notification.objects.filter(user=watcher, kind=NotificationKind.REPLY).exists()
    assert Notification.objects.filter(user=established, kind=NotificationKind.REPLY).exists()
    told = Notification.objects.get(user=newcomer)
    assert told.kind == NotificationKind.POST_APPROVED and told.topic_id == open_topic.pk
    assert ModerationLog.objects.filter(action=ModerationAction.APPROVE, post=post).exists()
    assert MemberTrust.objects.get(user=newcomer).approved_posts == 1
    with pytest.raises(ValidationError):
        moderation.post_approve(moderator=moderator, post=post)


def test_a_member_who_has_read_a_little_and_had_a_post_approved_posts_freely(
    category, open_topic, make_topic, make_user, moderator
):
    newcomer = make_user()
    moderation.post_approve(
        moderator=moderator,
        post=services.post_create(author=newcomer, topic=open_topic, body="First"),
    )
    assert not trust.member_is_trusted(newcomer)  # approved once, but read only one topic
    second = make_topic(category)
    for topic in (open_topic, second):
        TopicReadState.objects.create(user=newcomer, topic=topic, last_read_at=topic.created_at)

    post = services.post_create(author=newcomer, topic=open_topic, body="Second")

    assert not post.awaiting_approval and not post.hidden
    assert MemberTrust.objects.get(user=newcomer).level == trust.TRUSTED


def test_rejection_keeps_the_post_out_and_tells_the_author_why_in_their_language(
    category, make_user, moderator
):
    newcomer = make_user(language="fr", digest_frequency=DigestFrequency.DAILY)
    topic = services.topic_create(
        author=newcomer, category=category, title="Cheap watches", body="Buy now"
    )
    post = topic.posts.get()

    moderation.post_reject(
        moderator=moderator, post=post, reason_kind="other", reason="Advertising"
    )

    post.refresh_from_db()
    topic.refresh_from_db()
    assert post.hidden and not post.awaiting_approval and post.hidden_reason_kind == "other"
    assert topic.hidden and not topic.awaiting_approval
    assert selectors.topic_visible_to(newcomer, topic.pk) is None
    told = selectors.notifications_for(newcomer).get()
    assert told.kind == NotificationKind.POST_REJECTED and told.reason.subject == "Cheap watches"
    assert ModerationLog.objects.get(action=ModerationAction.REJECT).reason == "Other: Advertising"

    assert digest_send() == 1
    body = mail.outbox[-1].body
    assert "Autre" in body  # "Other" in French, the member's language
    assert "Advertising" in body and "Cheap watches" in body


def test_a_hidden_post_tells_its_author_the_reason_in_their_language(
    open_topic, make_user, moderator, established
):
    established.language = "fr"
    established.digest_frequency = DigestFrequency.DAILY
    established.save()
    reply = services.post_create(author=established, topic=open_topic, body="Off we go")

    services.post_hide(moderator=moderator, post=reply, reason_kind="other", reason="Duplicate")

    told = selectors.notifications_for(established).get()
    assert told.kind == NotificationKind.POST_HIDDEN and told.reason.kind == "other"
    assert digest_send() == 1
    assert "Autre" in mail.outbox[-1].body and "Duplicate" in mail.outbox[-1].body


def test_new_members_may_not_attach_files_post_many_links_or_flood_the_queue(
    open_topic, make_user, settings
):
    newcomer = make_user()
    links = " ".join(f"[site {n}](https://example.org/{n})" for n in range(3))
    with pytest.raises(ValidationError) as refused:
        services.post_create(author=newcomer, topic=open_topic, body=links)
    assert refused.value.code == "new_member_links"

    with pytest.raises(ValidationError) as refused:
        services.post_create(
            author=newcomer, topic=open_topic, body="A picture", attachments=[object()]
        )
    assert refused.value.code == "new_member_attachment"

    settings.FORUMS_NEW_MEMBER_MAX_WAITING = 2
    for n in range(2):
        services.post_create(author=newcomer, topic=open_topic, body=f"Waiting {n}")
    with pytest.raises(ValidationError) as refused:
        services.post_create(author=newcomer, topic=open_topic, body="One more")
    assert refused.value.code == "new_member_waiting"


def test_the_queue_lists_waiting_posts_and_approves_and_rejects_without_javascript(
    client, open_topic, make_user, moderator
):
    first, second = make_user(), make_user()
    waiting = services.post_create(author=first, topic=open_topic, body="Please approve me")
    other = services.post_create(author=second, topic=open_topic, body="Selling seeds")
    client.force_login(moderator)

    page = client.get(reverse("forums:moderation")).content.decode()
    assert "Please approve me" in page and "Selling seeds" in page

    assert client.post(reverse("forums:post_approve", args=[waiting.pk])).status_code == 302
    response = client.post(
        reverse("forums:post_reject", args=[other.pk]), {"reason_kind": "spam", "reason": ""}
    )
    assert response.status_code == 302
    response = client.post(reverse("forums:post_reject", args=[other.pk]), {"reason": "no kind"})
    assert response.status_code == 400

    waiting.refresh_from_db()
    other.refresh_from_db()
    assert not waiting.hidden and other.hidden and not other.awaiting_approval
    assert "No posts are waiting." in client.get(reverse("forums:moderation")).content.decode()


def test_an_approved_post_reaches_anonymous_readers_through_a_warm_cache(
    open_topic, make_user, moderator
):
    newcomer = make_user()
    url = open_topic.get_absolute_url()
    anonymous = Client()
    post = services.post_create(author=newcomer, topic=open_topic, body="Gabions hold")
    for _ in range(3):
        anonymous.get(url)
    assert anonymous.get(url).get("X-Page-Cache") == "hit"
    assert "Gabions hold" not in anonymous.get(url).content.decode()

    moderation.post_approve(moderator=moderator, post=post)

    assert "Gabions hold" in anonymous.get(url).content.decode()


def _waiting_reply(topic, author) -> Post:
    return services.post_create(author=author, topic=topic, body="A first reply")


@pytest.mark.parametrize("watchers", [1, 30], ids=["one-watcher", "thirty-watchers"])
def test_approving_costs_the_same_whatever_the_number_of_watchers(
    open_topic, make_user, moderator, watchers, django_assert_num_queries
):
    for _ in range(watchers):
        Subscription.objects.create(user=make_user(), topic=open_topic)
    for _ in range(watchers):  # the topic's earlier posts
        services.post_create(author=open_topic.author, topic=open_topic, body="Earlier")
    post = _waiting_reply(open_topic, make_user())
    selectors.is_moderator(moderator)  # the role, read once per request

    with django_assert_num_queries(APPROVE_QUERIES):
        moderation.post_approve(moderator=moderator, post=post)


@pytest.mark.parametrize("posts", [1, 30], ids=["one-post", "thirty-posts"])
def test_rejecting_costs_the_same_whatever_the_size_of_the_topic(
    open_topic, make_user, moderator, posts, django_assert_num_queries
):
    for _ in range(posts):
        services.post_create(author=open_topic.author, topic=open_topic, body="Earlier")
    post = _waiting_reply(open_topic, make_user())
    selectors.is_moderator(moderator)

    with django_assert_num_queries(REJECT_QUERIES):
        moderation.post_reject(moderator=moderator, post=post, reason_kind="spam")


APPROVE_QUERIES = 21
REJECT_QUERIES = 13
