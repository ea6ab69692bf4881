"""The events the forums broadcast over the channel layer, and the groups they go to.

Events are small typed dicts of ids; they carry no user text. The consumer that receives one
re-reads the database, re-checks its own user's right to see the thing, and renders HTML with
the page's own template. Broadcasts only ever happen from ``transaction.on_commit``: a write
that rolled back is never announced. This module only sends: which sockets a process holds is
the consumers' business, and the writer never waits for them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Literal, TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def topic_group(topic_id: int) -> str:
    return f"forum.topic.{int(topic_id)}"


def dialogue_group(session_id: int) -> str:
    return f"dialogue.{int(session_id)}"


def user_group(user_id: int) -> str:
    return f"user.{int(user_id)}"


#: The moderators' queue: only ``ModerationConsumer``s of moderators join it.
MODERATION_GROUP = "forum.moderation"


class TopicEventMessage(TypedDict):
    """A change in a topic; ``event`` is the stream position (``TopicEvent.pk``); ``sent_at``
    the writer's clock when it broadcast (bench mode passes it on, to measure delivery alone)."""

    type: Literal["topic.event"]
    topic: int
    event: int
    sent_at: float


class PresenceMessage(TypedDict):
    type: Literal["topic.presence"]
    topic: int


class TypingMessage(TypedDict):
    type: Literal["topic.typing"]
    topic: int
    user: int
    name: str


class NotificationMessage(TypedDict):
    type: Literal["user.notification"]
    notification: int


class AccessMessage(TypedDict):
    """Something about what this user may see changed (a membership): re-check open sockets."""

    type: Literal["user.access"]
    user: int


#: A broadcast that takes longer than this (a Redis that accepts connections but never answers)
#: is given up: the write is saved and clients replay it when they reconnect.
BROADCAST_TIMEOUT = 3.0


async def _group_send_within(layer, group: str, message: dict) -> None:
    # An overall deadline here, not a socket timeout in the layer's Redis connections: with one,
    # redis-py turns the cancellation of a blocked receive into a timeout and channels-redis
    # retries it, so a closing event loop waits on that receive forever.
    await asyncio.wait_for(layer.group_send(group, message), BROADCAST_TIMEOUT)


def send_now(group: str, message: dict) -> None:
    """Send from synchronous code. A layer that is down must not turn a saved write into an
    error page: the write is in the database and reconnecting clients replay it."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(_group_send_within)(layer, group, message)
    except Exception:
        logger.exception("Could not broadcast %s to %s", message.get("type"), group)


def send_on_commit(group: str, message: dict) -> None:
    """Send once the current transaction commits; never for a write that rolled back."""
    transaction.on_commit(lambda: send_now(group, message))


def topic_event_on_commit(*, topic_id: int, event_id: int) -> None:
    group = topic_group(topic_id)

    def send() -> None:
        message: TopicEventMessage = {
            "type": "topic.event", "topic": topic_id, "event": event_id, "sent_at": time.time()
        }  # fmt: skip
        send_now(group, dict(message))

    transaction.on_commit(send)


def notification_on_commit(*, user_id: int, notification_id: int) -> None:
    message: NotificationMessage = {"type": "user.notification", "notification": notification_id}
    send_on_commit(user_group(user_id), dict(message))


def dialogue_event_on_commit(*, session_id: int, event_id: int) -> None:
    send_on_commit(
        dialogue_group(session_id),
        {"type": "dialogue.event", "session": session_id, "event": event_id},
    )


def dialogue_removed_on_commit(*, session_id: int, user_id: int) -> None:
    """Tell the removed participant's open sockets to leave this room."""
    send_on_commit(
        user_group(user_id), {"type": "dialogue.removed", "session": session_id, "user": user_id}
    )


def moderation_changed_on_commit() -> None:
    """A post was held or reported, or a moderator dealt with one: every open moderation
    queue reads itself again (each for its own moderator, who may not see every topic)."""
    send_on_commit(MODERATION_GROUP, {"type": "moderation.changed"})
