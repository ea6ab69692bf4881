"""Signing up asks for the name others will see; the e-mail address's local part never
becomes a member's public name or profile address; mail names the site from the settings."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from network.models import User
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _sign_up(client, **fields):
    data = {
        "email": "wanjiru.kamau@example.org",
        "display_name": "Amani",
        "password1": TEST_PASSWORD,
        "password2": TEST_PASSWORD,
        **fields,
    }
    return client.post(reverse("account_signup"), data)


def test_the_sign_up_form_asks_for_a_display_name(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert 'name="display_name"' in html
    assert "Display name" in html


def test_a_sign_up_without_a_display_name_is_refused_with_what_was_typed(client):
    response = _sign_up(client, display_name="   ")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose the name others will see." in html
    assert 'value="wanjiru.kamau@example.org"' in html
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [("Site Admin", "mistaken for the site"), ("Two\nLines", "one line")],
    ids=["reserved", "line-break"],
)
def test_a_display_name_is_checked_as_a_profiles_is(client, name, message):
    response = _sign_up(client, display_name=name)
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_a_display_name_another_member_uses_is_refused(client, make_user):
    make_user(display_name="Amani")
    response = _sign_up(client)
    assert "Another member already uses this name" in response.content.decode()
    assert not User.objects.filter(email="wanjiru.kamau@example.org").exists()


def test_the_username_is_made_from_the_display_name_not_the_address(client):
    assert _sign_up(client).status_code == 302
    user = User.objects.get(email="wanjiru.kamau@example.org")
    assert user.display_name == "Amani"
    assert user.username == "amani"
    assert "wanjiru" not in user.username and "kamau" not in user.username
    assert "wanjiru" not in user.public_name


def test_the_confirmation_mail_names_the_site_from_its_settings_not_the_host(client, settings):
    settings.SITE_URL = "https://commons.example.org"
    assert _sign_up(client).status_code == 302
    (message,) = mail.outbox
    assert "Hello from Landscape Commons!" in message.body
    assert "commons.example.org" in message.body
    assert "testserver" not in message.body.split("http")[0]  # the greeting, before any link


def test_the_header_does_not_show_a_username_until_a_name_is_chosen(client, make_user):
    member = make_user(username="wanjiru.kamau")
    client.force_login(member)
    html = client.get(reverse("courses:dashboard")).content.decode()
    header = html[html.index('class="account-links"') :][:800]
    assert "wanjiru" not in header
    assert "Your profile" in header
    member.display_name = "Amani"
    member.save()
    html = client.get(reverse("courses:dashboard")).content.decode()
    assert "Amani" in html[html.index('class="account-links"') :][:800]
