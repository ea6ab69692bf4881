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


#: "Wanjiru" in full-width letters; "Amina Odhiambo" with Cyrillic A, i, a, O, o.
FULL_WIDTH_WANJIRU = "\uff37\uff41\uff4e\uff4a\uff49\uff52\uff55 Mwangi"
CYRILLIC_AMINA = "\u0410m\u0456n\u0430 \u041edh\u0456\u0430mb\u043e"


def test_the_database_refuses_two_names_read_as_one(make_user):
    """The form's check can be passed by two saves at once; the stored key's unique constraint
    cannot (``User.display_name_key``, migration 0004)."""
    from django.db import IntegrityError, transaction

    make_user(display_name="Wanjiru Mwangi")
    for same in ("WANJIRU MWANGI", "wanjiru   mwangi", FULL_WIDTH_WANJIRU):
        other = make_user()
        other.display_name = same  # straight to the database, past every form and validator
        with pytest.raises(IntegrityError), transaction.atomic():
            other.save()
    # Empty names are many: they fall back to the (unique) username.
    make_user(display_name="")
    make_user(display_name="")


def test_a_name_cannot_imitate_a_moderators_with_look_alike_letters(learner_client, make_user):
    make_user(Role.MODERATOR, display_name="Amina Odhiambo")
    for imitation in ("AMINA ODHIAMBO", "Amina\u00a0Odhiambo", CYRILLIC_AMINA):
        response = _save_profile(learner_client, imitation)
        assert response.status_code == 200
        assert "already uses this name" in response.text, imitation


def test_a_save_that_loses_the_race_gets_the_form_message(learner, learner_client, make_user):
    """Two members who pass the check at the same moment: the second save meets the
    constraint and is told the name is taken, on the form, with nothing else lost."""
    rival = make_user()
    User.objects.filter(pk=rival.pk).update(
        display_name="Kofi Mensah", display_name_key="kofi mensah"
    )
    with pytest.MonkeyPatch.context() as patch:
        # The check ran before the rival's save: it saw the name free.
        patch.setattr(
            "network.models.validate_display_name", lambda name, user=None: " ".join(name.split())
        )
        patch.setattr("network.forms.validate_display_name", lambda name, user=None: name)
        with pytest.raises(ValidationError, match="already uses this name"):
            _profile(learner, "Kofi Mensah")
        response = learner_client.post(
            reverse("network:profile"),
            {"display_name": "Kofi Mensah", "bio": "Kept", "profile_visibility": "members"},
        )
    assert response.status_code == 200
    assert "already uses this name" in response.text
    assert "Kept" in response.text
    learner.refresh_from_db()
    assert learner.display_name == ""


def test_the_migration_keeps_every_name_and_separates_names_read_as_one(make_user):
    """Migration 0004 fills the keys of rows saved before it: nobody's name is emptied, names
    go on one line, and a later account whose name reads as an earlier one's gets its username
    appended. (Rows without a key are outside the constraint, as before the migration.)"""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("network.migrations.0004_display_name_key")
    first, second, third = make_user(), make_user(), make_user()
    for user, name in ((first, "Ama Mensah"), (second, "AMA  MENSAH"), (third, "Kofi\r\nB")):
        User.objects.filter(pk=user.pk).update(display_name=name, display_name_key="")
    migration.fill_keys(apps, None)
    names = dict(
        User.objects.filter(pk__in=[first.pk, second.pk, third.pk]).values_list(
            "pk", "display_name"
        )
    )
    assert names[first.pk] == "Ama Mensah"
    assert names[second.pk] == f"AMA MENSAH ({second.username})"
    assert names[third.pk] == "Kofi B"
    keys = list(
        User.objects.exclude(display_name_key="").values_list("display_name_key", flat=True)
    )
    assert len(keys) == len(set(keys))
