"""The notification digest: one mail per member, each notification mailed once, private
topics the member can no longer see left out."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command

from forums import services
from network.services import partnership_membership_remove

pytestmark = pytest.mark.django_db


def test_digest_mails_each_notification_once(make_user, topic):
    services.post_create(author=make_user(display_name="Kofi"), topic=topic, body="A reply")
    call_command("forum_digest", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [topic.author.email]
    assert "Kofi replied in" in mail.outbox[0].body
    assert "/forums/p/" in mail.outbox[0].body
    call_command("forum_digest", stdout=io.StringIO())
    assert len(mail.outbox) == 1


def test_digest_leaves_out_topics_the_member_can_no_longer_see(
    make_user, partnership, partner, private_topic
):
    partner.username = "partnerx"
    partner.save()
    services.post_create(author=private_topic.author, topic=private_topic, body="@partnerx look")
    partnership_membership_remove(partnership=partnership, user=partner)
    call_command("forum_digest", stdout=io.StringIO())
    assert all(partner.email not in message.to for message in mail.outbox)
