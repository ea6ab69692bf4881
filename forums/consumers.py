"""Live topic pages and live notifications over WebSockets.

The socket only listens: posting, editing and reacting are ordinary form posts handled by the
services. A consumer joins its topic's group, and for each event (a ``TopicEvent`` id) it
re-reads the database, re-checks that its own user may still see the topic and the post, and
sends HTML rendered with the page's template. A client that reconnects sends
``{"type": "resume", "after": <last event id>}`` and gets what it missed from the database.
Consumers never write to the database themselves: presence goes through the services.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import weakref
from collections import OrderedDict, deque
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from forums import events, selectors, services
from forums.models import Topic, TopicEvent, TopicEventKind
from forums.rendering import render_notification, render_post
from forums.socket_identity import (
    client_address,
    session_digest,
    session_key_of,
    signed_in_user,
)
from network.rate_limits import count_this_minute

CLOSE_SIGNED_OUT = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_FLOODING = 4429
MAX_FRAME_CHARS = 4096
FRAME_WINDOW_SECONDS = 10
FRAMES_PER_WINDOW = 30
TYPING_INTERVAL_SECONDS = 3
REPLAY_LIMIT = 200
PRESENCE_ANNOUNCE_SECONDS = 1.0
#: A socket re-reads its sign-in when told (``user.access``) and on ``resume``; on a heartbeat
#: at most this often, for a doorbell that never rang (a bulk ``update()``, a lost message).
SESSION_RECHECK_SECONDS = 60


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


def _language_from(scope) -> str:
    """The page's language, passed as ``?lang=`` (only a configured language is accepted)."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    wanted = (query.get("lang") or [""])[0]
    return wanted if wanted in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _event_snapshot(event_id: int, topic_id: int):
    """(topic with category, event, post ready to render) as of now, or None if the event is
    not this topic's. Read once per process for all its readers (``_shared``)."""
    event = TopicEvent.objects.filter(pk=event_id, topic_id=topic_id).first()
    if event is None:
        return None
    topic = Topic.objects.select_related("category").get(pk=topic_id)
    post = selectors.post_for_render(event.post_id) if event.post_id else None
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


