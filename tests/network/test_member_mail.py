"""network.mail and the mail settings page: each member's language and time zone, mail they
may decline and mail they are owed, and times on the site in the member's zone."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from network import memberships
from network.models import DigestFrequency, PartnershipRole
from network.services import partnership_membership_add

pytestmark = pytest.mark.django_db


def test_the_mail_settings_page_saves_language_zone_and_choices(client, learner):
    client.force_login(learner)
    url = reverse("network:mail_settings")
    page = client.get(url).content.decode()
    assert "Africa/Nairobi" in page and "event_reminder" in page
    response = client.post(
        url,
        {
            "language": "fr",
            "time_zone": "Africa/Nairobi",
            "digest_frequency": "weekly",
            "wanted": ["notification.reply"],
        },
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert (learner.language, learner.time_zone, learner.digest_frequency) == (
        "fr",
        "Africa/Nairobi",
        DigestFrequency.WEEKLY,
    )
    assert "event_reminder" in learner.mail_declined
    assert "notification.mention" in learner.mail_declined
    assert "notification.reply" not in learner.mail_declined


@pytest.mark.parametrize("zone", ["Mars/Olympus", "../../etc/passwd", "Europe/Paris\x00"])
def test_an_unknown_time_zone_is_a_message_and_saves_nothing(client, learner, zone):
    client.force_login(learner)
    response = client.post(
        reverse("network:mail_settings"),
        {"language": "es", "time_zone": zone, "digest_frequency": "daily"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    learner.refresh_from_db()
    assert (learner.language, learner.time_zone) == ("", "")


def test_the_mail_settings_page_is_for_members_only(client):
    response = client.get(reverse("network:mail_settings"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_invitation_is_written_in_the_inviters_language(
    partnership, make_user, django_capture_on_commit_callbacks
):
    coordinator = make_user()
    partnership_membership_add(
        partnership=partnership, user=coordinator, role=PartnershipRole.COORDINATOR
    )
    with translation.override("es"), django_capture_on_commit_callbacks(execute=True):
        memberships.invitation_create(
            partnership=partnership, coordinator=coordinator, email="nia@example.org"
        )
    (message,) = mail.outbox
    assert "invita" in message.subject.lower(), message.subject
    assert "List-Unsubscribe" not in message.extra_headers
