"""Writes of live dialogue sessions: chat, Q&A, host controls, and archiving on end.

Same rules as ``forums.services``: permission checks with messages meant for people, one
transaction, a ``DialogueEvent`` row for what the room must see, broadcast on commit only.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from forums import events, selectors
from forums.models import (
    Category,
    DialogueBan,
    DialogueEvent,
    DialogueEventKind,
    DialogueFollow,
    DialogueMessage,
    DialogueQuestion,
    DialogueSession,
    DialogueStatus,
    DialogueVote,
    Topic,
)
from forums.sanitize import render_markdown
from forums.services import _post_save, check_can_write, check_rate_limit, topic_open
from network.models import User
from network.text import single_line, without_control_characters

if TYPE_CHECKING:
    from courses.models import LessonPage

MAX_MESSAGE_LENGTH = 2000
ARCHIVE_CATEGORY_SLUG = "live-dialogues"


def _record(*, session: DialogueSession, kind: str, **targets) -> DialogueEvent:
    event = DialogueEvent.objects.create(session=session, kind=kind, **targets)
    events.dialogue_event_on_commit(session_id=session.pk, event_id=event.pk)
    return event


def _lock(session: DialogueSession) -> DialogueSession:
    return DialogueSession.objects.select_for_update().get(pk=session.pk)


def _check_host(*, user: User, session: DialogueSession) -> None:
    if not selectors.is_dialogue_host(user, session):
        raise PermissionDenied(_("Only the host can do this."))


def _check_participant(*, user: User, session: DialogueSession) -> None:
    check_can_write(user=user)
    if selectors.dialogue_visible_to(user, session.pk) is None:
        raise PermissionDenied(_("You cannot take part in this session."))
    if selectors.is_removed_from(user, session):
        raise PermissionDenied(_("The host has removed you from this session."))
    if session.status != DialogueStatus.LIVE:
        raise PermissionDenied(_("The session is not live."))


def _check_not_removed(question: DialogueQuestion) -> None:
    if DialogueQuestion.objects.filter(pk=question.pk, removed=True).exists():
        raise ValidationError(_("The host has removed this question."), code="removed")


def _clean(body: str) -> str:
    body = without_control_characters(body).strip()
    if not body:
        raise ValidationError(_("Write a message first."), code="empty")
    if len(body) > MAX_MESSAGE_LENGTH:
        raise ValidationError(
            _("Messages can be at most %(limit)s characters long.") % {"limit": MAX_MESSAGE_LENGTH}
        )
    return body


@transaction.atomic
def dialogue_create(
    *,
    host: User,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    description: str = "",
    category: Category | None = None,
    lesson: LessonPage | None = None,
) -> DialogueSession:
    """Schedule a session (trainers, moderators and staff host them)."""
    if not selectors.may_host_dialogues(host):
        raise PermissionDenied(_("Only trainers and moderators can schedule live dialogues."))
    if ends_at <= starts_at:
        raise ValidationError(_("A session must end after it starts."))
    session = DialogueSession(
        host=host,
        title=single_line(title),
        description=description.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        category=category,
        lesson=lesson,
    )
    if category is not None and category not in selectors.categories_visible_to(host):
        raise PermissionDenied(_("You cannot use this category."))
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def dialogue_start(*, host: User, session: DialogueSession) -> DialogueSession:
    _check_host(user=host, session=session)
    session = _lock(session)
    if session.status != DialogueStatus.SCHEDULED:
        raise ValidationError(_("Only a scheduled session can start."))
    session.status = DialogueStatus.LIVE
    session.opened_at = timezone.now()
    session.save(update_fields=["status", "opened_at"])
    _record(session=session, kind=DialogueEventKind.SESSION_CHANGED)
    return session


def dialogue_follow(*, user: User, session: DialogueSession, follow: bool) -> bool:
    """Ask (or stop asking) to be reminded by mail before the session starts; returns
    whether the user now follows it. Anyone who may see the session may follow it."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Log in to be reminded."))
    if selectors.dialogue_visible_to(user, session.pk) is None:
        raise PermissionDenied(_("You cannot take part in this session."))
    if not follow:
        DialogueFollow.objects.filter(session=session, user=user).delete()
        return False
    if session.status == DialogueStatus.ENDED:
        raise ValidationError(_("This session has already ended."))
    DialogueFollow.objects.get_or_create(session=session, user=user)
    return True


def _participant_text(*, author: User, session: DialogueSession, body: str, model, kind: str):
    """A chat message or a question: the same checks, limit and event, another table."""
    session = _lock(session)
    _check_participant(user=author, session=session)
    body = _clean(body)
    check_rate_limit(user=author, bucket="chat")
    written = model.objects.create(
        session=session, author=author, body_source=body, body_html=render_markdown(body)
    )
    target = "message" if model is DialogueMessage else "question"
    _record(session=session, kind=kind, **{target: written})
    return written


@transaction.atomic
def dialogue_message_post(*, author: User, session: DialogueSession, body: str) -> DialogueMessage:
    return _participant_text(
        author=author,
        session=session,
        body=body,
        model=DialogueMessage,
        kind=DialogueEventKind.MESSAGE_CREATED,
    )