class GuardedJsonConsumer(AsyncJsonWebsocketConsumer):
    """Validates every incoming frame: size, JSON shape, known type, rate. Errors get a frame
    ``{"type": "error", "code": ..., "message": ...}``; a client that floods is disconnected."""

    known_types: frozenset[str] = frozenset()
    #: Channel-layer messages handled without Channels' per-message ``close_old_connections``
    #: hop. Channels runs it in the database thread before every handler; for a broadcast to
    #: 200 sockets that is 200 serialised hops before anyone is sent anything. The handlers
    #: listed here reach the database only through ``database_sync_to_async``, which closes
    #: stale connections itself, in the thread that uses them.
    hopless_types: frozenset[str] = frozenset()

    async def websocket_connect(self, message):
        self.frame_times: deque[float] = deque()
        self.language = _language_from(self.scope)
        self.user = self.scope["user"]
        self.joined = False
        self.group: str | None = None
        self.stream: str | None = None
        self.session_key = session_key_of(self.scope)
        self.session_checked_at = time.monotonic()
        if not self.user.is_authenticated and await self._too_many_anonymous_sockets():
            # Accept then close, so the browser sees why (4429) and backs off.
            await self.accept()
            await self.close(code=CLOSE_FLOODING)
            return
        await super().websocket_connect(message)

    async def _too_many_anonymous_sockets(self) -> bool:
        """Anonymous sockets from one client address this minute, across processes, past
        ``FORUMS_ANONYMOUS_SOCKETS_PER_MINUTE``: each costs a presence row and a fan-out slot."""
        address = client_address(self.scope)
        if address is None:
            return False
        opened = await database_sync_to_async(count_this_minute)("anonymous-socket", address)
        return opened > settings.FORUMS_ANONYMOUS_SOCKETS_PER_MINUTE

    async def dispatch(self, message):
        # Fragments and error messages in the language of the page that opened the socket.
        with translation.override(getattr(self, "language", None) or settings.LANGUAGE_CODE):
            if message["type"] in self.hopless_types:
                await getattr(self, get_handler_name(message))(message)
            else:
                await super().dispatch(message)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        now = time.monotonic()
        self.frame_times.append(now)
        while self.frame_times and self.frame_times[0] < now - FRAME_WINDOW_SECONDS:
            self.frame_times.popleft()
        if len(self.frame_times) > 2 * FRAMES_PER_WINDOW:
            await self.close(code=CLOSE_FLOODING)
            return
        if len(self.frame_times) > FRAMES_PER_WINDOW:
            await self.send_error("rate_limited", _("Too many messages; slow down."))
            return
        if text_data is None:
            await self.send_error("bad_frame", _("Send JSON text frames."))
            return
        if len(text_data) > MAX_FRAME_CHARS:
            await self.send_error("too_large", _("That message is too large."))
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self.send_error("bad_json", _("That message is not valid JSON."))
            return
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self.send_error("bad_shape", _("A message is an object with a type."))
            return
        if content["type"] not in self.known_types:
            await self.send_error("unknown_type", _("Unknown message type."))
            return
        await self.receive_json(content)

    async def send_error(self, code: str, message: str) -> None:
        await self.send_json({"type": "error", "code": code, "message": str(message)})

    async def announce_presence(self) -> None:
        """Tell the group how many are here, at most once per PRESENCE_ANNOUNCE_SECONDS.

        Two hundred people opening a topic would otherwise send 200 x 200 messages and fill
        the sockets' queues. The first change in a window is announced at once; one trailing
        announcement at the end of the window carries the count after the rest.
        """
        leading, trailing = await database_sync_to_async(services.presence_announce_slots)(
            stream=self.stream, window=PRESENCE_ANNOUNCE_SECONDS
        )
        if leading:
            await self._send_presence()
        elif trailing:
            asyncio.get_running_loop().create_task(self._send_presence_later())

    async def _send_presence_later(self) -> None:
        await asyncio.sleep(PRESENCE_ANNOUNCE_SECONDS)
        await self._send_presence()

    async def _send_presence(self) -> None:
        reading = await database_sync_to_async(selectors.presence_count)(
            self.stream, max_age_seconds=settings.FORUMS_PRESENCE_TTL
        )
        await self.channel_layer.group_send(
            self.group, {"type": "stream.presence", "reading": reading}
        )

    # --- the sign-in the socket was opened with -----------------------------------------

    async def still_signed_in(self) -> bool:
        """Re-read this socket's sign-in from the session store; close (4401) if it ended.

        Logout, deactivation and a password change end a sign-in for HTTP at once; the user
        Channels put in the scope at the handshake would otherwise live as long as the socket.
        A sign-in that still holds refreshes ``self.user`` (roles, active flag) from the
        database. Anonymous sockets have no sign-in to lose.
        """
        if self.session_key is None:
            return True
        user = await database_sync_to_async(signed_in_user)(self.session_key, self.user.pk)
        self.session_checked_at = time.monotonic()
        if user is None:
            await self.shut(CLOSE_SIGNED_OUT)
            return False
        self.user = user
        return True

    async def still_signed_in_lately(self) -> bool:
        """``still_signed_in`` at most once per SESSION_RECHECK_SECONDS (for heartbeats)."""
        if time.monotonic() - self.session_checked_at < SESSION_RECHECK_SECONDS:
            return True
        return await self.still_signed_in()

    async def shut(self, code: int) -> None:
        """Stop listening at once, then close: messages already queued for this socket are
        dropped (handlers check ``joined``), so nothing more reaches it after the decision."""
        if self.joined:
            self.joined = False
            await self.leave()
        await self.close(code=code)

    async def join(self) -> None:
        """Listen on the stream's group (``self.group``, if any) and, for a signed-in member,
        on ``user.<id>``, where sign-in and membership changes arrive."""
        if self.group:
            await self.channel_layer.group_add(self.group, self.channel_name)
        if self.user.is_authenticated:
            await self.channel_layer.group_add(events.user_group(self.user.pk), self.channel_name)
        self.joined = True

    async def leave(self) -> None:
        """Undo ``join``, and leave the stream's presence count (``self.stream``, if any)."""
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)
        if self.user.is_authenticated:
            await self.channel_layer.group_discard(
                events.user_group(self.user.pk), self.channel_name
            )
        if self.stream:
            await database_sync_to_async(services.presence_leave)(channel_name=self.channel_name)
            await self.announce_presence()

    async def disconnect(self, code) -> None:
        if self.joined:
            self.joined = False
            await self.leave()

    async def recheck_access(self) -> None:
        """May ``self.user`` (just re-read) still be here? Consumers override it and ``shut``
        the socket (4403) when not."""

    # Every socket of a signed-in member also listens on ``user.<id>``; a consumer overrides
    # the messages it cares about and ignores the others.
    async def user_access(self, message: dict) -> None:
        """The user signed out, was deactivated, changed password or lost a membership (sent
        after commit on ``user.<id>``, so it reaches this socket whichever process holds it)."""
        if not self.joined:
            return
        ended = message.get("ended_session")
        if ended and ended == session_digest(self.session_key):
            await self.shut(CLOSE_SIGNED_OUT)
        elif await self.still_signed_in():
            await self.recheck_access()

    async def user_notification(self, message: dict) -> None:
        pass

    async def dialogue_removed(self, message: dict) -> None:
        pass


