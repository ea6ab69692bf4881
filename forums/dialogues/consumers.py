"""The live dialogue room over a WebSocket: chat, Q&A and host controls.

A ``forums.streams.LiveStreamConsumer`` like the topic socket (join, presence, heartbeat,
resume and replay live there): it re-checks the user's right to be in the room for every event
and renders with the room page's own templates; unlike it, the room also takes actions (chat,
ask, vote, answer, remove), each one a call to ``forums.dialogues.services``.
"""

from __future__ import annotations

from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from forums import events, selectors
from forums.dialogues import services as dialogue_services
from forums.models import DialogueEvent, DialogueEventKind
from forums.streams import CLOSE_FORBIDDEN, REPLAY_LIMIT, LiveStreamConsumer


class DialogueConsumer(LiveStreamConsumer):
    """A live dialogue room: chat, Q&A and host controls, each a call to a service.

    Frames in: ``chat``/``ask`` ``{"body"}``, ``vote``/``answer``/``remove_question`` ``{"question"}``,
    ``remove_message`` ``{"message"}``, ``remove_participant`` ``{"user"}``, ``resume``,
    ``heartbeat``. Every change comes back to everyone (the sender included) as an event
    rendered with the room page's templates.
    """

    known_types = frozenset(
        {
            "resume",
            "heartbeat",
            "chat",
            "ask",
            "vote",
            "answer",
            "remove_question",
            "remove_message",
            "remove_participant",
        }
    )

    def name_stream(self) -> None:
        self.session_id = int(self.scope["url_route"]["kwargs"]["session_id"])
        self.group = events.dialogue_group(self.session_id)
        self.stream = f"dialogue:{self.session_id}"

    def may_open(self) -> bool:
        session = selectors.dialogue_visible_to(self.user, self.session_id)
        return session is not None and not selectors.is_removed_from(self.user, session)

    def last_event_id(self) -> int:
        return (
            DialogueEvent.objects.filter(session_id=self.session_id)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
            or 0
        )

    async def receive_action(self, content: dict) -> None:
        kind = content["type"]
        field = {
            "chat": "body",
            "ask": "body",
            "vote": "question",
            "answer": "question",
            "remove_question": "question",
            "remove_message": "message",
            "remove_participant": "user",
        }[kind]
        value = content.get(field)
        expected = str if field == "body" else int
        if isinstance(value, bool) or not isinstance(value, expected):
            await self.send_error(
                "bad_shape", _("This message needs a valid '%(field)s'.") % {"field": field}
            )
            return
        # Every action is a write in the user's name: only while the sign-in still holds.
        if not await self.still_signed_in():
            return
        error = await database_sync_to_async(self._act)(kind, value)
        if error:
            await self.send_error("refused", error)

    def _act(self, kind: str, value) -> str | None:
        """Run one room action through the services; return the refusal message, if any."""
        session = selectors.dialogue_visible_to(self.user, self.session_id)
        if session is None:
            return str(_("This session is not open to you."))
        try:
            dialogue_services.dialogue_room_act(
                user=self.user,
                session=session,
                action=kind,
                body=value if kind in {"chat", "ask"} else "",
                target=None if kind in {"chat", "ask"} else value,
            )
        except dialogue_services.DialogueTargetMissing as missing:
            return str(missing)
        except PermissionDenied as error:
            return str(error) or str(_("You cannot do this."))
        except ValidationError as error:
            return " ".join(error.messages)
        return None

    def replay_frames(self, after: int) -> list[dict] | None:
        session = selectors.dialogue_visible_to(self.user, self.session_id)
        if session is None or selectors.is_removed_from(self.user, session):
            return None
        missed = list(
            DialogueEvent.objects.filter(session=session, pk__gt=after).order_by("pk")[
                : REPLAY_LIMIT + 1
            ]
        )
        if len(missed) > REPLAY_LIMIT:
            return [{"type": "reload", "reason": "too_many_missed"}]
        return [frame for frame in (self._frame_for(session, event) for event in missed) if frame]

    def _frame_for(self, session, event) -> dict | None:
        frame: dict = {"type": event.kind, "event": event.pk}
        host = selectors.is_dialogue_host(self.user, session)
        if event.kind == DialogueEventKind.SESSION_CHANGED:
            frame["status"] = session.status
            frame["status_label"] = str(session.get_status_display())
            if session.archived_topic_id:
                frame["archive_url"] = session.archived_topic.get_absolute_url()
            return frame
        if event.kind in {DialogueEventKind.MESSAGE_CREATED, DialogueEventKind.MESSAGE_REMOVED}:
            message = type(event.message).objects.select_related("author").get(pk=event.message_id)
            frame["message"] = message.pk
            if message.removed:
                frame["type"] = DialogueEventKind.MESSAGE_REMOVED
                return frame
            frame["html"] = render_to_string(
                "forums/includes/dialogue_message.html",
                {"message": message, "is_host": host, "session": session},
            )
            return frame
        question = type(event.question).objects.select_related("author").get(pk=event.question_id)
        frame["question"] = question.pk
        if question.removed:
            frame["removed"] = True
            return frame
        frame["html"] = render_to_string(
            "forums/includes/dialogue_question.html",
            {"question": question, "is_host": host, "session": session, "user": self.user},
        )
        return frame

    async def dialogue_event(self, message: dict) -> None:
        if not self.joined:
            return

        def build():
            session = selectors.dialogue_visible_to(self.user, self.session_id)
            if session is None:
                return "forbidden"

            event = DialogueEvent.objects.filter(pk=message["event"], session=session).first()
            return None if event is None else self._frame_for(session, event)

        frame = await database_sync_to_async(build)()
        if frame == "forbidden":
            await self.shut(CLOSE_FORBIDDEN)
        elif frame:
            await self.send_json(frame)

    async def dialogue_removed(self, message: dict) -> None:
        if self.joined and message["session"] == self.session_id:
            await self.send_json({"type": "removed"})
            await self.shut(CLOSE_FORBIDDEN)

    async def recheck_access(self) -> None:
        if not await database_sync_to_async(self.may_open)():
            await self.shut(CLOSE_FORBIDDEN)
