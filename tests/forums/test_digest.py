"""The notification digest: one mail per member, each notification mailed once, private
topics the member can no longer see left out."""

from __future__ import annotations

import datetime
import email
import io
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from forums import services
from forums.digest import digest_send
from forums.models import Notification
from network.models import DigestFrequency, User
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


# --- Mail people control (network.mail) ------------------------------------------------------


def _reply(make_user, topic, body="A reply"):
    services.post_create(author=make_user(), topic=topic, body=body)


def test_the_digest_is_in_the_members_language_and_unsubscribes_in_one_click(
    client, make_user, topic
):
    author = topic.author
    author.language = "es"
    author.save(update_fields=["language"])
    _reply(make_user, topic)
    assert digest_send() == 1
    message = mail.outbox[0]
    assert "nuevo" in message.subject.lower(), message.subject
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url.startswith("http") and "/es/mail/unsubscribe/" in url
    assert url in message.body  # the same way out, for a reader without one-click support

    path = urlsplit(url).path
    assert client.get(path).status_code == 200  # a mail scanner's GET changes nothing
    author.refresh_from_db()
    assert author.digest_frequency == DigestFrequency.DAILY

    # RFC 8058: the client POSTs this body, without cookies.
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    author.refresh_from_db()
    assert author.digest_frequency == DigestFrequency.OFF
    _reply(make_user, topic, "Another reply")
    author.last_digest_at = None
    author.save(update_fields=["last_digest_at"])
    assert digest_send() == 0
    assert len(mail.outbox) == 1


def test_a_tampered_unsubscribe_link_changes_nothing(client, make_user, topic):
    _reply(make_user, topic)
    digest_send()
    path = urlsplit(mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")).path
    tampered = path.rstrip("/")[:-3] + "abc/"
    response = client.post(tampered, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    topic.author.refresh_from_db()
    assert topic.author.digest_frequency == DigestFrequency.DAILY


def test_a_weekly_digest_waits_a_week(make_user, topic):
    author = topic.author
    author.digest_frequency = DigestFrequency.WEEKLY
    author.save(update_fields=["digest_frequency"])
    _reply(make_user, topic)
    assert digest_send() == 1
    _reply(make_user, topic, "Next day")
    assert digest_send() == 0
    User.objects.filter(pk=author.pk).update(
        last_digest_at=timezone.now() - datetime.timedelta(days=7)
    )
    assert digest_send() == 1
    assert "Next day" not in mail.outbox[0].body
    assert len(mail.outbox) == 2


def test_a_declined_kind_of_notification_stays_out_of_the_digest(make_user, topic):
    author = topic.author
    author.username = "hostx"
    author.mail_declined = ["notification.mention"]
    author.save(update_fields=["username", "mail_declined"])
    other = make_user(display_name="Amara")
    services.post_create(author=other, topic=topic, body="@hostx have a look")
    kinds = set(Notification.objects.filter(user=author).values_list("kind", flat=True))
    assert "mention" in kinds
    services.post_create(author=other, topic=topic, body="A plain reply")
    assert digest_send() == 1
    assert "Amara replied in" in mail.outbox[0].body
    assert "mentioned you" not in mail.outbox[0].body


def test_one_click_unsubscribe_from_a_mail_as_the_console_backend_prints_it(
    client, make_user, topic, settings, capsys
):
    """What `make run` shows an operator (mail printed by the console backend): its
    List-Unsubscribe address, posted as RFC 8058 says, turns the digest off; no digest follows."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    _reply(make_user, topic)
    assert digest_send() == 1
    printed = email.message_from_string(capsys.readouterr().out.split("-" * 79)[0])
    assert printed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = urlsplit("".join(printed["List-Unsubscribe"].split()).strip("<>")).path
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    _reply(make_user, topic, "Another reply")
    User.objects.filter(pk=topic.author.pk).update(last_digest_at=None)
    assert digest_send() == 0
    assert "Another reply" not in capsys.readouterr().out
