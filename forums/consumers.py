"""Live topic pages and live notifications over WebSockets.

The socket only listens: posting, editing and reacting are ordinary form posts handled by the
services. A topic socket is a ``forums.streams.LiveStreamConsumer`` (join, presence, heartbeat,
resume and replay live there); what is its own is the fan-out: for each event (a
``TopicEvent`` id) the rows and renderings are read once per process, each socket checks in
memory that its user may still see the topic and the post, and sends HTML rendered with the
page's template. Consumers never write to the database themselves: presence goes through the
services.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import weakref
from collections import OrderedDict

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from forums import events, selectors
from forums.models import Topic, TopicEvent, TopicEventKind
from forums.polls import poll_counts
from forums.rendering import (
    moderation_lists,
    render_notification,
    render_post,
    render_unread_badge,
)
from forums.streams import (
    CLOSE_FORBIDDEN,
    REPLAY_LIMIT,
    GuardedJsonConsumer,
    LiveStreamConsumer,
)
from network.roles import Role, user_has_role

TYPING_INTERVAL_SECONDS = 3


_UNLOADED = object()
_SHARE_SECONDS = 5.0
_SHARED_ENTRIES = 1024
_shared_tables: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, OrderedDict[tuple, tuple[float, asyncio.Future]]
] = weakref.WeakKeyDictionary()


async def _shared(key: tuple, fn, *args):
    """``fn(*args)`` in the database thread once per ``key`` for every socket of this process.

    Two hundred readers in one topic receive the same event at the same moment; each going to
    the database thread in turn (one hop each, serialised) was the whole cost of a fan-out.
    The first reader starts the work and the others await the same future. Results are kept a
    few seconds (every later change is a new event with its own key); a failure is not kept.
    Tables are per event loop, since a future belongs to the loop that made it.
    """
    loop = asyncio.get_running_loop()
    table = _shared_tables.get(loop)
    if table is None:
        table = _shared_tables[loop] = OrderedDict()
    now = time.monotonic()
    entry = table.get(key)
    if entry is None or now - entry[0] >= _SHARE_SECONDS:
        future = asyncio.ensure_future(database_sync_to_async(fn)(*args))
        entry = (now, future)
        table[key] = entry
        while len(table) > _SHARED_ENTRIES:
            table.popitem(last=False)

        def forget_failure(done: asyncio.Future, key=key, entry=entry) -> None:
            if (done.cancelled() or done.exception() is not None) and table.get(key) is entry:
                del table[key]

        future.add_done_callback(forget_failure)
    # A reader that goes away mid-wait must not cancel the work the others are waiting for.
    return await asyncio.shield(entry[1])


def _event_snapshot(event_id: int, topic_id: int):
    """(topic with category, event, post ready to render) as of now, or None if the event is
    not this topic's. Read once per process for all its readers (``_shared``)."""
    event = TopicEvent.objects.filter(pk=event_id, topic_id=topic_id).first()
    if event is None:
        return None
    topic = Topic.objects.select_related("category").get(pk=topic_id)
    post = selectors.post_for_render(event.post_id) if event.post_id else None
    if event.kind == TopicEventKind.POLL_CHANGED:
        event.poll = poll_counts(topic_id)  # the counts now, read once for every reader
    return (topic, event, post)


def _render_variant(post, viewer, moderator: bool) -> tuple:
    """Which rendering of a post a viewer gets: the template varies only on these. Needs no
    query (reactions are prefetched), so a socket can work it out in the event loop."""
    mine = (
        tuple(sorted(r.kind for r in post.reactions.all() if r.user_id == viewer.pk))
        if viewer.is_authenticated
        else ()
    )
    return (
        translation.get_language(),
        viewer.is_authenticated,
        moderator,
        viewer.is_authenticated and post.author_id == viewer.pk,
        mine,
    )


#: (event id, *render variant) -> the post's HTML: one rendering per event and variant in this
#: process, shared by live delivery and replays. Filled in the database thread, read in the
#: event loop; every later change of the post is a new event, so an entry never goes stale.
_renders: OrderedDict[tuple, str] = OrderedDict()
_renders_lock = threading.Lock()


def _rendered(event_id: int, variant: tuple) -> str | None:
    with _renders_lock:
        return _renders.get((event_id, *variant))


def _render_once(event_id: int, post, viewer, topic, moderator: bool) -> str:
    """The HTML of ``post`` for ``viewer`` as of ``event_id``, rendered once per variant."""
    variant = _render_variant(post, viewer, moderator)
    html = _rendered(event_id, variant)
    if html is None:
        html = render_post(post, viewer, topic)
        with _renders_lock:
            _renders[(event_id, *variant)] = html
            while len(_renders) > _SHARED_ENTRIES:
                _renders.popitem(last=False)
    return html


def _render_in(language: str, event_id: int, post, viewer, topic, moderator: bool) -> str:
    with translation.override(language):
        return _render_once(event_id, post, viewer, topic, moderator)


_frames: OrderedDict[tuple, str] = OrderedDict()