@transaction.atomic
def dialogue_question_ask(*, author: User, session: DialogueSession, body: str) -> DialogueQuestion:
    return _participant_text(
        author=author,
        session=session,
        body=body,
        model=DialogueQuestion,
        kind=DialogueEventKind.QUESTION_CHANGED,
    )


@transaction.atomic
def dialogue_question_vote(*, user: User, question: DialogueQuestion) -> bool:
    """Upvote a question, or take the vote back; returns whether the vote is now on."""
    session = _lock(question.session)
    _check_participant(user=user, session=session)
    _check_not_removed(question)
    check_rate_limit(user=user, bucket="reaction")
    deleted, _details = DialogueVote.objects.filter(question=question, user=user).delete()
    if not deleted:
        try:
            with transaction.atomic():
                DialogueVote.objects.create(question=question, user=user)
        except IntegrityError:
            return True
    DialogueQuestion.objects.filter(pk=question.pk).update(
        vote_count=F("vote_count") + (-1 if deleted else 1)
    )
    _record(session=session, kind=DialogueEventKind.QUESTION_CHANGED, question=question)
    return not deleted


@transaction.atomic
def dialogue_question_answer(*, host: User, question: DialogueQuestion) -> DialogueQuestion:
    session = _lock(question.session)
    _check_host(user=host, session=session)
    _check_not_removed(question)
    DialogueQuestion.objects.filter(pk=question.pk).update(answered=True)
    question.refresh_from_db()
    _record(session=session, kind=DialogueEventKind.QUESTION_CHANGED, question=question)
    return question


@transaction.atomic
def dialogue_question_remove(*, host: User, question: DialogueQuestion) -> None:
    """Take a question out of the room (spam, abuse): it is neither archived nor indexed."""
    session = _lock(question.session)
    _check_host(user=host, session=session)
    DialogueQuestion.objects.filter(pk=question.pk).update(removed=True)
    _record(session=session, kind=DialogueEventKind.QUESTION_CHANGED, question=question)


@transaction.atomic
def dialogue_message_remove(*, host: User, message: DialogueMessage) -> None:
    session = _lock(message.session)
    _check_host(user=host, session=session)
    DialogueMessage.objects.filter(pk=message.pk).update(removed=True)
    _record(session=session, kind=DialogueEventKind.MESSAGE_REMOVED, message=message)


@transaction.atomic
def dialogue_participant_remove(*, host: User, session: DialogueSession, user: User) -> None:
    """Remove someone from the room: their sockets close and they cannot rejoin."""
    session = _lock(session)
    _check_host(user=host, session=session)
    if user.pk == session.host_id:
        raise ValidationError(_("The host cannot be removed."))
    DialogueBan.objects.get_or_create(session=session, user=user)
    events.dialogue_removed_on_commit(session_id=session.pk, user_id=user.pk)


# In a transcript, what a participant typed must show as they typed it but never become the
# transcript's own markup (a bold name, a list, a link) nor an @mention that the archive, written
# in the host's name, would send. Markdown's own escapes cover its punctuation; the rest (HTML,
# table and heading underline characters, and "@") become numeric character references.
_MARKDOWN_ESCAPABLE = frozenset("\\`*_{}[]()>#+-.!|")
_SIGNIFICANT = re.compile(r"[\\`*_{}\[\]()>#+\-.!|<&=@]")


def _escape_character(match: re.Match) -> str:
    character = match.group()
    return f"\\{character}" if character in _MARKDOWN_ESCAPABLE else f"&#{ord(character)};"


#: The longest post of an archive; a longer transcript continues in further posts of the topic.
ARCHIVE_POST_LENGTH = 100_000


def _as_text(text: str) -> str:
    """``text`` as Markdown that renders to exactly that text, on one line."""
    text = " ".join(without_control_characters(text).split())
    return _SIGNIFICANT.sub(_escape_character, text)


def _quoted(text: str) -> str:
    """A member's message as a Markdown block quote of plain text, line breaks kept."""
    lines = [_as_text(line) for line in text.splitlines()]
    return "\n".join(f"> {line}" if line else ">" for line in lines) or ">"


