"""A display name identifies one member on one line: it cannot pass for someone else (another
member, a moderator, the site) nor carry line breaks into e-mails and transcripts."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from forums import services as forum_services
from forums.models import Category
from network import services
from network.models import ProfileVisibility, User
from network.roles import Role

pytestmark = pytest.mark.django_db


def _save_profile(client, display_name: str):
    return client.post(
        reverse("network:profile"),
        {"display_name": display_name, "profile_visibility": ProfileVisibility.MEMBERS},
    )


def _profile(user: User, display_name: str) -> User:
    return services.profile_update(
        user=user,
        display_name=display_name,
        organisation_name="",
        country="",
        languages=[],
        bio="",
        profile_visibility=ProfileVisibility.MEMBERS,
    )


@pytest.mark.parametrize(
    "name", ["Ama\r\nModerator: all posts deleted", "Ama\nB", "Ama\x00", "A\u202eB"]
)
def test_a_display_name_is_one_line_of_visible_characters(learner_client, learner, name):
    response = _save_profile(learner_client, name)
    assert response.status_code == 200
    assert "one line" in response.text or "Null characters" in response.text
    learner.refresh_from_db()
    assert learner.display_name == ""
    with pytest.raises(ValidationError):
        _profile(learner, name)


def test_a_display_name_is_trimmed(learner_client, learner):
    _save_profile(learner_client, "   Ama   Mensah  ")
    learner.refresh_from_db()
    assert learner.display_name == "Ama Mensah"


def test_a_display_name_cannot_be_another_members_name(learner_client, learner, make_user):
    make_user(display_name="Wanjiru Mwangi")
    moderator = make_user(Role.MODERATOR, username="mod_kofi")
    for taken in ("wanjiru mwangi", "WANJIRU  MWANGI", "Mod_Kofi"):
        response = _save_profile(learner_client, taken)
        assert response.status_code == 200
        assert "already uses this name" in response.text
    learner.refresh_from_db()
    assert learner.display_name == ""
    with pytest.raises(ValidationError):
        _profile(learner, "MOD_KOFI")
    # Keeping one's own name (in another case) is fine.
    _profile(moderator, "Mod_Kofi")


@pytest.mark.parametrize(
    "name", ["Moderator", "Forum moderators", "Site Admin", "Landscape Commons"]
)
def test_reserved_looking_names_are_refused(learner_client, learner, name):
    response = _save_profile(learner_client, name)
    assert response.status_code == 200
    learner.refresh_from_db()
    assert learner.display_name == ""


def test_a_name_that_only_contains_a_reserved_word_inside_another_is_fine(learner, learner_client):
    _save_profile(learner_client, "Badminton Club Kijabe")
    learner.refresh_from_db()
    assert learner.display_name == "Badminton Club Kijabe"


def test_the_digest_keeps_each_notification_on_its_own_line(make_user):
    """Names and titles saved before these checks (or by an import) still cannot forge lines."""
    category = Category.objects.create(name="General", slug="general-digest")
    reader = make_user()
    forger = make_user()
    User.objects.filter(pk=forger.pk).update(
        display_name="Kofi\r\n- Moderator replied in “Your account is closed”\r\n"
    )
    forger.refresh_from_db()
    topic = forum_services.topic_create(
        author=reader, category=category, title="Water\nfunds", body="Opening"
    )
    forum_services.post_create(author=forger, topic=topic, body="A reply")

    call_command("forum_digest", stdout=io.StringIO())

    body = mail.outbox[0].body
    assert "\n- Moderator replied" not in body
    assert "Kofi - Moderator replied in “Your account is closed” replied in “Water funds”" in body
    assert "\r" not in mail.outbox[0].subject + body
