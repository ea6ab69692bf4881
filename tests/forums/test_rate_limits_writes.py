"""Edits and reactions are broadcast to every open page like posts are, so they are limited
like posts (issue 19: "40 edits and 40 reaction toggles in 1.5 s were all accepted and
broadcast"). Over the limit the service refuses with a ``rate_limited`` ValidationError, the
page answers 429 with the reason, and whatever the member typed comes back in the form."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from forums import services
from forums.dialogues import services as dialogues
from forums.models import DialogueMessage, Post, Reaction, TopicEvent, TopicEventKind
from network.roles import Role

pytestmark = pytest.mark.django_db

ATTEMPTS = 40


@pytest.fixture
def strict(settings):
    settings.FORUMS_EDITS_PER_MINUTE = 3
    settings.FORUMS_REACTIONS_PER_MINUTE = 3
    settings.FORUMS_CHAT_MESSAGES_PER_MINUTE = 3


@pytest.fixture
def own_post(learner, topic):
    return services.post_create(author=learner, topic=topic, body="My first words.")


def test_forty_edits_are_not_all_accepted_and_broadcast(strict, learner, own_post):
    accepted = refused = 0
    for number in range(ATTEMPTS):
        try:
            services.post_edit(editor=learner, post=own_post, body=f"Version {number}")
        except ValidationError as error:
            assert services.is_rate_limited(error)
            refused += 1
        else:
            accepted += 1
    assert (accepted, refused) == (3, ATTEMPTS - 3)
    broadcast = TopicEvent.objects.filter(post=own_post, kind=TopicEventKind.POST_EDITED)
    assert broadcast.count() == 3
    assert Post.objects.get(pk=own_post.pk).body_source == "Version 2"


def test_forty_reaction_toggles_are_not_all_accepted_and_broadcast(strict, make_user, own_post):
    reader = make_user()
    refused = 0
    for _number in range(ATTEMPTS):
        try:
            services.reaction_toggle(user=reader, post=own_post, kind="like")
        except ValidationError as error:
            assert services.is_rate_limited(error)
            refused += 1
    assert refused == ATTEMPTS - 3
    broadcast = TopicEvent.objects.filter(post=own_post, kind=TopicEventKind.REACTION_CHANGED)
    assert broadcast.count() == 3
    assert Reaction.objects.filter(post=own_post, user=reader).count() == 1  # on, off, on


def test_moderators_are_not_limited(strict, moderator, own_post):
    for number in range(5):
        services.post_edit(editor=moderator, post=own_post, body=f"Moderated {number}")
        services.reaction_toggle(user=moderator, post=own_post, kind="like")


def test_edit_page_answers_429_and_keeps_the_text(strict, client, learner, own_post):
    client.force_login(learner)
    url = reverse("forums:post_edit", args=[own_post.pk])
    for number in range(3):
        assert client.post(url, {"body": f"Saved {number}"}).status_code == 302
    response = client.post(url, {"body": "A long careful rewrite <b>kept</b>"})
    assert response.status_code == 429
    assert "at most 3 edits a minute" in response.text
    assert "A long careful rewrite &lt;b&gt;kept&lt;/b&gt;" in response.text
    assert Post.objects.get(pk=own_post.pk).body_source == "Saved 2"


def test_reaction_form_answers_429_with_the_reason(strict, client, make_user, own_post):
    client.force_login(make_user())
    url = reverse("forums:post_react", args=[own_post.pk])
    for _number in range(3):
        assert client.post(url, {"kind": "like"}).status_code == 302
    response = client.post(url, {"kind": "like"})
    assert response.status_code == 429
    assert "at most 3 reactions a minute" in response.text


def test_a_rate_limited_reply_answers_429_and_keeps_the_text(settings, client, learner, topic):
    settings.FORUMS_POSTS_PER_MINUTE = 1
    client.force_login(learner)
    url = reverse("forums:topic_reply", args=[topic.pk])
    assert client.post(url, {"body": "first"}).status_code == 302
    response = client.post(url, {"body": "second, kept"})
    assert response.status_code == 429
    assert "second, kept" in response.text


@pytest.fixture
def live_session(make_user):
    from datetime import timedelta

    from django.utils import timezone

    host = make_user(Role.TRAINER)
    now = timezone.now()
    session = dialogues.dialogue_create(
        host=host, title="Soil carbon", starts_at=now, ends_at=now + timedelta(hours=1)
    )
    return dialogues.dialogue_start(host=host, session=session)


def test_question_votes_are_limited(strict, make_user, live_session):
    question = dialogues.dialogue_question_ask(
        author=make_user(), session=live_session, body="How is carbon measured?"
    )
    voter = make_user()
    refused = 0
    for _number in range(ATTEMPTS):
        try:
            dialogues.dialogue_question_vote(user=voter, question=question)
        except ValidationError as error:
            assert services.is_rate_limited(error)
            refused += 1
    assert refused == ATTEMPTS - 3


def test_rate_limited_chat_answers_429_and_keeps_the_message(strict, client, learner, live_session):
    client.force_login(learner)
    url = reverse("forums:dialogue_chat", args=[live_session.pk])
    for number in range(3):
        assert client.post(url, {"body": f"line {number}"}).status_code == 302
    response = client.post(url, {"body": "the fourth line, kept"})
    assert response.status_code == 429
    assert "the fourth line, kept" in response.text
    assert DialogueMessage.objects.filter(session=live_session).count() == 3
