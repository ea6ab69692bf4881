"""Services: permissions, rate limit, edit history, mentions, rollback never broadcasts."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from forums import services
from forums.models import (
    ModerationLog,
    Notification,
    NotificationKind,
    Post,
    Reaction,
    Subscription,
    TopicEvent,
    TopicEventKind,
)

pytestmark = pytest.mark.django_db


def test_topic_create_makes_the_first_post_sanitised_and_subscribes_the_author(make_user, category):
    author = make_user()
    topic = services.topic_create(
        author=author,
        category=category,
        title="Terraces",
        body="Hi <script>x</script> **there**",
        tags=["soil", "terraces"],
    )
    post = topic.posts.get()
    assert post.body_source == "Hi <script>x</script> **there**"
    assert "<script" not in post.body_html
    assert "<strong>there</strong>" in post.body_html
    assert "script" not in post.search_text or "<" not in post.search_text
    assert Subscription.objects.filter(user=author, topic=topic).exists()
    assert sorted(topic.tags.names()) == ["soil", "terraces"]
    assert TopicEvent.objects.filter(topic=topic, kind=TopicEventKind.POST_CREATED).count() == 1


def test_unverified_member_cannot_post(make_user, topic):
    stranger = make_user(verified=False)
    with pytest.raises(PermissionDenied, match="Confirm your email"):
        services.post_create(author=stranger, topic=topic, body="hello")


def test_suspended_member_cannot_post(make_user, moderator, topic):
    member = make_user()
    services.user_suspend(moderator=moderator, user=member, days=3, reason="Insults")
    with pytest.raises(PermissionDenied, match="suspended"):
        services.post_create(author=member, topic=topic, body="hello")
    assert ModerationLog.objects.filter(action="suspend", target_user=member).exists()


def test_learner_cannot_suspend(make_user):
    with pytest.raises(PermissionDenied):
        services.user_suspend(moderator=make_user(), user=make_user(), days=1, reason="x")


def test_locked_topic_rejects_new_post_but_not_from_moderators(make_user, moderator, topic):
    services.topic_lock(moderator=moderator, topic=topic, locked=True)
    with pytest.raises(PermissionDenied, match="locked"):
        services.post_create(author=make_user(), topic=topic, body="late")
    services.post_create(author=moderator, topic=topic, body="Closing note.")


def test_non_member_cannot_post_in_private_topic(make_user, private_topic):
    with pytest.raises(PermissionDenied):
        services.post_create(author=make_user(), topic=private_topic, body="let me in")


def test_rate_limit_has_a_clear_message(settings, make_user, topic):
    settings.FORUMS_POSTS_PER_MINUTE = 2
    member = make_user()
    services.post_create(author=member, topic=topic, body="one")
    services.post_create(author=member, topic=topic, body="two")
    with pytest.raises(ValidationError, match="at most 2 posts a minute"):
        services.post_create(author=member, topic=topic, body="three")


def test_edit_keeps_history(topic):
    post = topic.posts.get()
    services.post_edit(editor=topic.author, post=post, body="Changed text")
    post.refresh_from_db()
    assert post.body_source == "Changed text"
    assert post.edited_at is not None
    revision = post.revisions.get()
    assert revision.body_source == "Opening message."


def test_only_author_or_moderator_edits(make_user, moderator, topic):
    post = topic.posts.get()
    with pytest.raises(PermissionDenied):
        services.post_edit(editor=make_user(), post=post, body="vandalism")
    services.post_edit(editor=moderator, post=post, body="Fixed a typo")


def test_mentions_notify_only_people_who_can_see_the_topic(make_user, partner, private_topic):
    outsider = make_user(username="outsider")
    partner.username = "partner1"
    partner.save()
    services.post_create(
        author=private_topic.author, topic=private_topic, body="Thoughts @partner1 and @outsider?"
    )
    assert Notification.objects.filter(user=partner, kind=NotificationKind.MENTION).count() == 1
    assert not Notification.objects.filter(user=outsider).exists()


def test_watchers_are_notified_of_replies_but_not_the_author(make_user, topic):
    replier = make_user()
    services.post_create(author=replier, topic=topic, body="A reply")
    assert Notification.objects.filter(user=topic.author, kind=NotificationKind.REPLY).count() == 1
    assert not Notification.objects.filter(user=replier).exists()


def test_quote_reply_must_be_in_the_same_topic(make_user, make_topic, category, topic):
    other = make_topic(category)
    with pytest.raises(ValidationError):
        services.post_create(author=make_user(), topic=topic, body="x", reply_to=other.posts.get())
    reply = services.post_create(
        author=make_user(), topic=topic, body="> quoted\n\nyes", reply_to=topic.posts.get()
    )
    assert reply.reply_to_id == topic.posts.get(reply_to=None).pk


def test_reaction_toggle_adds_and_removes(make_user, topic):
    member = make_user()
    post = topic.posts.get()
    assert services.reaction_toggle(user=member, post=post, kind="thanks") is True
    assert Reaction.objects.filter(post=post).count() == 1
    assert services.reaction_toggle(user=member, post=post, kind="thanks") is False
    assert Reaction.objects.filter(post=post).count() == 0
    with pytest.raises(ValidationError):
        services.reaction_toggle(user=member, post=post, kind="angry")


def test_hide_and_restore_are_logged_and_need_a_moderator(make_user, moderator, topic):
    post = topic.posts.get()
    with pytest.raises(PermissionDenied):
        services.post_hide(moderator=make_user(), post=post)
    services.post_hide(moderator=moderator, post=post, reason="spam")
    post.refresh_from_db()
    assert post.hidden and post.hidden_by == moderator
    services.post_restore(moderator=moderator, post=post)
    assert list(ModerationLog.objects.values_list("action", flat=True)) == ["restore", "hide"]


def test_flag_once_per_member(make_user, topic):
    reporter = make_user()
    post = topic.posts.get()
    services.post_flag(reporter=reporter, post=post, reason="Off topic")
    with pytest.raises(ValidationError, match="already reported"):
        services.post_flag(reporter=reporter, post=post, reason="Again")


def test_move_topic_needs_moderator(make_user, moderator, topic, category):
    from forums.models import Category

    target = Category.objects.create(name="Finance", slug="finance")
    with pytest.raises(PermissionDenied):
        services.topic_move(moderator=make_user(), topic=topic, category=target)
    services.topic_move(moderator=moderator, topic=topic, category=target)
    topic.refresh_from_db()
    assert topic.category == target


def test_broadcast_happens_on_commit(django_capture_on_commit_callbacks, make_user, topic):
    with django_capture_on_commit_callbacks() as callbacks:
        services.post_create(author=make_user(), topic=topic, body="committed")
    assert callbacks  # the broadcast was registered for after commit


def test_rolled_back_write_is_never_broadcast(django_capture_on_commit_callbacks, make_user, topic):
    member = make_user()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                services.post_create(author=member, topic=topic, body="doomed")
                raise RuntimeError("boom")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not Post.objects.filter(body_source="doomed").exists()


def test_failing_attachment_rolls_back_the_post(
    django_capture_on_commit_callbacks, make_user, topic
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("evil.png", b"<script>alert(1)</script>", content_type="image/png")
    author = make_user()  # (creating a member registers its own after-commit work)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError):
        services.post_create(author=author, topic=topic, body="with file", attachments=[bad])
    assert callbacks == []
    assert not Post.objects.filter(body_source="with file").exists()


def test_a_bad_second_attachment_leaves_no_file_behind(settings, make_user, topic):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(buffer, format="PNG")
    good = SimpleUploadedFile("ok.png", buffer.getvalue())
    bad = SimpleUploadedFile("bad.png", b"not an image")
    with pytest.raises(ValidationError):
        services.post_create(
            author=make_user(), topic=topic, body="two files", attachments=[good, bad]
        )
    folder = settings.PRIVATE_MEDIA_ROOT / "forum-attachments"
    assert not folder.exists() or not any(path.is_file() for path in folder.rglob("*"))