class TopicConsumer(GuardedJsonConsumer):
    known_types = frozenset({"resume", "typing", "heartbeat"})
    hopless_types = frozenset({"topic.event", "stream.presence", "topic.typing"})

    async def connect(self) -> None:
        self.topic_id = int(self.scope["url_route"]["kwargs"]["topic_id"])
        self.group = events.topic_group(self.topic_id)
        self.stream = f"topic:{self.topic_id}"
        self.last_typing = 0.0
        topic, self.access = await database_sync_to_async(self._visible_topic_and_access)()
        await self.accept()
        if topic is None:
            # Accept then close, so the browser sees why (4403) and stops reconnecting.
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.join()
        reading = await self._touch_presence()
        await self.send_json(
            {
                "type": "hello",
                "topic": self.topic_id,
                "last_event": await database_sync_to_async(selectors.last_topic_event_id)(topic),
                "reading": reading,
            }
        )
        await self.announce_presence()

    async def _touch_presence(self) -> int:
        def touch() -> int:
            services.presence_touch(
                stream=self.stream, channel_name=self.channel_name, user=self.user
            )
            return selectors.presence_count(
                self.stream, max_age_seconds=settings.FORUMS_PRESENCE_TTL
            )

        return await database_sync_to_async(touch)()

    # --- frames from the browser ---------------------------------------------------------

    async def receive_json(self, content, **kwargs) -> None:
        if not self.joined:
            return
        kind = content["type"]
        if kind == "resume":
            after = content.get("after")
            if isinstance(after, bool) or not isinstance(after, int) or after < 0:
                await self.send_error("bad_shape", _("resume needs a whole number 'after'."))
                return
            # Never replay to a sign-in that has ended, whether or not its doorbell rang.
            if await self.still_signed_in():
                await self.replay(after)
        elif kind == "heartbeat":
            if not await self.still_signed_in_lately():
                return
            # The layer is only a doorbell and may drop a ring: the heartbeat answer carries
            # the stream position, so a client that is behind asks for a replay.
            reading = await self._touch_presence()
            last_event = await database_sync_to_async(self._last_event_id)()
            await self.send_json({"type": "presence", "reading": reading, "last_event": last_event})
        elif kind == "typing":
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

    def _last_event_id(self) -> int:
        return (
            TopicEvent.objects.filter(topic_id=self.topic_id)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
            or 0
        )

    async def replay(self, after: int) -> None:
        frames = await database_sync_to_async(self._replay_frames)(after)
        if frames is None:
            await self.shut(CLOSE_FORBIDDEN)
            return
        for frame in frames:
            await self.send_json(frame)
        last_event = await database_sync_to_async(self._last_event_id)()
        await self.send_json(
            {"type": "resumed", "after": after, "count": len(frames), "last_event": last_event}
        )

    def _replay_frames(self, after: int) -> list[dict] | None:
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

    async def stream_presence(self, message: dict) -> None:
        if self.joined:
            await self.send_json({"type": "presence", "reading": message["reading"]})

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
    """A signed-in member's own stream: new notifications as they happen."""

    known_types = frozenset({"heartbeat"})

    async def connect(self) -> None:
        await self.accept()
        if not self.user.is_authenticated:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.join()  # its stream is the user's own group
        unread = await database_sync_to_async(selectors.unread_notification_count)(self.user)
        await self.send_json({"type": "hello", "unread": unread})

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
        return {
            "type": "notification",
            "id": notification.pk,
            "unread": selectors.unread_notification_count(self.user),
            "html": render_notification(notification),
        }
