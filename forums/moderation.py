"""Moderation that scales: new members' posts approved or rejected, whole topics hidden or
unlisted.

A new member's post (``forums.trust``) is saved hidden and ``awaiting_approval``: nobody but
its author and the moderators sees it, it is not broadcast, indexed, counted or mailed. Approval
turns it into an ordinary post at that moment: the event live readers get, the index, the
notifications of watchers and mentioned members, the cache bumps; a rejection keeps it hidden
with the reason. Either way the author is told, in their language.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forums import events, trust
from forums.models import (
    HideReason,
    ModerationAction,
    NotificationKind,
    Post,
    Topic,
    TopicEventKind,
)
from forums.notifications import member_notify
from forums.services import (
    _lock_topic,
    _log,
    _log_reason,
    _record_event,
    check_moderator,
    reply_announce,
    topic_announce,
)
from network.models import User


class Visibility:
    """What a moderator may make of a whole topic."""

    VISIBLE = "visible"
    UNLISTED = "unlisted"
    HIDDEN = "hidden"
    ALL = (VISIBLE, UNLISTED, HIDDEN)


def _waiting_post(post: Post) -> Post:
    post = Post.objects.select_for_update().select_related("author").get(pk=post.pk)
    if not post.awaiting_approval:
        raise ValidationError(_("This post is no longer waiting for approval."), code="not_waiting")
    return post


@transaction.atomic
def post_approve(*, moderator: User, post: Post) -> Post:
    """Publish a new member's post as if it had been posted now: a topic waiting for its first
    post is opened too. Watchers and mentioned members are told, and the author."""
    check_moderator(user=moderator, topic=post.topic)
    topic = _lock_topic(post.topic)
    post = _waiting_post(post)
    now = timezone.now()
    Post.objects.filter(pk=post.pk).update(awaiting_approval=False, hidden=False)
    post.awaiting_approval = post.hidden = False
    opening = topic.awaiting_approval
    topic.last_post_at = now
    topic.post_count = topic.posts.filter(hidden=False).count()
    fields = ["last_post_at", "post_count"]
    if opening:
        topic.hidden = topic.awaiting_approval = False
        fields += ["hidden", "awaiting_approval"]
    topic.save(update_fields=fields)  # drops the topic's, its category's and the home's pages
    _record_event(topic=topic, kind=TopicEventKind.POST_CREATED, post=post)
    if opening:
        topic_announce(topic=topic, post=post)
    else:
        reply_announce(topic=topic, post=post)
    trust.approval_counted(user=post.author)
    _log(
        actor=moderator,
        action=ModerationAction.APPROVE,
        topic=topic,
        post=post,
        target_user=post.author,
    )
    member_notify(
        user_id=post.author_id, kind=NotificationKind.POST_APPROVED, actor=moderator, topic=topic
    )
    events.moderation_changed_on_commit()  # it leaves every moderator's queue
    return post


@transaction.atomic
def post_reject(*, moderator: User, post: Post, reason_kind: str, reason: str = "") -> Post:
    """Keep a new member's post out for good (hidden, with the reason); a topic waiting for its
    first post stays hidden. The author is told why."""
    check_moderator(user=moderator, topic=post.topic)
    if reason_kind not in HideReason.values:
        raise ValidationError(_("Choose a reason from the list."), code="unknown_reason")
    topic = _lock_topic(post.topic)
    post = _waiting_post(post)
    reason = reason.strip()
    Post.objects.filter(pk=post.pk).update(
        awaiting_approval=False,
        hidden_by=moderator,
        hidden_reason=reason[:300],
        hidden_reason_kind=reason_kind,
    )
    post.refresh_from_db()
    if topic.awaiting_approval:
        topic.awaiting_approval = False
        topic.save(update_fields=["awaiting_approval"])
    _log(
        actor=moderator,
        action=ModerationAction.REJECT,
        topic=topic,
        post=post,
        target_user=post.author,
        reason=_log_reason(reason_kind, reason),
    )
    member_notify(
        user_id=post.author_id,
        kind=NotificationKind.POST_REJECTED,
        actor=moderator,
        topic=topic,
        reason_kind=reason_kind,
        reason_text=reason,
    )
    events.moderation_changed_on_commit()
    return post


_VISIBILITY_ACTIONS = {
    Visibility.VISIBLE: ModerationAction.TOPIC_SHOW,
    Visibility.UNLISTED: ModerationAction.TOPIC_UNLIST,
    Visibility.HIDDEN: ModerationAction.TOPIC_HIDE,
}


@transaction.atomic
def topic_set_visibility(
    *, moderator: User, topic: Topic, visibility: str, reason: str = ""
) -> Topic:
    """Hide a whole topic (moderators only), unlist it (read by its address, listed nowhere:
    not in its category, the home page, search or counts) or show it again.

    The save drops the cached pages that show it (``forums.cache``) and reindexes it and its
    posts; the ``topic.changed`` event makes each live reader's socket re-check its access,
    so non-moderators' sockets on a hidden topic close."""
    check_moderator(user=moderator, topic=topic)
    if visibility not in Visibility.ALL:
        raise ValidationError(_("Choose how the topic is shown."), code="unknown_visibility")
    topic = _lock_topic(topic)
    if topic.awaiting_approval:
        raise ValidationError(
            _("This topic is waiting for approval: approve or reject its first post."),
            code="awaiting_approval",
        )
    hidden, unlisted = visibility == Visibility.HIDDEN, visibility == Visibility.UNLISTED
    if (topic.hidden, topic.unlisted) == (hidden, unlisted):
        return topic
    topic.hidden, topic.unlisted = hidden, unlisted
    topic.save(update_fields=["hidden", "unlisted"])
    _record_event(topic=topic, kind=TopicEventKind.TOPIC_CHANGED)
    _log(
        actor=moderator,
        action=_VISIBILITY_ACTIONS[visibility],
        topic=topic,
        reason=reason.strip(),
    )
    return topic
