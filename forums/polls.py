"""Polls in a topic: one question, several choices, one vote per member that they may change.

Only members who may read the topic vote (``topics_visible_to``); a vote takes the topic's
row lock and records a ``poll.changed`` ``TopicEvent``, so the topic's live readers get the new
counts over the socket they already have open (numbers only: no user text, nothing to render)
and a reconnecting reader replays them. The plain form works without JavaScript.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from forums.models import Poll, PollChoice, PollVote, Topic, TopicEventKind
from forums.selectors import Viewer, is_moderator, topics_visible_to
from forums.services import _lock_topic, _record_event, check_can_write, check_rate_limit
from network.models import User
from network.text import single_line

MIN_CHOICES, MAX_CHOICES = 2, 10


@transaction.atomic
def poll_create(*, user: User, topic: Topic, question: str, choices: Iterable[str]) -> Poll:
    """Add the topic's poll: its author or a moderator, once per topic."""
    check_can_write(user=user)
    if topic.author_id != user.pk and not is_moderator(user):
        raise PermissionDenied(_("Only the topic's author or a moderator can add a poll."))
    topic = _lock_topic(topic)
    if not topics_visible_to(user).filter(pk=topic.pk).exists():
        raise PermissionDenied(_("You cannot add a poll to this topic."))
    if Poll.objects.filter(topic=topic).exists():
        raise ValidationError(_("This topic already has a poll."), code="poll_exists")
    question = single_line(question)[:200]
    labels = list(dict.fromkeys(single_line(label)[:120] for label in choices))
    labels = [label for label in labels if label]
    if not question:
        raise ValidationError(_("Ask a question."), code="empty_question")
    if not MIN_CHOICES <= len(labels) <= MAX_CHOICES:
        raise ValidationError(
            _("Give from %(least)s to %(most)s different choices, one a line.")
            % {"least": MIN_CHOICES, "most": MAX_CHOICES},
            code="choices",
        )
    poll = Poll.objects.create(topic=topic, question=question, created_by=user)
    PollChoice.objects.bulk_create(
        PollChoice(poll=poll, label=label, position=number) for number, label in enumerate(labels)
    )
    _record_event(topic=topic, kind=TopicEventKind.POLL_CHANGED)
    return poll


@transaction.atomic
def poll_vote(*, user: User, poll: Poll, choice_id: int) -> PollVote:
    """Vote, or change one's vote: one per member and poll."""
    check_can_write(user=user)
    topic = _lock_topic(poll.topic)
    if not topics_visible_to(user).filter(pk=topic.pk).exists():
        raise PermissionDenied(_("You cannot vote in this topic."))
    if topic.locked and not is_moderator(user):
        raise PermissionDenied(_("This topic is locked: the poll is closed."))
    choice = PollChoice.objects.filter(poll=poll, pk=choice_id).first()
    if choice is None:
        raise ValidationError(_("Choose one of the poll's answers."), code="unknown_choice")
    check_rate_limit(user=user, bucket="reaction")
    vote, created = PollVote.objects.get_or_create(
        poll=poll, user=user, defaults={"choice": choice}
    )
    if not created and vote.choice_id != choice.pk:
        vote.choice = choice
        vote.save(update_fields=["choice"])
    _record_event(topic=topic, kind=TopicEventKind.POLL_CHANGED)
    return vote


@dataclass(frozen=True)
class PollResult:
    poll: Poll
    choices: list[PollChoice]  # each with ``vote_count``
    total: int
    my_choice_id: int | None


def poll_results(topic: Topic, viewer: Viewer) -> PollResult | None:
    """The topic's poll with its counts (two queries, three for a signed-in viewer; none more
    whatever the number of votes), or None."""
    poll = Poll.objects.filter(topic=topic).first()
    if poll is None:
        return None
    choices = list(poll.choices.annotate(vote_count=Count("votes")).order_by("position", "pk"))
    mine = None
    if viewer.is_authenticated:
        mine = PollVote.objects.filter(poll=poll, user=viewer).values_list("choice_id", flat=True)
        mine = mine.first()
    return PollResult(
        poll=poll,
        choices=choices,
        total=sum(choice.vote_count for choice in choices),
        my_choice_id=mine,
    )


def poll_counts(topic_id: int) -> dict | None:
    """What a live ``poll.changed`` frame carries: counts by choice id, and the total."""
    counts = dict(
        PollChoice.objects.filter(poll__topic_id=topic_id)
        .annotate(vote_count=Count("votes"))
        .values_list("pk", "vote_count")
    )
    if not counts:
        return None
    return {
        "counts": {str(pk): count for pk, count in counts.items()},
        "total": sum(counts.values()),
    }
