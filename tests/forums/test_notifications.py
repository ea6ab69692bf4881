"""Notifications reach exactly the people who may see the topic, decided for all of them at
once (forums/notifications.py): watchers and mentioned members of a private category or a
hidden topic who may not see it, inactive accounts and the author are left out."""

from __future__ import annotations

import pytest

from forums import services
from forums.models import Notification, NotificationKind, Subscription, Topic
from network.roles import Role
from network.services import partnership_membership_add

pytestmark = pytest.mark.django_db


def _notified(topic) -> dict[str, str]:
    return {
        notification.user.username: notification.kind
        for notification in Notification.objects.filter(topic=topic).select_related("user")
    }


def _watch(topic, *users) -> None:
    Subscription.objects.bulk_create(Subscription(user=user, topic=topic) for user in users)


def test_a_reply_in_a_private_category_reaches_only_its_partnership(
    make_user, private_topic, partnership
):
    member, outsider, admin = make_user(), make_user(), make_user(is_superuser=True)
    inactive = make_user(is_active=False)
    partnership_membership_add(partnership=partnership, user=member)
    partnership_membership_add(partnership=partnership, user=inactive)
    _watch(private_topic, member, outsider, admin, inactive)
    author = private_topic.author
    services.post_create(author=author, topic=private_topic, body="Budget figures are in.")
    assert _notified(private_topic) == {
        member.username: NotificationKind.REPLY,
        admin.username: NotificationKind.REPLY,
    }


def test_a_reply_in_a_hidden_topic_reaches_only_moderators(make_user, moderator, topic):
    # is_staff (an editor's admin access) is not the moderator role: the editor is not told.
    watcher, editor = make_user(), make_user(Role.EDITOR, is_staff=True)
    staff = make_user(Role.MODERATOR)
    _watch(topic, watcher, staff, editor)
    Topic.objects.filter(pk=topic.pk).update(hidden=True)
    services.post_create(
        author=moderator, topic=topic, body=f"Closing note, @{watcher.username} and others."
    )
    # The opening author watches (as everyone who opens a topic) and is no moderator either.
    assert _notified(topic) == {staff.username: NotificationKind.REPLY}


def test_mentions_win_over_watching_and_the_author_is_never_notified(make_user, topic):
    watcher, mentioned, both = make_user(), make_user(), make_user()
    _watch(topic, watcher, both)
    author = make_user()
    _watch(topic, author)
    body = f"@{mentioned.username} @{both.username} @{author.username} have a look."
    services.post_create(author=author, topic=topic, body=body)
    assert _notified(topic) == {
        topic.author.username: NotificationKind.REPLY,
        watcher.username: NotificationKind.REPLY,
        mentioned.username: NotificationKind.MENTION,
        both.username: NotificationKind.MENTION,
    }


def test_a_new_topic_reaches_the_category_watchers_who_may_see_it(
    make_user, private_category, partnership
):
    member, outsider, moderator = make_user(), make_user(), make_user(Role.MODERATOR)
    partnership_membership_add(partnership=partnership, user=member)
    author = make_user()
    partnership_membership_add(partnership=partnership, user=author)
    Subscription.objects.bulk_create(
        Subscription(user=user, category=private_category)
        for user in (member, outsider, moderator, author)
    )
    topic = services.topic_create(
        author=author, category=private_category, title="Seedlings", body="Counted them."
    )
    # Moderating is not membership: a private category stays with its partnership.
    assert _notified(topic) == {member.username: NotificationKind.NEW_TOPIC}
