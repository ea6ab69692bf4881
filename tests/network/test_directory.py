"""The partnership and organisation directory, and what it shows of each member."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from network.models import (
    LandscapePartnership,
    Organisation,
    OrganisationMembership,
    ProfileVisibility,
)
from network.roles import Role
from network.selectors import partnership_ids_for
from network.services import partnership_membership_add, partnership_membership_remove
from network.signals import membership_changed

pytestmark = pytest.mark.django_db


def make_partnership(**fields) -> LandscapePartnership:
    fields.setdefault("name", "Mount Kenya Landscape")
    fields.setdefault("slug", "mount-kenya-landscape")
    fields.setdefault("country", "KE")
    fields.setdefault("region", "africa")
    fields.setdefault("latitude", Decimal("-0.15"))
    fields.setdefault("longitude", Decimal("37.3"))
    return LandscapePartnership.objects.create(**fields)


@pytest.fixture
def partnership_with_members(make_user):
    partnership = make_partnership()
    public = make_user(display_name="Wanjiru Public", profile_visibility=ProfileVisibility.PUBLIC)
    members_only = make_user(
        display_name="Otieno Members", profile_visibility=ProfileVisibility.MEMBERS
    )
    private = make_user(
        display_name="Achieng Private", profile_visibility=ProfileVisibility.PRIVATE
    )
    for person in (public, members_only, private):
        partnership_membership_add(partnership=partnership, user=person)
    return partnership, public, members_only, private


def test_directory_filters_partnerships_by_region(client):
    make_partnership()
    make_partnership(
        name="Cauca River Watershed", slug="cauca", country="CO", region="latin-america"
    )
    response = client.get(reverse("network:directory") + "?region=latin-america")
    names = [item.name for item in response.context["page"].object_list]
    assert names == ["Cauca River Watershed"]


@pytest.mark.parametrize("query", ["?region=moon", "?country=QQ", "?page=-1", "?q=" + "y" * 400])
def test_directory_ignores_malformed_filters(client, query):
    make_partnership()
    response = client.get(reverse("network:directory") + query)
    assert response.status_code == 200
    assert "Mount Kenya Landscape" in response.content.decode()


def test_partnership_page_names_only_members_the_visitor_may_see(client, partnership_with_members):
    partnership, _public, _members_only, private = partnership_with_members
    html = client.get(partnership.get_absolute_url()).content.decode()
    assert "Wanjiru Public" in html
    assert "Otieno Members" not in html
    assert "Achieng Private" not in html
    assert private.username not in html and private.email not in html
    assert "and 2 members who do not share their profile here." in html


def test_signed_in_members_see_members_only_profiles_but_never_private_ones(
    client, make_user, partnership_with_members
):
    partnership, _public, _members_only, private = partnership_with_members
    client.force_login(make_user())
    html = client.get(partnership.get_absolute_url()).content.decode()
    assert "Otieno Members" in html
    assert "Achieng Private" not in html
    assert private.email not in html


def test_partnership_page_shows_its_organisations_and_map(client):
    partnership = make_partnership()
    ngo = Organisation.objects.create(name="Green Belt Friends", slug="gbf", type="ngo")
    partnership.organisations.add(ngo)
    partnership.save()  # a ParentalManyToManyField writes on save
    html = client.get(partnership.get_absolute_url()).content.decode()
    assert "Green Belt Friends" in html
    assert 'id="partnership-location"' in html


def test_organisation_page_lists_people_by_visibility(client, make_user):
    organisation = Organisation.objects.create(name="Water Fund", slug="water-fund", type="finance")
    shown = make_user(display_name="Shown Person", profile_visibility=ProfileVisibility.PUBLIC)
    hidden = make_user(display_name="Hidden Person", profile_visibility=ProfileVisibility.PRIVATE)
    for person in (shown, hidden):
        OrganisationMembership.objects.create(organisation=organisation, user=person)
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert "Shown Person" in html
    assert "Hidden Person" not in html


def test_organisation_directory_filters_by_type(client):
    Organisation.objects.create(name="Water Fund", slug="water-fund", type="finance")
    Organisation.objects.create(name="Farmers Union", slug="farmers", type="community")
    response = client.get(reverse("network:organisations") + "?type=finance")
    assert [item.name for item in response.context["page"].object_list] == ["Water Fund"]


@pytest.mark.parametrize("name", ["network:partnership", "network:organisation"])
def test_unknown_profile_is_404(client, name):
    assert client.get(reverse(name, args=["nowhere"])).status_code == 404


def test_directory_query_count_is_flat(client, django_assert_max_num_queries):
    for number in range(3):
        make_partnership(name=f"P{number}", slug=f"p{number}")
    with django_assert_max_num_queries(12) as baseline:
        client.get(reverse("network:directory"))
    for number in range(3, 20):
        make_partnership(name=f"P{number}", slug=f"p{number}")
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get(reverse("network:directory"))


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"latitude": Decimal("-91")}, "latitude", "Latitude must be between -90 and 90."),
        ({"longitude": Decimal("200")}, "longitude", "Longitude must be between -180 and 180."),
        ({"area_hectares": Decimal("-1")}, "area_hectares", "The area cannot be negative."),
        ({"country": "XX"}, "country", "is not a valid choice"),
        ({"latitude": None}, "__all__", "Give both latitude and longitude, or neither."),
    ],
)
def test_bad_partnership_data_is_rejected_with_a_clear_message(fields, field, message):
    partnership = make_partnership()
    for name, value in fields.items():
        setattr(partnership, name, value)
    with pytest.raises(ValidationError) as error:
        partnership.full_clean()
    assert message in " ".join(error.value.message_dict[field])


def test_admin_rejects_impossible_coordinates_with_a_message(client, make_user):
    editor = make_user(Role.EDITOR, is_staff=True, is_superuser=True)
    client.force_login(editor)
    response = client.post(
        reverse("wagtailsnippets_network_landscapepartnership:add"),
        {
            "name": "Nowhere",
            "slug": "nowhere",
            "country": "KE",
            "region": "africa",
            "latitude": "95",
            "longitude": "10",
            "area_hectares": "-3",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Latitude must be between -90 and 90." in html
    assert "The area cannot be negative." in html
    assert not LandscapePartnership.objects.filter(slug="nowhere").exists()


def test_membership_changes_are_announced_after_commit(
    make_user, django_capture_on_commit_callbacks
):
    partnership = make_partnership()
    person = make_user()
    heard: list[tuple[int, int]] = []

    def listener(sender, user_id, partnership_id, **kwargs):
        heard.append((user_id, partnership_id))

    membership_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            partnership_membership_add(partnership=partnership, user=person)
        assert partnership_ids_for(person) == {partnership.pk}
        with django_capture_on_commit_callbacks(execute=True):
            assert partnership_membership_remove(partnership=partnership, user=person)
    finally:
        membership_changed.disconnect(listener)
    assert heard == [(person.pk, partnership.pk), (person.pk, partnership.pk)]
    assert partnership_ids_for(person) == frozenset()


def test_signed_out_visitors_belong_to_no_partnership():
    from django.contrib.auth.models import AnonymousUser

    assert partnership_ids_for(AnonymousUser()) == frozenset()
