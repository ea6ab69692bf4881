"""Account views: sign-up with email verification, roles, and who may open which page."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from network.models import ProfileVisibility, User
from network.roles import Role, user_has_role
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db

ACCOUNT_PAGES_FOR_MEMBERS = [
    "network:profile",
    "account_change_password",
    "account_email",
]


def test_every_role_group_exists_after_migrating():
    names = set(Group.objects.values_list("name", flat=True))
    assert {role.value for role in Role} <= names


def test_sign_up_creates_a_learner_who_must_verify_before_logging_in(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "wanjiru@example.org",
            "display_name": "Wanjiru K.",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="wanjiru@example.org")
    assert user_has_role(user, Role.LEARNER)
    assert not user_has_role(user, Role.TRAINER)
    assert len(mail.outbox) == 1
    assert "wanjiru@example.org" in mail.outbox[0].to

    login = client.post(
        reverse("account_login"), {"login": "wanjiru@example.org", "password": TEST_PASSWORD}
    )
    assert login.status_code == 302
    assert login["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    confirm_url = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body).group(1)
    assert client.post(confirm_url).status_code == 302
    assert client.get(reverse("network:profile")).status_code == 200


def test_sign_up_rejects_a_weak_password_with_a_message(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "weak@example.org",
            "display_name": "Weak",
            "password1": "12345678",
            "password2": "12345678",
        },
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode() or "too common" in response.content.decode()
    assert not User.objects.filter(email="weak@example.org").exists()


@pytest.mark.parametrize("url_name", ACCOUNT_PAGES_FOR_MEMBERS)
def test_member_account_pages_send_anonymous_visitors_to_log_in(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("url_name", ACCOUNT_PAGES_FOR_MEMBERS)
def test_member_account_pages_open_for_a_signed_in_member(learner_client, url_name):
    assert learner_client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("url_name", ["account_login", "account_signup", "account_reset_password"])
def test_entrance_pages_open_for_anonymous_visitors(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert b'id="main"' in response.content


@pytest.mark.parametrize("url_name", ["account_login", "account_signup"])
def test_entrance_pages_send_signed_in_members_onwards(learner_client, url_name):
    assert learner_client.get(reverse(url_name)).status_code == 302


def test_logout_needs_a_post_and_ends_the_session(learner_client):
    assert learner_client.get(reverse("account_logout")).status_code == 200
    assert "_auth_user_id" in learner_client.session
    learner_client.post(reverse("account_logout"))
    assert "_auth_user_id" not in learner_client.session


def test_password_change_requires_the_old_password(learner_client, learner):
    response = learner_client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "wrong",
            "password1": "A-new-long-passphrase",
            "password2": "A-new-long-passphrase",
        },
    )
    assert response.status_code == 200
    learner.refresh_from_db()
    assert learner.check_password(TEST_PASSWORD)
    learner_client.post(
        reverse("account_change_password"),
        {
            "oldpassword": TEST_PASSWORD,
            "password1": "A-new-long-passphrase",
            "password2": "A-new-long-passphrase",
        },
    )
    learner.refresh_from_db()
    assert learner.check_password("A-new-long-passphrase")


def test_password_reset_answers_alike_for_known_and_unknown_addresses(client, learner):
    known = client.post(reverse("account_reset_password"), {"email": learner.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")
    by_recipient = {message.to[0]: message.body for message in mail.outbox}
    assert "/accounts/password/reset/key/" in by_recipient[learner.email]
    assert "/accounts/password/reset/key/" not in by_recipient.get("nobody@example.org", "")


def test_repeated_failed_logins_are_locked_out_with_a_clear_message(client, learner):
    for _attempt in range(5):
        client.post(reverse("account_login"), {"login": learner.email, "password": "wrong"})
    response = client.post(
        reverse("account_login"), {"login": learner.email, "password": TEST_PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


@pytest.mark.parametrize(
    ("roles", "reaches_admin"),
    [((), False), ((Role.MODERATOR,), False), ((Role.TRAINER,), True), ((Role.EDITOR,), True)],
)
def test_only_trainers_and_editors_reach_the_wagtail_admin(client, make_user, roles, reaches_admin):
    client.force_login(make_user(*roles))
    response = client.get("/admin/")
    if reaches_admin:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_profile_update_saves_every_field(learner_client, learner):
    response = learner_client.post(
        reverse("network:profile"),
        {
            "display_name": "Wanjiru K.",
            "organisation_name": "Mau Forest Partnership",
            "country": "KE",
            "languages": ["en", "sw"],
            "bio": "Agroforestry trainer. <script>alert(1)</script>",
            "profile_visibility": ProfileVisibility.PUBLIC,
        },
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.display_name == "Wanjiru K."
    assert learner.country.code == "KE"
    assert learner.languages == ["en", "sw"]
    page = learner_client.get(reverse("network:member", args=[learner.username])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_profile_update_rejects_an_unknown_country_and_keeps_the_input(learner_client, learner):
    response = learner_client.post(
        reverse("network:profile"),
        {"display_name": "Kept", "country": "XX", "profile_visibility": "public"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert 'value="Kept"' in response.content.decode()
    learner.refresh_from_db()
    assert learner.display_name == ""


def test_directory_shows_each_profile_only_to_whom_it_is_meant(client, make_user):
    public = make_user(profile_visibility=ProfileVisibility.PUBLIC, display_name="Public Pat")
    members_only = make_user(profile_visibility=ProfileVisibility.MEMBERS, display_name="Member Mo")
    private = make_user(profile_visibility=ProfileVisibility.PRIVATE, display_name="Private Pia")

    anonymous_page = client.get(reverse("network:members")).content.decode()
    assert "Public Pat" in anonymous_page
    assert "Member Mo" not in anonymous_page
    assert client.get(reverse("network:member", args=[members_only.username])).status_code == 404

    client.force_login(public)
    member_page = client.get(reverse("network:members")).content.decode()
    assert "Member Mo" in member_page
    assert "Private Pia" not in member_page
    assert client.get(reverse("network:member", args=[private.username])).status_code == 404

    client.force_login(private)
    assert client.get(reverse("network:member", args=[private.username])).status_code == 200


def test_directory_query_count_does_not_grow_with_members(
    client, make_user, django_assert_max_num_queries
):
    for _ in range(30):
        make_user(profile_visibility=ProfileVisibility.PUBLIC)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("network:members"))
    assert response.status_code == 200
    assert response.content.decode().count('class="card"') == 24
