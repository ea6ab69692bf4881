"""The joining pages without JavaScript: the profile page offers what fits the visitor, a
refused form comes back with what was typed and why, the coordinators' page answers, invites
and removes, and an invitation link leads a visitor through signing in to joining."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from network.models import (
    JoinRequest,
    PartnershipMembership,
)
from network.services import partnership_membership_add

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


def profile(client, partnership) -> str:
    return client.get(partnership.get_absolute_url()).content.decode()


def test_the_profile_page_offers_what_fits_the_visitor(client, partnership, coordinator, make_user):
    assert "Sign in to join or follow" in profile(client, partnership)
    client.force_login(make_user())
    assert "Ask to join" in profile(client, partnership)
    assert "0 followers" in profile(client, partnership)
    client.post(reverse("network:follow", args=[partnership.slug]), {"follow": "1"})
    page = profile(client, partnership)
    assert "1 follower" in page and "Unfollow" in page
    client.post(reverse("network:join", args=[partnership.slug]), {"message": "Hello"})
    assert "Pending: your request to join" in profile(client, partnership)
    partnership.open_to_join = True
    partnership.save()
    client.force_login(make_user())
    page = profile(client, partnership)
    assert (
        'action="/network/partnerships/mount-kenya-landscape/join/"' in page
        and ">Join</button>" in page
    )
    client.post(reverse("network:join", args=[partnership.slug]))
    assert "You are a member of this partnership." in profile(client, partnership)
    client.force_login(coordinator)
    assert "Manage members" in profile(client, partnership)


def test_a_refused_request_keeps_the_message_and_says_why(client, settings, partnership, make_user):
    settings.NETWORK_JOIN_REQUESTS_PER_MINUTE = 0
    client.force_login(make_user())
    response = client.post(
        reverse("network:join", args=[partnership.slug]), {"message": "I grow seedlings."}
    )
    assert response.status_code == 429
    page = response.content.decode()
    assert "I grow seedlings." in page
    assert "at most 0 requests a minute" in page
    response = client.post(
        reverse("network:join", args=[partnership.slug]), {"message": "x" * 1001}
    )
    assert response.status_code == 400
    assert "x" * 1001 in response.content.decode()
    assert not JoinRequest.objects.exists()


def test_coordinators_answer_invite_and_remove_from_their_page(
    client, partnership, coordinator, make_user, django_capture_on_commit_callbacks
):
    requester, member = make_user(display_name="Rita"), make_user(display_name="Milo")
    partnership_membership_add(partnership=partnership, user=member)
    join_request = JoinRequest.objects.create(
        partnership=partnership, user=requester, message="Please let me in."
    )
    client.force_login(coordinator)
    page = client.get(reverse("network:coordinate", args=[partnership.slug])).content.decode()
    assert "Please let me in." in page and "Remove Milo" in page
    assert "Remove Cora Coordinator" not in page  # not themself
    decide = reverse("network:join_request_decide", args=[partnership.slug, join_request.pk])
    response = client.post(decide, {"decision": "approve"}, follow=True)
    assert "Rita is now a member." in response.content.decode()
    response = client.post(decide, {"decision": "decline"}, follow=True)
    assert "already been answered" in response.content.decode()
    assert PartnershipMembership.objects.filter(user=requester).exists()

    remove = reverse("network:membership_remove", args=[partnership.slug, member.pk])
    response = client.post(remove, follow=True)
    assert "Milo is no longer a member." in response.content.decode()
    assert not PartnershipMembership.objects.filter(user=member).exists()

    coordinate = reverse("network:coordinate", args=[partnership.slug])
    response = client.post(coordinate, {"email": "not an address"})
    assert response.status_code == 400
    assert "not an address" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(coordinate, {"email": "nia@example.org"})
    assert response.status_code == 302
    assert mail.outbox[0].to == ["nia@example.org"]


def test_an_invitation_link_leads_through_sign_in_to_joining(
    client, partnership, coordinator, make_user, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("network:coordinate", args=[partnership.slug]), {"email": "n@e.org"})
    link = re.search(r"http\S+/network/invitations/\S+/", mail.outbox[0].body).group(0)
    path = link.removeprefix("http://127.0.0.1:8000")
    client.logout()
    page = client.get(path).content.decode()
    assert "/accounts/signup/?next=" in page and "/accounts/login/?next=" in page
    invited = make_user(email="n@e.org")
    client.force_login(invited)
    response = client.post(path)
    assert response.status_code == 302
    assert PartnershipMembership.objects.filter(partnership=partnership, user=invited).exists()
    response = client.post(path)
    assert response.status_code == 400
    assert "already been used" in response.content.decode()


def test_the_coordinators_page_costs_the_same_with_more_members(
    client, partnership, coordinator, make_user, django_assert_max_num_queries
):
    def grow(count: int) -> None:
        for _ in range(count):
            partnership_membership_add(partnership=partnership, user=make_user())
            JoinRequest.objects.create(partnership=partnership, user=make_user())

    client.force_login(coordinator)
    path = reverse("network:coordinate", args=[partnership.slug])
    grow(3)
    assert client.get(path).status_code == 200  # warms the menu and the small caches
    with django_assert_max_num_queries(30) as captured:
        client.get(path)
    baseline = len(captured.captured_queries)
    grow(9)
    with django_assert_max_num_queries(baseline):
        assert client.get(path).status_code == 200
