"""Forum pages: who may open or post to each, what a private category reveals (nothing), and
flat query counts on the list pages."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from forums import services
from forums.models import Flag, Post, Reaction, Suspension
from network.roles import Role
from network.services import partnership_membership_add

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_index_lists_public_categories_and_hides_private_ones(client, category, private_category):
    response = client.get(reverse("forums:index"))
    assert response.status_code == 200
    assert category.name in response.text
    assert private_category.name not in response.text


def test_partner_sees_their_private_category(client, partner, category, private_category):
    response = login(client, partner).get(reverse("forums:index"))
    assert private_category.name in response.text


@pytest.mark.parametrize("name", ["category", "topic_create"])
def test_private_category_pages_are_404_to_outsiders(client, learner, private_category, name):
    url = reverse(f"forums:{name}", args=[private_category.slug])
    assert client.get(url).status_code in {404, 302}
    assert login(client, learner).get(url).status_code == 404


def test_private_topic_and_post_pages_are_404_to_outsiders(client, learner, private_topic):
    post = private_topic.posts.get()
    urls = [
        reverse("forums:topic", args=[private_topic.pk]),
        reverse("forums:post", args=[post.pk]),
        reverse("forums:post_history", args=[post.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404
        assert login(client, learner).get(url).status_code == 404
    response = client.post(reverse("forums:topic_reply", args=[private_topic.pk]), {"body": "hi"})
    assert response.status_code == 404
    assert not Post.objects.filter(body_source="hi").exists()


def test_anonymous_reads_public_topic_but_must_log_in_to_reply(client, topic):
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    assert "Opening message." in response.text
    assert 'data-live-url="/ws/forums/topics/' in response.text
    reply = client.post(reverse("forums:topic_reply", args=[topic.pk]), {"body": "anon"})
    assert reply.status_code == 302
    assert "/accounts/login/" in reply["Location"]


def test_member_replies_with_a_plain_form_and_lands_on_the_post(client, learner, topic):
    response = login(client, learner).post(
        reverse("forums:topic_reply", args=[topic.pk]), {"body": "Plain **form** reply"}
    )
    post = Post.objects.get(body_source="Plain **form** reply")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#post-{post.pk}")
    page = client.get(response["Location"])
    assert "<strong>form</strong>" in page.text


def test_reply_refused_for_suspended_member_with_the_reason(client, learner, moderator, topic):
    services.user_suspend(moderator=moderator, user=learner, days=2, reason="Cool off")
    response = login(client, learner).post(
        reverse("forums:topic_reply", args=[topic.pk]), {"body": "let me"}
    )
    assert response.status_code == 403
    assert "Cool off" in response.text


def test_rate_limited_reply_says_so(client, settings, learner, topic):
    settings.FORUMS_POSTS_PER_MINUTE = 1
    login(client, learner)
    client.post(reverse("forums:topic_reply", args=[topic.pk]), {"body": "first"})
    response = client.post(reverse("forums:topic_reply", args=[topic.pk]), {"body": "second"})
    assert response.status_code == 429
    assert "at most 1 posts a minute" in response.text


def test_new_topic_form(client, learner, category):
    login(client, learner)
    url = reverse("forums:topic_create", args=[category.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Water funds", "body": "How?", "tags": "water, finance"})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Water funds" in page.text
    assert "finance" in page.text


def test_quote_prefills_the_reply(client, learner, topic):
    post = topic.posts.get()
    response = login(client, learner).get(f"{topic.get_absolute_url()}?quote={post.pk}")
    assert "&gt; Opening message." in response.text


def test_edit_only_by_author_or_moderator(client, learner, moderator, topic):
    post = topic.posts.get()
    url = reverse("forums:post_edit", args=[post.pk])
    assert login(client, learner).get(url).status_code == 403
    assert login(client, topic.author).post(url, {"body": "Better text"}).status_code == 302
    assert login(client, moderator).get(url).status_code == 200
    history = client.get(reverse("forums:post_history", args=[post.pk]))
    assert "Opening message." in history.text


def test_react_and_flag_with_plain_forms(client, learner, topic):
    post = topic.posts.get()
    login(client, learner)
    client.post(reverse("forums:post_react", args=[post.pk]), {"kind": "thanks"})
    assert Reaction.objects.filter(post=post, user=learner, kind="thanks").exists()
    assert client.get(reverse("forums:post_flag", args=[post.pk])).status_code == 200
    client.post(reverse("forums:post_flag", args=[post.pk]), {"reason": "Advertising"})
    assert Flag.objects.filter(post=post, reporter=learner).exists()


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("moderation", "get"),
        ("moderation_log", "get"),
        ("topic_lock", "post"),
        ("topic_unlock", "post"),
        ("topic_pin", "post"),
        ("topic_unpin", "post"),
        ("topic_move", "post"),
        ("post_hide", "post"),
        ("post_restore", "post"),
        ("user_suspend", "get"),
    ],
)
def test_moderator_views_refuse_members(client, learner, topic, name, method):
    post = topic.posts.get()
    args = {
        "moderation": [],
        "moderation_log": [],
        "user_suspend": [topic.author.username],
    }.get(name, [post.pk] if name.startswith("post_") else [topic.pk])
    url = reverse(f"forums:{name}", args=args)
    assert getattr(login(client, learner), method)(url).status_code == 403


def test_moderator_hides_locks_moves_suspends_and_resolves(client, moderator, make_user, topic):
    from forums.models import Category

    login(client, moderator)
    post = topic.posts.get()
    client.post(reverse("forums:post_flag", args=[post.pk]), {"reason": "Spam"})
    queue = client.get(reverse("forums:moderation"))
    assert "Spam" in queue.text
    client.post(
        reverse("forums:post_hide", args=[post.pk]), {"reason_kind": "spam", "reason": "spam"}
    )
    client.post(reverse("forums:topic_lock", args=[topic.pk]))
    target = Category.objects.create(name="Elsewhere", slug="elsewhere")
    client.post(reverse("forums:topic_move", args=[topic.pk]), {"category": target.pk})
    flag = Flag.objects.get()
    client.post(reverse("forums:moderation"), {"flag": flag.pk})
    member = make_user()
    client.post(
        reverse("forums:user_suspend", args=[member.username]), {"days": 3, "reason": "Rude"}
    )
    topic.refresh_from_db()
    post.refresh_from_db()
    flag.refresh_from_db()
    assert post.hidden and topic.locked and topic.category == target and flag.resolved_at
    assert Suspension.objects.filter(user=member).exists()
    log = client.get(reverse("forums:moderation_log"))
    for text in ("Hid a post", "Locked a topic", "Moved a topic", "Suspended a member"):
        assert text in log.text


def test_hidden_post_is_invisible_to_members_but_shown_to_moderators(
    client, learner, moderator, topic
):
    post = services.post_create(author=learner, topic=topic, body="Regrettable words")
    services.post_hide(moderator=moderator, post=post)
    assert "Regrettable words" not in login(client, learner).get(topic.get_absolute_url()).text
    assert "Regrettable words" in login(client, moderator).get(topic.get_absolute_url()).text


def test_watch_toggles_and_notifications_page(client, learner, make_user, topic, category):
    login(client, learner)
    client.post(reverse("forums:topic_subscribe", args=[topic.pk]))
    client.post(reverse("forums:category_subscribe", args=[category.slug]))
    services.post_create(author=make_user(display_name="Kofi"), topic=topic, body="News")
    page = client.get(reverse("forums:notifications"))
    assert page.status_code == 200
    assert "Kofi replied in" in page.text
    client.post(reverse("forums:notifications"))
    assert not learner.forum_notifications.filter(read_at__isnull=True).exists()


def test_notifications_need_login(client):
    assert client.get(reverse("forums:notifications")).status_code == 302


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, format="PNG")
    return buffer.getvalue()


def test_image_attachment_is_reencoded_and_served_only_to_those_who_see_the_post(
    client, partner, learner, private_topic
):
    login(client, partner)
    upload = SimpleUploadedFile("../../etc/photo.png", _png(), content_type="text/html")
    client.post(
        reverse("forums:topic_reply", args=[private_topic.pk]),
        {"body": "Nursery photo", "attachment": upload},
    )
    attachment = Post.objects.get(body_source="Nursery photo").attachments.get()
    assert attachment.content_type == "image/webp"
    assert attachment.file.name.startswith("forum-attachments/")
    assert ".." not in attachment.file.name and "photo" not in attachment.file.name
    url = attachment.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert login(client, learner).get(url).status_code == 404


def test_oversized_and_fake_attachments_are_refused(client, settings, learner, topic):
    settings.FORUMS_ATTACHMENT_MAX_BYTES = 100
    login(client, learner)
    big = SimpleUploadedFile("big.png", _png() + b"x" * 200, content_type="image/png")
    response = client.post(
        reverse("forums:topic_reply", args=[topic.pk]), {"body": "big", "attachment": big}
    )
    assert response.status_code == 400
    assert "attachments can be at most" in response.text
    settings.FORUMS_ATTACHMENT_MAX_BYTES = 10_000
    fake = SimpleUploadedFile("x.pdf", b"<html><script>", content_type="application/pdf")
    response = client.post(
        reverse("forums:topic_reply", args=[topic.pk]), {"body": "fake", "attachment": fake}
    )
    assert response.status_code == 400
    assert not Post.objects.filter(body_source__in=["big", "fake"]).exists()


def test_xss_in_every_user_field_renders_inert_on_pages(client, make_user, category):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    author = make_user(display_name=payload)
    topic = services.topic_create(
        author=author, category=category, title=payload, body=payload, tags=[payload[:90]]
    )
    for url in (
        reverse("forums:index"),
        category.get_absolute_url(),
        topic.get_absolute_url(),
    ):
        body = client.get(url).text
        assert "<script>alert" not in body
        assert "<img src=x" not in body


def test_list_pages_have_flat_query_counts(
    client, learner, make_topic, category, django_assert_max_num_queries
):
    topic = make_topic(category)
    for number in range(3):
        services.post_create(author=learner, topic=topic, body=f"reply {number}")
    login(client, learner)
    client.get(category.get_absolute_url())  # warm caches (content types, sessions)
    client.get(topic.get_absolute_url())

    def count(url: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = {
        "index": count(reverse("forums:index")),
        "category": count(category.get_absolute_url()),
        "topic": count(topic.get_absolute_url()),
        "notifications": count(reverse("forums:notifications")),
    }
    for number in range(8):
        extra = make_topic(category)
        services.post_create(author=learner, topic=topic, body=f"more {number}")
        services.reaction_toggle(user=learner, post=extra.posts.get(), kind="like")
    client.get(topic.get_absolute_url())  # the new posts' shared parts cached, as before `few`
    many = {
        "index": count(reverse("forums:index")),
        "category": count(category.get_absolute_url()),
        "topic": count(topic.get_absolute_url()),
        "notifications": count(reverse("forums:notifications")),
    }
    assert many == few
    with django_assert_max_num_queries(25):
        client.get(topic.get_absolute_url())


def test_moderation_queue_and_log_hide_private_topics_from_outside_moderators(
    client, make_user, moderator, partnership, partner, private_topic
):
    post = private_topic.posts.get()
    services.post_flag(reporter=partner, post=post, reason="Leaks a budget line")
    inside_moderator = make_user(Role.MODERATOR)
    partnership_membership_add(partnership=partnership, user=inside_moderator)
    services.topic_lock(moderator=inside_moderator, topic=private_topic, locked=True)
    with pytest.raises(PermissionDenied):
        services.topic_lock(moderator=moderator, topic=private_topic, locked=False)
    with pytest.raises(PermissionDenied):
        services.post_hide(moderator=moderator, post=post)
    login(client, moderator)
    assert "Leaks a budget line" not in client.get(reverse("forums:moderation")).text
    assert private_topic.title not in client.get(reverse("forums:moderation_log")).text
    response = client.post(reverse("forums:moderation"), {"flag": Flag.objects.get().pk})
    assert response.status_code == 404
    login(client, inside_moderator)
    assert "Leaks a budget line" in client.get(reverse("forums:moderation")).text
    assert private_topic.title in client.get(reverse("forums:moderation_log")).text