def _transcript_blocks(session: DialogueSession) -> list[str]:
    """The session as Markdown blocks: questions with their votes, then the chat in order.

    Everything a participant chose (their words, their display name) is quoted as text under
    their own name: the archive is the host's post, and must not speak for them.
    """
    # A post is one text for every reader, so its times say their zone (UTC); the room's page
    # shows the same times in each reader's own zone.
    ran_from = session.opened_at or session.starts_at
    ran_to = session.closed_at or timezone.now()
    blocks = [
        _(
            "Transcript of the live dialogue “%(title)s”, hosted by %(host)s: "
            "it ran from %(opened)s to %(closed)s UTC."
        )
        % {
            "title": _as_text(session.title),
            "host": _as_text(session.host.public_name),
            "opened": timezone.localtime(ran_from, UTC).strftime("%Y-%m-%d %H:%M"),
            "closed": timezone.localtime(ran_to, UTC).strftime("%Y-%m-%d %H:%M"),
        }
    ]
    if session.description:
        blocks.append(session.description)
    blocks.append(f"### {_('Questions')}")
    questions = session.questions.filter(removed=False).select_related("author")
    for question in questions:
        state = _("answered") if question.answered else _("not answered")
        blocks.append(
            f"**{_as_text(question.author.public_name)}** ({question.vote_count} ▲, {state}):\n"
            f"{_quoted(question.body_source)}"
        )
    if not questions:
        blocks.append(_("No questions."))
    blocks.append(f"### {_('Chat')}")
    messages = session.messages.filter(removed=False).select_related("author")
    chat_start = len(blocks)
    for message in messages.iterator(chunk_size=500):
        time = timezone.localtime(message.created_at, UTC).strftime("%H:%M")
        blocks.append(
            f"**{_as_text(message.author.public_name)}** ({time}):\n{_quoted(message.body_source)}"
        )
    if len(blocks) == chat_start:
        blocks.append(_("No chat messages."))
    return blocks


def _archive_posts(blocks: list[str]) -> list[str]:
    """Pack the blocks into posts of at most ``ARCHIVE_POST_LENGTH`` characters, in order."""
    posts: list[str] = []
    current: list[str] = []
    size = 0
    for block in blocks:
        block = block[:ARCHIVE_POST_LENGTH]
        if current and size + len(block) + 2 > ARCHIVE_POST_LENGTH:
            posts.append("\n\n".join(current))
            current, size = [], 0
        current.append(block)
        size += len(block) + 2
    if current:
        posts.append("\n\n".join(current))
    return posts


@transaction.atomic
def dialogue_end(*, host: User, session: DialogueSession) -> Topic:
    """End the session and archive its chat and Q&A as a forum topic.

    Ending always works: a transcript longer than one post continues in further posts.
    """
    session = _lock(session)
    _check_host(user=host, session=session)
    if session.status == DialogueStatus.ENDED:
        raise ValidationError(_("This session has already ended."))
    return dialogue_archive(session=session, now=timezone.now())


def dialogue_archive(*, session: DialogueSession, now: datetime) -> Topic:
    """Close a locked session at ``now`` and write its transcript as a topic in the host's
    name (the host's End, or the clock at the scheduled end)."""
    session.closed_at = now
    category = session.category
    if category is None:
        category, _created = Category.objects.get_or_create(
            slug=ARCHIVE_CATEGORY_SLUG,
            defaults={
                "name": _("Live dialogues"),
                "description": _("Transcripts of past live dialogue sessions."),
                "position": 90,
            },
        )
    first, *continued = _archive_posts(_transcript_blocks(session))
    topic = topic_open(
        author=session.host,
        category=category,
        title=_("Live dialogue: %(title)s") % {"title": session.title},
        body=first,
        tags=["live-dialogue"],
        max_length=ARCHIVE_POST_LENGTH,
    )
    for body in continued:
        # The continuation of the host's own archive: no checks or watchers as for a reply.
        _post_save(topic=topic, author=session.host, body=body, max_length=ARCHIVE_POST_LENGTH)
    session.status = DialogueStatus.ENDED
    session.archived_topic = topic
    session.save(update_fields=["status", "archived_topic", "closed_at"])
    _record(session=session, kind=DialogueEventKind.SESSION_CHANGED)
    return topic


class DialogueTargetMissing(LookupError):
    """The question, message or participant a room action names is not in the session."""


#: The room actions a participant or host sends, from the page's forms or the socket.
ROOM_ACTIONS = frozenset(
    {"chat", "ask", "vote", "answer", "remove_question", "remove_message", "remove_participant"}
)


def dialogue_room_act(
    *, user: User, session: DialogueSession, action: str, body: str = "", target=None
) -> None:
    """One room action, whether it came over HTTP or the socket: find what it names in this
    session (``DialogueTargetMissing`` when it is not there), then the service that checks who
    may do it. Raises the services' PermissionDenied and ValidationError unchanged."""
    if action == "chat":
        dialogue_message_post(author=user, session=session, body=body)
    elif action == "ask":
        dialogue_question_ask(author=user, session=session, body=body)
    elif action in {"vote", "answer", "remove_question"}:
        question = DialogueQuestion.objects.filter(
            session=session, pk=target, removed=False
        ).first()
        if question is None:
            raise DialogueTargetMissing(_("No such question."))
        if action == "vote":
            dialogue_question_vote(user=user, question=question)
        elif action == "answer":
            dialogue_question_answer(host=user, question=question)
        else:
            dialogue_question_remove(host=user, question=question)
    elif action == "remove_message":
        message = DialogueMessage.objects.filter(session=session, pk=target).first()
        if message is None:
            raise DialogueTargetMissing(_("No such message."))
        dialogue_message_remove(host=user, message=message)
    elif action == "remove_participant":
        participant = User.objects.filter(pk=target).first()
        if participant is None:
            raise DialogueTargetMissing(_("No such participant."))
        dialogue_participant_remove(host=user, session=session, user=participant)
    else:
        raise DialogueTargetMissing(_("No such action."))