def _encoded(key: tuple, frame: dict) -> str:
    """``frame`` as JSON text, encoded once per ``key`` in this process (a small LRU). The key
    must determine the frame: an event's frame varies only with the rendering variant."""
    text = _frames.get(key)
    if text is None:
        text = _frames[key] = json.dumps(frame)
        while len(_frames) > _SHARED_ENTRIES:
            _frames.popitem(last=False)
    return text


def _snapshot_and_first_render(event_id: int, topic_id: int, viewer, moderator: bool):
    """The event's snapshot, and in the same trip to the database thread the rendering the
    first reader needs: most readers of a topic share one variant (signed out, or signed-in
    non-authors), so usually nobody makes a second trip. The rendering depends only on the
    variant, never on whether this reader may see the topic (each socket checks that)."""
    snapshot = _event_snapshot(event_id, topic_id)
    if snapshot is None:
        return None
    topic, _event, post = snapshot
    if post is not None and (moderator or not post.hidden):
        _render_once(event_id, post, viewer, topic, moderator)
    return snapshot


class TopicConsumer(LiveStreamConsumer):
    """A topic page's stream: new, edited, hidden posts and topic changes; typing."""

    known_types = frozenset({"resume", "typing", "heartbeat"})
    hopless_types = frozenset({"topic.event", "stream.presence", "topic.typing"})

    def name_stream(self) -> None:
        self.topic_id = int(self.scope["url_route"]["kwargs"]["topic_id"])
        self.group = events.topic_group(self.topic_id)
        self.stream = f"topic:{self.topic_id}"
        self.last_typing = 0.0

    def may_open(self) -> bool:
        topic, self.access = self._visible_topic_and_access()
        return topic is not None

    def hello(self) -> dict:
        return {"topic": self.topic_id}

    async def receive_action(self, content: dict) -> None:
        # The only action is "typing".
        if not self.user.is_authenticated:
            await self.send_error("forbidden", _("Log in to take part."))
            return
        now = time.monotonic()
        if now - self.last_typing < TYPING_INTERVAL_SECONDS:
            return
        self.last_typing = now
        await self.channel_layer.group_send(
            self.group,
            {
                "type": "topic.typing",
                "topic": self.topic_id,
                "user": self.user.pk,
                "name": self.user.public_name,
            },
        )

    def last_event_id(self) -> int:
        return (
            TopicEvent.objects.filter(topic_id=self.topic_id)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
            or 0
        )

    def replay_frames(self, after: int) -> list[dict] | None:
        topic = selectors.topic_visible_to(self.user, self.topic_id)
        if topic is None:
            return None
        missed = selectors.topic_events_after(topic, after, limit=REPLAY_LIMIT + 1)
        if len(missed) > REPLAY_LIMIT:
            return [{"type": "reload", "reason": "too_many_missed"}]
        frames = [self._frame_for(topic, event) for event in missed]
        return [frame for frame in frames if frame is not None]

    # --- messages from the channel layer -------------------------------------------------

    async def topic_event(self, message: dict) -> None:
        """Deliver one event with no query and no database-thread hop of this socket's own.

        The event's rows and each distinct rendering are read once per process (``_shared``);
        this socket decides in memory, from the access it loaded at connect, whether its user
        may see the topic. Only a refusal is confirmed against the database before closing.
        """
        if not self.joined:
            return
        event_id = message["event"]
        snapshot = await _shared(
            ("event", event_id, self.topic_id),
            _snapshot_and_first_render, event_id, self.topic_id, self.user, self.access.moderator,
        )  # fmt: skip
        if snapshot is None:
            return
        topic, event, post = snapshot
        if not selectors.topic_visible_with(self.access, topic):
            visible, self.access = await database_sync_to_async(self._visible_topic_and_access)()
            if visible is None:
                await self.shut(CLOSE_FORBIDDEN)
                return
        frame: dict = {"type": event.kind, "event": event.pk}
        if settings.BENCH_MODE and "sent_at" in message:
            frame["sent_at"] = message["sent_at"]  # bench/run: broadcast -> frame, alone
        if event.kind == TopicEventKind.TOPIC_CHANGED:
            frame.update(locked=topic.locked)
        elif event.kind == TopicEventKind.POLL_CHANGED:
            frame.update(poll=event.poll)
        elif post is None:
            return
        else:
            frame["post"] = post.pk
            if post.hidden and not self.access.moderator:
                # Whatever happened to it, a hidden post leaves non-moderators' pages.
                frame["type"] = TopicEventKind.POST_HIDDEN
            else:
                moderator = self.access.moderator
                variant = _render_variant(post, self.user, moderator)
                frame["html"] = _rendered(event.pk, variant) or await _shared(
                    ("html", event.pk, *variant),
                    _render_in, variant[0], event.pk, post, self.user, topic, moderator,
                )  # fmt: skip
                # Readers of one variant get the same bytes: encode the frame once for them.
                await self.send(text_data=_encoded(("frame", event.pk, *variant), frame))
                return
        await self.send_json(frame)

    async def topic_typing(self, message: dict) -> None:
        if not self.joined or (self.user.is_authenticated and message["user"] == self.user.pk):
            return
        await self.send_json({"type": "typing", "name": message["name"]})

    async def recheck_access(self) -> None:
        """May the user still see this topic? The access kept for checking events is read
        again too."""
        topic, self.access = await database_sync_to_async(self._visible_topic_and_access)()
        if topic is None:
            await self.shut(CLOSE_FORBIDDEN)

    def _visible_topic_and_access(self) -> tuple[Topic | None, selectors.Access]:
        return (
            selectors.topic_visible_to(self.user, self.topic_id),
            selectors.access_for(self.user),
        )

    def _frame_for(self, topic, event: TopicEvent, post=_UNLOADED) -> dict | None:
        """What this user should see of one event, checked against the database now."""
        frame: dict = {"type": event.kind, "event": event.pk}
        if event.kind == TopicEventKind.TOPIC_CHANGED:
            frame.update(locked=topic.locked)
            return frame
        if event.kind == TopicEventKind.POLL_CHANGED:
            frame.update(poll=poll_counts(topic.pk))
            return frame
        if post is _UNLOADED:
            post = selectors.post_for_render(event.post_id)
        if post is None:
            return None
        frame["post"] = post.pk
        moderator = selectors.is_moderator(self.user)
        if post.hidden and not moderator:
            # Whatever happened to it, a hidden post leaves non-moderators' pages.
            frame["type"] = TopicEventKind.POST_HIDDEN
            return frame
        frame["html"] = _render_once(event.pk, post, self.user, topic, moderator)
        return frame


