"""Polls in a topic (``forums.polls``): one vote per member, changeable; only readers of the
topic vote; the plain form works; live readers get the counts over the topic's socket."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from forums import polls, selectors
from forums.models import PollVote
from tests.forums.live_sockets import open_topic, receive_type


def _poll(topic):
    return polls.poll_create(
        user=topic.author, topic=topic, question="Which month to plant?", choices=["May", "June"]
    )


@pytest.mark.django_db
def test_a_member_votes_once_and_may_change_their_vote(topic, learner):
    poll = _poll(topic)
    may, june = poll.choices.all()

    polls.poll_vote(user=learner, poll=poll, choice_id=may.pk)
    polls.poll_vote(user=learner, poll=poll, choice_id=june.pk)

    assert PollVote.objects.get(poll=poll).choice_id == june.pk
    result = polls.poll_results(topic, learner)
    assert [c.vote_count for c in result.choices] == [0, 1]
    assert result.total == 1 and result.my_choice_id == june.pk


@pytest.mark.django_db
def test_only_readers_of_the_topic_vote_and_only_for_its_choices(
    private_topic, make_user, partner, topic
):
    poll = _poll(private_topic)
    other = _poll(topic)
    with pytest.raises(PermissionDenied):
        polls.poll_vote(user=make_user(), poll=poll, choice_id=poll.choices.first().pk)
    with pytest.raises(ValidationError):
        polls.poll_vote(user=partner, poll=poll, choice_id=other.choices.first().pk)
    with pytest.raises(PermissionDenied):
        polls.poll_vote(user=AnonymousUser(), poll=poll, choice_id=poll.choices.first().pk)


@pytest.mark.django_db
def test_only_the_author_or_a_moderator_adds_one_poll_with_two_to_ten_choices(
    topic, learner, moderator
):
    with pytest.raises(PermissionDenied):
        polls.poll_create(user=learner, topic=topic, question="Q?", choices=["a", "b"])
    with pytest.raises(ValidationError):
        polls.poll_create(user=moderator, topic=topic, question="Q?", choices=["only one"])
    polls.poll_create(user=moderator, topic=topic, question="Q?", choices=["a", "b"])
    with pytest.raises(ValidationError):
        polls.poll_create(user=topic.author, topic=topic, question="Again?", choices=["a", "b"])


@pytest.mark.django_db
def test_the_plain_form_votes_without_javascript(client, topic, learner):
    poll = _poll(topic)
    june = poll.choices.last()
    client.force_login(learner)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Which month to plant?" in page and 'name="choice"' in page

    response = client.post(f"/forums/polls/{poll.pk}/vote/", {"choice": june.pk})

    assert response.status_code == 302
    assert (
        f'data-poll-count="{june.pk}">1<' in client.get(topic.get_absolute_url()).content.decode()
    )
    assert client.post(f"/forums/polls/{poll.pk}/vote/", {"choice": "x"}).status_code == 302
    assert PollVote.objects.get(user=learner).choice_id == june.pk


@pytest.mark.parametrize("voters", [1, 30], ids=["one-voter", "thirty-voters"])
@pytest.mark.django_db
def test_a_vote_costs_the_same_whatever_the_number_of_votes(
    topic, make_user, voters, django_assert_num_queries
):
    poll = _poll(topic)
    may = poll.choices.first()
    for _ in range(voters):
        polls.poll_vote(user=make_user(), poll=poll, choice_id=may.pk)
    voter = make_user()
    selectors.is_moderator(voter)

    with django_assert_num_queries(VOTE_QUERIES):
        polls.poll_vote(user=voter, poll=poll, choice_id=may.pk)


VOTE_QUERIES = 13


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("sync_thread_connections_closed")
async def test_results_reach_live_readers_over_the_topics_socket(topic, learner):
    poll = await database_sync_to_async(_poll)(topic)
    june = await database_sync_to_async(lambda: poll.choices.last())()
    reader = await open_topic(topic)

    await database_sync_to_async(polls.poll_vote)(user=learner, poll=poll, choice_id=june.pk)

    frame = await receive_type(reader, "poll.changed")
    assert frame["poll"]["counts"][str(june.pk)] == 1 and frame["poll"]["total"] == 1
    await reader.disconnect()
