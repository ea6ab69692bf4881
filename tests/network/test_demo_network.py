"""seed_demo fills the network: organisations, six partnerships and the people in them."""

from __future__ import annotations

import io

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.db.models.signals import post_save

from network import demo_content
from network.models import (
    LandscapePartnership,
    Organisation,
    OrganisationMembership,
    PartnershipMembership,
    PartnershipRole,
    ProfileVisibility,
    User,
)

pytestmark = pytest.mark.django_db

DEMO_LOGINS = ["learner", "trainer", "moderator", "editor"]


@pytest.fixture
def seeded(seeded_demo) -> None:
    """The demo, seeded once for the module (tests/conftest.py ``demo_site``)."""


def test_six_partnerships_with_a_place_a_story_and_varied_organisations(seeded):
    partnerships = LandscapePartnership.objects.filter(
        slug__in=[data["slug"] for data in demo_content.PARTNERSHIPS]
    )
    assert partnerships.count() == 6
    assert len({partnership.region for partnership in partnerships}) == 6
    for partnership in partnerships:
        partnership.full_clean()
        assert partnership.has_location
        assert partnership.area_hectares > 0
        assert partnership.description.count("\n\n") >= 1, partnership.slug
        assert partnership.website.startswith("https://example.org/")
        assert partnership.contact_email.endswith("@example.org")
        types = [organisation.type for organisation in partnership.organisations.all()]
        assert 2 <= len(types) <= 4, partnership.slug
        assert len(set(types)) == len(types), partnership.slug
    organisations = Organisation.objects.filter(
        slug__in=[data["slug"] for data in demo_content.ORGANISATIONS]
    )
    assert organisations.count() >= 14
    assert len({organisation.type for organisation in organisations}) >= 5
    for organisation in organisations:
        organisation.full_clean()
        assert organisation.website.startswith("https://example.org/")


def test_partnerships_have_coordinators_members_and_the_demo_logins(seeded):
    for partnership in LandscapePartnership.objects.filter(
        slug__in=[data["slug"] for data in demo_content.PARTNERSHIPS]
    ):
        memberships = partnership.memberships.all()
        assert memberships.count() >= 2, partnership.slug
        assert memberships.filter(role=PartnershipRole.COORDINATOR).exists(), partnership.slug
    for username in DEMO_LOGINS:
        assert PartnershipMembership.objects.filter(user__username=username).exists(), username
        # Joining partnerships leaves the printed demo passwords working.
        assert User.objects.get(username=username).check_password(f"{username}-demo-2026")
    slugs = set(
        PartnershipMembership.objects.filter(user__username__in=DEMO_LOGINS).values_list(
            "partnership__slug", flat=True
        )
    )
    assert len(slugs) >= 4


def test_extra_members_cannot_log_in_but_have_verified_addresses(seeded):
    usernames = [data["username"] for data in demo_content.DEMO_MEMBERS]
    members = User.objects.filter(username__in=usernames)
    assert members.count() == len(usernames) >= 12
    for member in members:
        assert not member.has_usable_password(), member.username
        assert EmailAddress.objects.get(user=member).verified
        assert member.organisation_name
        assert OrganisationMembership.objects.filter(user=member).exists()
        assert member.partnership_memberships.exists()
        member.full_clean(exclude=["password", "avatar"])
    visibilities = [member.profile_visibility for member in members]
    assert visibilities.count(ProfileVisibility.PRIVATE) >= 2
    assert set(visibilities) == set(ProfileVisibility.values)


def test_forums_partnership_slug_is_left_free_for_the_forums_demo():
    slugs = {data["slug"] for data in demo_content.PARTNERSHIPS}
    assert "kijabe-highlands-partnership" not in slugs


def test_seed_twice_creates_and_announces_nothing_new(seeded):
    models = [
        User,
        EmailAddress,
        Organisation,
        LandscapePartnership,
        PartnershipMembership,
        OrganisationMembership,
    ]
    counts = [model.objects.count() for model in models]
    saved = []

    def record(sender, **kwargs):
        saved.append(kwargs["instance"])

    post_save.connect(record, sender=PartnershipMembership, dispatch_uid="test-demo-rerun")
    try:
        call_command("seed_demo", stdout=io.StringIO())
    finally:
        post_save.disconnect(sender=PartnershipMembership, dispatch_uid="test-demo-rerun")
    assert [model.objects.count() for model in models] == counts
    assert saved == []


def test_one_partnership_is_open_and_a_coordinator_has_a_request_to_answer(seeded):
    from network.models import JoinRequest, JoinRequestStatus

    assert list(
        LandscapePartnership.objects.filter(open_to_join=True).values_list("slug", flat=True)
    ) == ["ba-river-catchment"]
    waiting = JoinRequest.objects.get(status=JoinRequestStatus.PENDING)
    assert waiting.user.username == "learner"
    # A demo login coordinates the partnership, so the request can be answered from the site.
    assert PartnershipMembership.objects.filter(
        partnership=waiting.partnership,
        user__username="trainer",
        role=PartnershipRole.COORDINATOR,
    ).exists()
    call_command("seed_demo", stdout=io.StringIO())  # a rerun adds nothing
    assert JoinRequest.objects.count() == 1
