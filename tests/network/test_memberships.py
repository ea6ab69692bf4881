"""Joining a partnership (``network.memberships``): asking, a coordinator's answer, invitations,
removal and following; who may do each; what the requester and the followers are told; and
that search picks up a new membership without reindexing."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

import search
from forums.models import Notification, NotificationKind
from forums.services import topic_create
from network import memberships
from network.models import (
    Follow,
    JoinRequest,
    JoinRequestStatus,
    LandscapePartnership,
    PartnershipMembership,
    PartnershipRole,
)
from network.services import partnership_membership_add

pytestmark = pytest.mark.django_db


def is_member(user, partnership) -> bool:
    return PartnershipMembership.objects.filter(partnership=partnership, user=user).exists()


# --- Asking and answering ---------------------------------------------------------------------


def test_asking_to_join_waits_for_a_coordinator(partnership, requester):
    join_request = memberships.join_request_create(
        partnership=partnership, user=requester, message="  I farm on the slopes.  "
    )
    assert isinstance(join_request, JoinRequest)
    assert join_request.status == JoinRequestStatus.PENDING
    assert join_request.message == "I farm on the slopes."
    assert not is_member(requester, partnership)
    with pytest.raises(ValidationError, match="already asked"):
        memberships.join_request_create(partnership=partnership, user=requester)


def test_an_open_partnership_lets_anyone_in_at_once(partnership, requester):
    partnership.open_to_join = True
    partnership.save()
    membership = memberships.join_request_create(partnership=partnership, user=requester)
    assert isinstance(membership, PartnershipMembership)
    assert membership.role == PartnershipRole.MEMBER
    assert not JoinRequest.objects.exists()
    with pytest.raises(ValidationError, match="already a member"):
        memberships.join_request_create(partnership=partnership, user=requester)


def test_a_coordinator_approves_and_the_requester_is_notified(
    partnership, coordinator, requester, django_capture_on_commit_callbacks
):
    join_request = memberships.join_request_create(partnership=partnership, user=requester)
    with django_capture_on_commit_callbacks(execute=True):
        memberships.join_request_approve(join_request=join_request, coordinator=coordinator)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.APPROVED
    assert join_request.decided_by == coordinator
    assert is_member(requester, partnership)
    notification = Notification.objects.get(user=requester)
    assert notification.kind == NotificationKind.JOIN_APPROVED
    assert notification.partnership == partnership
    with pytest.raises(ValidationError, match="already been answered"):
        memberships.join_request_decline(join_request=join_request, coordinator=coordinator)


def test_a_declined_requester_is_notified_and_may_ask_again(partnership, coordinator, requester):
    join_request = memberships.join_request_create(partnership=partnership, user=requester)
    memberships.join_request_decline(join_request=join_request, coordinator=coordinator)
    assert not is_member(requester, partnership)
    assert Notification.objects.get(user=requester).kind == NotificationKind.JOIN_DECLINED
    again = memberships.join_request_create(partnership=partnership, user=requester)
    assert again.pk != join_request.pk


@pytest.mark.parametrize("who", ["member", "superuser", "other_coordinator", "requester"])
def test_only_the_partnerships_coordinators_answer(partnership, requester, make_user, who):
    if who == "member":
        actor = make_user()
        partnership_membership_add(partnership=partnership, user=actor)
    elif who == "superuser":
        actor = make_user(is_staff=True, is_superuser=True)
    elif who == "other_coordinator":
        actor = make_user()
        elsewhere = LandscapePartnership.objects.create(
            name="Elsewhere", slug="elsewhere", country="BR", region="latin-america"
        )
        partnership_membership_add(
            partnership=elsewhere, user=actor, role=PartnershipRole.COORDINATOR
        )
    else:
        actor = requester
    join_request = memberships.join_request_create(partnership=partnership, user=requester)
    for decide in (memberships.join_request_approve, memberships.join_request_decline):
        with pytest.raises(PermissionDenied):
            decide(join_request=join_request, coordinator=actor)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.PENDING
    assert not is_member(requester, partnership)


def test_nobody_approves_their_own_request(partnership, requester):
    join_request = memberships.join_request_create(partnership=partnership, user=requester)
    # An editor made the requester a coordinator in the admin while the request waited.
    partnership_membership_add(
        partnership=partnership, user=requester, role=PartnershipRole.COORDINATOR
    )
    with pytest.raises(PermissionDenied, match="Another coordinator"):
        memberships.join_request_approve(join_request=join_request, coordinator=requester)


def test_requests_to_join_are_rate_limited(settings, requester, make_user):
    settings.NETWORK_JOIN_REQUESTS_PER_MINUTE = 2
    partnerships = [
        LandscapePartnership.objects.create(
            name=f"P{number}", slug=f"p{number}", country="KE", region="africa"
        )
        for number in range(3)
    ]
    for partnership in partnerships[:2]:
        memberships.join_request_create(partnership=partnership, user=requester)
    with pytest.raises(ValidationError) as refused:
        memberships.join_request_create(partnership=partnerships[2], user=requester)
    assert memberships.is_rate_limited(refused.value)
    assert not JoinRequest.objects.filter(partnership=partnerships[2]).exists()


# --- Invitations -----------------------------------------------------------------------------


def _link_token(message) -> str:
    match = re.search(r"/network/invitations/([^/\s]+)/", message.body)
    assert match, message.body
    return match.group(1)


def test_an_invitation_mails_a_signed_link_that_works_once_for_that_address(
    partnership, coordinator, make_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        memberships.invitation_create(
            partnership=partnership, coordinator=coordinator, email="Nia@Example.org"
        )
    (message,) = mail.outbox
    assert message.to == ["Nia@example.org"]
    assert "Mount Kenya Landscape" in message.subject
    invitation = memberships.invitation_from_token(_link_token(message))

    someone_else = make_user(email="other@example.org")
    with pytest.raises(PermissionDenied, match="another address"):
        memberships.invitation_accept(invitation=invitation, user=someone_else)
    invited = make_user(email="nia@example.org")
    memberships.invitation_accept(invitation=invitation, user=invited)
    assert is_member(invited, partnership)
    with pytest.raises(ValidationError, match="already been used"):
        memberships.invitation_accept(invitation=invitation, user=invited)


def test_a_tampered_or_expired_invitation_link_is_refused(settings, partnership, coordinator):
    invitation = memberships.invitation_create(
        partnership=partnership, coordinator=coordinator, email="nia@example.org"
    )
    token = memberships.invitation_token(invitation)
    with pytest.raises(ValidationError, match="not valid"):
        memberships.invitation_from_token(token[:-2] + "xx")
    settings.NETWORK_INVITATION_MAX_AGE = -1
    with pytest.raises(ValidationError, match="expired"):
        memberships.invitation_from_token(token)


def test_only_coordinators_invite_and_invitations_are_rate_limited(
    settings, partnership, coordinator, make_user
):
    member = make_user()
    partnership_membership_add(partnership=partnership, user=member)
    with pytest.raises(PermissionDenied):
        memberships.invitation_create(
            partnership=partnership, coordinator=member, email="x@example.org"
        )
    settings.NETWORK_INVITATIONS_PER_MINUTE = 1
    memberships.invitation_create(
        partnership=partnership, coordinator=coordinator, email="a@example.org"
    )
    with pytest.raises(ValidationError) as refused:
        memberships.invitation_create(
            partnership=partnership, coordinator=coordinator, email="b@example.org"
        )
    assert memberships.is_rate_limited(refused.value)


# --- Removing ------------------------------------------------------------------------------


def test_a_coordinator_removes_a_member_but_not_themself(partnership, coordinator, make_user):
    member = make_user()
    partnership_membership_add(partnership=partnership, user=member)
    with pytest.raises(PermissionDenied):
        memberships.membership_remove_by_coordinator(
            partnership=partnership, coordinator=member, user=coordinator
        )
    with pytest.raises(ValidationError):
        memberships.membership_remove_by_coordinator(
            partnership=partnership, coordinator=coordinator, user=coordinator
        )
    assert memberships.membership_remove_by_coordinator(
        partnership=partnership, coordinator=coordinator, user=member
    )
    assert not is_member(member, partnership)
    assert is_member(coordinator, partnership)


# --- Following -----------------------------------------------------------------------------


def test_following_is_idempotent_and_counted(partnership, make_user):
    from network.selectors import joining_state

    follower = make_user()
    memberships.follow_create(partnership=partnership, user=follower)
    memberships.follow_create(partnership=partnership, user=follower)
    assert Follow.objects.filter(partnership=partnership).count() == 1
    state = joining_state(follower, partnership)
    assert state["following"] is True
    assert state["followers"] == 1
    assert state["role"] is None
    assert memberships.follow_delete(partnership=partnership, user=follower)
    assert joining_state(follower, partnership)["following"] is False


def test_followers_who_may_read_hear_of_a_new_topic_in_the_partnerships_room(
    partnership, coordinator, make_user
):
    """The partnership's rooms are private: a follower who is a member hears of a new topic;
    one who is not is never told it exists."""
    from forums.models import Category

    room = Category.objects.create(name="Kijabe room", slug="kijabe-room", partnership=partnership)
    following_member, following_outsider = make_user(), make_user()
    partnership_membership_add(partnership=partnership, user=following_member)
    for follower in (following_member, following_outsider):
        memberships.follow_create(partnership=partnership, user=follower)
    topic = topic_create(author=coordinator, category=room, title="Nursery budget", body="Sums.")
    notification = Notification.objects.get(user=following_member)
    assert (notification.kind, notification.topic) == (NotificationKind.PARTNERSHIP_TOPIC, topic)
    assert not Notification.objects.filter(user=following_outsider).exists()


# --- A write's cost, and search ----------------------------------------------------------------


@pytest.mark.parametrize(
    "write", ["approve", "decline", "remove", "invite", "accept", "follow", "join"]
)
def test_a_writes_query_count_does_not_grow_with_the_members(
    partnership, coordinator, make_user, write
):
    """Each write at 2 and at 22 members costs the same number of queries."""

    def prepare():
        requester = make_user()
        join_request = memberships.join_request_create(partnership=partnership, user=requester)
        invitation = memberships.invitation_create(
            partnership=partnership, coordinator=coordinator, email=f"x{requester.pk}@e.org"
        )
        invited = make_user(email=f"x{requester.pk}@e.org")
        member = make_user()
        partnership_membership_add(partnership=partnership, user=member)
        return {
            "approve": lambda: memberships.join_request_approve(
                join_request=join_request, coordinator=coordinator
            ),
            "decline": lambda: memberships.join_request_decline(
                join_request=join_request, coordinator=coordinator
            ),
            "remove": lambda: memberships.membership_remove_by_coordinator(
                partnership=partnership, coordinator=coordinator, user=member
            ),
            "invite": lambda: memberships.invitation_create(
                partnership=partnership, coordinator=coordinator, email=f"y{member.pk}@e.org"
            ),
            "accept": lambda: memberships.invitation_accept(invitation=invitation, user=invited),
            "follow": lambda: memberships.follow_create(partnership=partnership, user=requester),
            "join": lambda: memberships.join_request_create(
                partnership=partnership, user=make_user()
            ),
        }[write]

    prepare()()  # warms what a first call loads once per process (content types, caches)
    counts = []
    for size in (2, 22):
        while partnership.memberships.count() < size:
            partnership_membership_add(partnership=partnership, user=make_user())
        action = prepare()
        with CaptureQueriesContext(connection) as captured:
            action()
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts


def test_search_finds_the_private_room_as_soon_as_a_request_is_approved(
    partnership, coordinator, requester, django_capture_on_commit_callbacks
):
    """Documents store the partnership id as their audience; the query reads the reader's
    memberships each time, so approval opens the results and removal closes them, with no
    reindexing in between."""
    from forums.models import Category

    room = Category.objects.create(name="Kijabe room", slug="kijabe-room", partnership=partnership)
    with django_capture_on_commit_callbacks(execute=True):
        topic_create(
            author=coordinator, category=room, title="Nursery budget", body="Confidential sums."
        )

    def titles():
        return [hit.title for hit in search.query("confidential", user=requester).hits]

    assert titles() == []
    join_request = memberships.join_request_create(partnership=partnership, user=requester)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        memberships.join_request_approve(join_request=join_request, coordinator=coordinator)
    assert titles() == ["Nursery budget"]
    with django_capture_on_commit_callbacks(execute=True):
        memberships.membership_remove_by_coordinator(
            partnership=partnership, coordinator=coordinator, user=requester
        )
    assert titles() == []
    assert callbacks  # the approval announced itself after commit (sockets, notifications)
