"""The base consumers of every live socket: guarded frames and sign-in, then one lifecycle for
every live stream (a topic, a dialogue room).

``GuardedJsonConsumer`` is what any socket of the site needs (frame checks, language, the
anonymous limit, closing when the sign-in or the access ends). ``LiveStreamConsumer`` adds the
lifecycle a stream of events shares: check access, join the stream's group and the user's,
count presence, say hello with the stream position, answer heartbeats, replay what a
reconnecting client missed from the database, leave. A stream consumer says only what is its
own: which stream, who may open it, its last event id, the frames of a replay, its actions.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from forums import events, selectors, services
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
REPLAY_LIMIT = 200
PRESENCE_ANNOUNCE_SECONDS = 1.0
#: A socket re-reads its sign-in when told (``user.access``) and on ``resume``; on a heartbeat
#: at most this often, for a doorbell that never rang (a bulk ``update()``, a lost message).
SESSION_RECHECK_SECONDS = 60


def _language_from(scope) -> str:
    """The page's language, passed as ``?lang=`` (only a configured language is accepted)."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    wanted = (query.get("lang") or [""])[0]
    return wanted if wanted in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class GuardedJsonConsumer(AsyncJsonWebsocketConsumer):
    """What every socket of the site does whatever it carries.

    Validates every incoming frame (size, JSON shape, known type, rate; errors get a frame
    ``{"type": "error", "code": ..., "message": ...}``; a client that floods is disconnected),
    speaks the page's language, limits anonymous sockets per client address, and lives no
    longer than the sign-in it was opened with (``user.<id>`` rings, ``still_signed_in``).
    """

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
        """Listen on the consumer's group (``self.group``, if any) and, for a signed-in member,
        on ``user.<id>``, where sign-in and membership changes arrive."""
        if self.group:
            await self.channel_layer.group_add(self.group, self.channel_name)
        if self.user.is_authenticated:
            await self.channel_layer.group_add(events.user_group(self.user.pk), self.channel_name)
        self.joined = True

    async def leave(self) -> None:
        """Undo ``join``."""
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)
        if self.user.is_authenticated:
            await self.channel_layer.group_discard(
                events.user_group(self.user.pk), self.channel_name
            )

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


class LiveStreamConsumer(GuardedJsonConsumer):
    """One stream of events with a position (``TopicEvent``/``DialogueEvent`` ids).

    Subclasses set ``self.group`` and ``self.stream`` in ``name_stream`` and implement the
    database-thread hooks ``may_open``, ``last_event_id`` and ``replay_frames``; actions other
    than ``resume`` and ``heartbeat`` go to ``receive_action``.
    """

    known_types: frozenset[str] = frozenset({"resume", "heartbeat"})

    # --- what a stream says about itself ------------------------------------------------

    def name_stream(self) -> None:
        """Set ``self.group`` and ``self.stream`` (presence key) from the URL; no query."""
        raise NotImplementedError

    def may_open(self) -> bool:
        """In the database thread: may ``self.user`` open this stream?"""
        raise NotImplementedError

    def last_event_id(self) -> int:
        """In the database thread: the stream's position now (0 when empty)."""
        raise NotImplementedError

    def replay_frames(self, after: int) -> list[dict] | None:
        """In the database thread: the frames after ``after`` as this user may see them now,
        ``[{"type": "reload"}]`` past REPLAY_LIMIT, or None if the user may no longer be here."""
        raise NotImplementedError

    def hello(self) -> dict:
        """Fields of the hello frame besides the position and the reading count."""
        return {}

    async def receive_action(self, content: dict) -> None:
        """A frame of one of the subclass's own ``known_types``."""

    # --- the lifecycle --------------------------------------------------------------------

    async def connect(self) -> None:
        self.name_stream()
        allowed = await database_sync_to_async(self.may_open)()
        await self.accept()
        if not allowed:
            # Accept then close, so the browser sees why (4403) and stops reconnecting.
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.join()
        reading = await self.touch_presence()
        last_event = await database_sync_to_async(self.last_event_id)()
        await self.send_json(
            {"type": "hello", **self.hello(), "last_event": last_event, "reading": reading}
        )
        await self.announce_presence()

    async def leave(self) -> None:
        await super().leave()
        await database_sync_to_async(services.presence_leave)(channel_name=self.channel_name)
        await self.announce_presence()

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
            reading = await self.touch_presence()
            last_event = await database_sync_to_async(self.last_event_id)()
            await self.send_json({"type": "presence", "reading": reading, "last_event": last_event})
        else:
            await self.receive_action(content)

    async def replay(self, after: int) -> None:
        frames = await database_sync_to_async(self.replay_frames)(after)
        if frames is None:
            await self.shut(CLOSE_FORBIDDEN)
            return
        for frame in frames:
            await self.send_json(frame)
        last_event = await database_sync_to_async(self.last_event_id)()
        await self.send_json(
            {"type": "resumed", "after": after, "count": len(frames), "last_event": last_event}
        )

    # --- presence -------------------------------------------------------------------------

    async def touch_presence(self) -> int:
        """Count this socket as reading (again) and return the stream's reading count."""

        def touch() -> int:
            services.presence_touch(
                stream=self.stream, channel_name=self.channel_name, user=self.user
            )
            return selectors.presence_count(
                self.stream, max_age_seconds=settings.FORUMS_PRESENCE_TTL
            )

        return await database_sync_to_async(touch)()

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

    async def stream_presence(self, message: dict) -> None:
        if self.joined:
            await self.send_json({"type": "presence", "reading": message["reading"]})