class NotificationConsumer(GuardedJsonConsumer):
    """A signed-in member's own stream: new notifications as they happen, each with the
    member's unread count, which the header of every open page shows (``notifications.js``).

    It listens only on ``user.<own id>``: nobody can ask for another member's count."""

    known_types = frozenset({"heartbeat"})

    async def connect(self) -> None:
        await self.accept()
        if not self.user.is_authenticated:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.join()  # its stream is the user's own group
        unread = await database_sync_to_async(selectors.unread_notification_count)(self.user)
        await self.send_json(
            {"type": "hello", "unread": unread, "badge": render_unread_badge(unread)}
        )

    async def receive_json(self, content, **kwargs) -> None:
        if self.joined and await self.still_signed_in_lately():
            await self.send_json({"type": "pong"})

    async def user_notification(self, message: dict) -> None:
        if not self.joined:
            return
        frame = await database_sync_to_async(self._frame)(message["notification"])
        if frame is not None:
            await self.send_json(frame)

    def _frame(self, notification_id: int) -> dict | None:
        # notifications_for re-checks that the topic is still visible to this user.
        notification = selectors.notifications_for(self.user).filter(pk=notification_id).first()
        if notification is None:
            return None
        unread = selectors.unread_notification_count(self.user)
        return {
            "type": "notification",
            "id": notification.pk,
            "unread": unread,
            "badge": render_unread_badge(unread),
            "html": render_notification(notification),
        }


class ModerationConsumer(GuardedJsonConsumer):
    """The moderators' queue, live: when a post is held or reported (or a moderator deals with
    one), each open queue page gets its own moderator's first page again, rendered from the
    page's include. Anyone who is not a moderator is refused (4403); one who stops being one
    is closed at the next change or sign-in check.

    The group's message carries no ids; each socket reads the queue through the selectors the
    page uses (a moderator outside a partnership never sees its private posts) and sends only
    when what it shows changed, so a report in a topic it cannot see sends it nothing.
    """

    known_types = frozenset({"heartbeat"})

    async def connect(self) -> None:
        await self.accept()
        if not await database_sync_to_async(self._still_moderator)():
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.group = events.MODERATION_GROUP
        await self.join()
        self.shown, _html = await database_sync_to_async(moderation_lists)(self.user)
        await self.send_json({"type": "hello"})

    async def receive_json(self, content, **kwargs) -> None:
        if self.joined and await self.still_signed_in_lately():
            await self.send_json({"type": "pong"})

    async def moderation_changed(self, message: dict) -> None:
        if not self.joined:
            return
        queue = await database_sync_to_async(self._queue_if_moderator)()
        if queue is None:
            await self.shut(CLOSE_FORBIDDEN)
            return
        shown, html = queue
        if shown == self.shown:
            return
        self.shown = shown
        waiting, _flags, reports = shown
        await self.send_json(
            {
                "type": "queue",
                "waiting": len(waiting),
                "reports": reports,
                "html": html,
                "status": _("The moderation queue has changed."),
            }
        )

    async def recheck_access(self) -> None:
        if not await database_sync_to_async(self._still_moderator)():
            await self.shut(CLOSE_FORBIDDEN)

    def _still_moderator(self) -> bool:
        """The role read now (``is_moderator``'s rule without its per-request memory: a socket
        outlives requests). ``self.user`` is re-read at each sign-in check."""
        user = self.user
        return bool(
            user.is_authenticated and user.is_active and user_has_role(user, Role.MODERATOR)
        )

    def _queue_if_moderator(self) -> tuple[tuple, str] | None:
        if not self._still_moderator():
            return None
        return moderation_lists(self.user)
