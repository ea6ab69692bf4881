"""Notifications of the forums: who is told of a new topic, a reply or a mention.

Set-based, as Zulip's ``do_send_messages`` and Misago's reply notifications: one query decides
who of all the candidates may see the topic, one insert writes their notifications, and the
broadcasts to their sockets wait for the commit. A reply costs the same with 0 watchers or 1,000.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator

from forums import events
from forums.models import (
    Category,
    Notification,
    NotificationKind,
    NotificationNote,
    NotificationReason,
    Post,
    Topic,
)
from forums.selectors import users_who_may_see
from network.models import Follow, User
from network.roles import Role


def notifications_create(
    *, recipients: dict[str, Iterable[int]], actor: User, topic: Topic, post: Post | None
) -> None:
    """Notify the people who may still see the topic, never the actor themself: one query for
    who may see it, one insert, whatever their number (as Zulip's ``do_send_messages``).
    ``recipients`` maps a kind to user ids; someone named under several kinds gets the first.
    Each person's sockets hear of theirs after commit, outside the topic's row lock."""
    kinds: dict[int, str] = {}
    for kind, user_ids in recipients.items():
        for user_id in user_ids:
            kinds.setdefault(user_id, kind)
    kinds.pop(actor.pk, None)
    if not kinds:
        return
    allowed = users_who_may_see(topic, kinds).values_list("pk", flat=True)
    _insert_and_ring(
        Notification(user_id=user_id, kind=kinds[user_id], actor=actor, topic=topic, post=post)
        for user_id in sorted(allowed)
    )


def partnership_follower_ids(category: Category) -> Iterable[int]:
    """Who follows the partnership whose room ``category`` is (none for a public room): told of
    its new topics, if they may see them (``notifications_create`` keeps its members only)."""
    if not category.partnership_id:
        return ()
    follows = Follow.objects.filter(partnership_id=category.partnership_id)
    return follows.values_list("user_id", flat=True)


def case_study_followers_notify(
    *, partnership_id: int, page_id: int, actor_id: int | None = None
) -> int:
    """A case study of a partnership was published for the first time: each follower of the
    partnership (not its author) gets one notification, and it reaches their digest. One
    query reads the followers and one insert writes their notifications, whatever their
    number; each person's sockets hear of theirs after commit. Returns how many were told."""
    followers = (
        Follow.objects.filter(partnership_id=partnership_id, user__is_active=True)
        .exclude(user_id=actor_id)
        .values_list("user_id", flat=True)
    )
    notifications = _insert_and_ring(
        Notification(
            user_id=user_id,
            kind=NotificationKind.CASE_STUDY,
            actor_id=actor_id,
            partnership_id=partnership_id,
            page_id=page_id,
        )
        for user_id in sorted(followers)
    )
    return len(notifications)


@transaction.atomic
def course_message_notify(
    *, user_ids: Iterable[int], actor: User, course_page_id: int, subject: str, body: str
) -> int:
    """A trainer wrote to learners of a course (``courses.inactivity``): each gets a
    notification naming the course and the message's subject and first words, besides the
    mail. One row holds the words (``NotificationNote``) and one insert writes the learners'
    notifications, whatever their number; each person's sockets hear of theirs after commit.
    The rows are born mailed (``MAILED_AT_ONCE``): the message went out by mail already, or
    the learner declined it, and the digest must not send it again. Returns how many."""
    user_ids = sorted(set(user_ids) - {actor.pk})
    if not user_ids:
        return 0
    note = NotificationNote.objects.create(
        subject=subject[:200], excerpt=Truncator(" ".join(body.split())).chars(300)
    )
    now = timezone.now()
    notifications = _insert_and_ring(
        Notification(
            user_id=user_id,
            kind=NotificationKind.COURSE_MESSAGE,
            actor=actor,
            page_id=course_page_id,
            note=note,
            created_at=now,
            emailed_at=now,
        )
        for user_id in user_ids
    )
    return len(notifications)


def member_notify(
    *,
    user_id: int,
    kind: str,
    actor: User,
    topic: Topic,
    reason_kind: str = "",
    reason_text: str = "",
) -> Notification | None:
    """Tell one member what a moderator did with their post (hidden, approved, not approved).

    The reason (``NotificationReason``) is kept as its ``HideReason`` code and rendered when read, so the page, the live
    update and the digest mail each say it in the reader's language. A topic the member can no
    longer open is named by its title only (``subject``), so the notification stays visible.
    """
    if user_id == actor.pk:
        return None
    still_visible = users_who_may_see(topic, [user_id]).exists() or (
        topic.awaiting_approval and topic.author_id == user_id
    )
    notification = Notification.objects.create(
        user_id=user_id, kind=kind, actor=actor, topic=topic if still_visible else None
    )
    NotificationReason.objects.create(
        notification=notification,
        kind=reason_kind,
        text=reason_text[:500],
        subject=topic.title[:200],
    )
    events.notification_on_commit(user_id=user_id, notification_id=notification.pk)
    return notification


def moderator_ids() -> Iterable[int]:
    """Every active forum moderator and superuser, as a lazy query of ids
    (``notifications_create`` keeps those who may see the topic)."""
    moderators = User.objects.filter(
        Q(is_superuser=True) | Q(groups__name=Role.MODERATOR.value), is_active=True
    )
    return moderators.values_list("pk", flat=True).distinct()


def _insert_and_ring(rows: Iterable[Notification]) -> list[Notification]:
    """One insert for the rows, whatever their number; each person's sockets hear of theirs
    after commit (outside any row lock the caller holds)."""
    notifications = Notification.objects.bulk_create(rows)
    for notification in notifications:
        events.notification_on_commit(user_id=notification.user_id, notification_id=notification.pk)
    return notifications
