"""What a post said before an edit is shown to its author and the moderators only, and a
moderator can redact a revision for good (a phone number edited out is then really gone)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from forums import redaction, services
from forums.models import ModerationAction, ModerationLog, PostRevision

PHONE = "+254 712 345 678"

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited_post(topic, moderator):
    post = services.post_create(author=topic.author, topic=topic, body=f"Call me on {PHONE}")
    services.post_edit(editor=moderator, post=post, body="Call me (number removed)")
    return post


def test_the_edit_history_is_shown_to_the_author_and_moderators_only(
    client, make_user, edited_post, moderator
):
    url = reverse("forums:post_history", args=[edited_post.pk])
    assert PHONE not in client.get(url).text
    assert client.get(url).status_code == 404
    client.force_login(make_user())
    assert client.get(url).status_code == 404
    topic_page = client.get(edited_post.topic.get_absolute_url()).text
    assert url not in topic_page
    for allowed in (edited_post.author, moderator):
        client.force_login(allowed)
        assert PHONE in client.get(url).text


def test_a_moderator_redacts_a_revision_and_the_log_says_so(client, edited_post, moderator):
    revision = edited_post.revisions.get()
    with pytest.raises(PermissionDenied):
        redaction.revision_redact(moderator=edited_post.author, revision=revision)

    client.force_login(moderator)
    history = client.get(reverse("forums:post_history", args=[edited_post.pk])).text
    redact_url = reverse("forums:revision_redact", args=[revision.pk])
    assert redact_url in history
    response = client.post(redact_url, {"reason": "phone number"})
    assert response.status_code == 302

    revision = PostRevision.objects.get(pk=revision.pk)
    assert PHONE not in revision.body_source + revision.body_html
    assert revision.redacted
    entry = ModerationLog.objects.get(action=ModerationAction.REDACT)
    assert entry.actor == moderator and entry.post_id == edited_post.pk
    assert entry.reason == "phone number"
    for viewer in (moderator, edited_post.author):
        client.force_login(viewer)
        assert PHONE not in client.get(reverse("forums:post_history", args=[edited_post.pk])).text


def test_the_author_cannot_redact_with_the_form(client, edited_post):
    revision = edited_post.revisions.get()
    client.force_login(edited_post.author)
    response = client.post(reverse("forums:revision_redact", args=[revision.pk]))
    assert response.status_code == 403
    assert PHONE in PostRevision.objects.get(pk=revision.pk).body_source
