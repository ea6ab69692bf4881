"""A write that rolls back is never announced and never indexed.

Each forum service runs inside an outer ``transaction.atomic()`` that then raises. A real
channel (on the configured layer: in memory, or Redis in the PostgreSQL+Redis leg) listens on
every group the write would announce to, and must receive nothing within a timeout; the search
index must be unchanged. The same write then commits, and the same listener must hear it and the
index must change: the control that proves the listener and the index check can fail.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

import search
from forums import events, services
from forums.dialogues import services as dialogue_services
from network.roles import Role
from search.backends import get_backend

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sync_thread_connections_closed"),
]
SILENCE_SECONDS = 0.5
_words = itertools.count(1)


class Doomed(Exception):
    """Raised inside the outer transaction, after the service returned."""


@dataclass
class Scenario:
    groups: list[str]
    write: Callable[[], object]
    word: str | None  # a word the write would make findable, if it writes text


def unique_word() -> str:
    return f"zyxwordq{next(_words)}"


def _index_state(word: str | None) -> tuple[frozenset[str], int]:
    hits = search.query(word, user=AnonymousUser()).total if word else 0
    return frozenset(get_backend().keys()), hits


@pytest.fixture
def scenarios(make_user, topic, moderator):
    """Each forum write with the groups it announces to (built lazily per parameter)."""
    author = topic.author
    first_post = topic.posts.order_by("pk").first()
    member = make_user()
    trainer = make_user(Role.TRAINER)

    def live_dialogue():
        now = timezone.now()
        session = dialogue_services.dialogue_create(
            host=trainer, title="Water funds", starts_at=now, ends_at=now + timedelta(hours=1)
        )
        return dialogue_services.dialogue_start(host=trainer, session=session)

    topic_groups = [events.topic_group(topic.pk), events.user_group(author.pk)]

    def post_create() -> Scenario:
        word = unique_word()
        return Scenario(
            topic_groups,
            lambda: services.post_create(author=member, topic=topic, body=f"Reply {word}"),
            word,
        )

    def post_edit() -> Scenario:
        word = unique_word()
        return Scenario(
            topic_groups,
            lambda: services.post_edit(editor=author, post=first_post, body=f"Edited {word}"),
            word,
        )

    def reaction() -> Scenario:
        return Scenario(
            topic_groups,
            lambda: services.reaction_toggle(user=member, post=first_post, kind="like"),
            None,
        )

    def moderation_hide() -> Scenario:
        return Scenario(
            topic_groups,
            lambda: services.post_hide(moderator=moderator, post=first_post, reason="test"),
            None,
        )

    def moderation_lock() -> Scenario:
        return Scenario(
            topic_groups,
            lambda: services.topic_lock(moderator=moderator, topic=topic, locked=True),
            None,
        )

    def dialogue_message() -> Scenario:
        session = live_dialogue()
        word = unique_word()
        return Scenario(
            [events.dialogue_group(session.pk)],
            lambda: dialogue_services.dialogue_message_post(
                author=member, session=session, body=f"Chat {word}"
            ),
            None,  # chat messages are not indexed on their own (the archive is)
        )

    def dialogue_question() -> Scenario:
        session = live_dialogue()
        return Scenario(
            [events.dialogue_group(session.pk)],
            lambda: dialogue_services.dialogue_question_ask(
                author=member, session=session, body="Who pays for the nursery?"
            ),
            None,
        )

    return {
        "post_create": post_create,
        "post_edit": post_edit,
        "reaction": reaction,
        "moderation_hide": moderation_hide,
        "moderation_lock": moderation_lock,
        "dialogue_message": dialogue_message,
        "dialogue_question": dialogue_question,
    }


async def heard(layer, channel: str, timeout: float) -> dict | None:
    try:
        async with asyncio.timeout(timeout):
            return await layer.receive(channel)
    except TimeoutError:
        return None


@pytest.mark.parametrize(
    "name",
    [
        "post_create",
        "post_edit",
        "reaction",
        "moderation_hide",
        "moderation_lock",
        "dialogue_message",
        "dialogue_question",
    ],
)
async def test_rolled_back_write_broadcasts_nothing_and_indexes_nothing(name, scenarios):
    scenario: Scenario = await database_sync_to_async(scenarios[name])()
    layer = get_channel_layer()
    channel = await layer.new_channel("rollback.")
    for group in scenario.groups:
        await layer.group_add(group, channel)
    before = await database_sync_to_async(_index_state)(scenario.word)

    def doomed() -> None:
        with transaction.atomic():
            scenario.write()
            raise Doomed

    with pytest.raises(Doomed):
        await database_sync_to_async(doomed)()

    assert await heard(layer, channel, SILENCE_SECONDS) is None
    assert await database_sync_to_async(_index_state)(scenario.word) == before

    # Control: the same write, committed, is heard and (for indexed text) found.
    await database_sync_to_async(scenario.write)()
    message = await heard(layer, channel, 5)
    assert message is not None and message["type"] in {
        "topic.event",
        "user.notification",
        "dialogue.event",
    }
    if scenario.word:
        _keys, hits = await database_sync_to_async(_index_state)(scenario.word)
        assert hits == 1
    for group in scenario.groups:
        await layer.group_discard(group, channel)
