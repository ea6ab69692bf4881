"""Coordinators keep their portfolio through the services: checks, validation, fixed costs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from finance import services
from finance.models import Project
from finance.services import Outcome
from library.models import SustainableDevelopmentGoal
from tests.finance.projects import project_data

pytestmark = pytest.mark.django_db


def test_coordinator_creates_a_project_with_goals_and_outcomes(partnership, coordinator):
    project = services.project_create(
        partnership=partnership, coordinator=coordinator, data=project_data()
    )
    project.refresh_from_db()
    assert project.slug == "terraces-for-kijabe"
    assert project.amount_sought == Decimal("250000.00")
    assert isinstance(project.amount_sought, Decimal)
    assert sorted(goal.number for goal in project.sdgs.all()) == [2, 15]
    assert [(o.label, o.value, o.unit) for o in project.outcomes.all()] == [
        ("Land restored", Decimal("300.00"), "ha")
    ]


def test_a_second_project_with_the_same_title_gets_its_own_address(make_project):
    first, second = make_project(), make_project()
    assert (first.slug, second.slug) == ("terraces-for-kijabe", "terraces-for-kijabe-2")


def test_a_title_new_does_not_take_the_forms_address(make_project):
    assert make_project(title="New").slug == "new-2"


@pytest.mark.parametrize("who", ["member", "funder", "staff"])
def test_only_coordinators_write_the_portfolio(request, partnership, make_user, who):
    user = (
        make_user(is_staff=True, is_superuser=True)
        if who == "staff"
        else request.getfixturevalue(who)
    )
    with pytest.raises(PermissionDenied):
        services.project_create(partnership=partnership, coordinator=user, data=project_data())
    assert not Project.objects.exists()


def test_a_coordinator_of_another_partnership_cannot_edit(project, make_user):
    from network.models import LandscapePartnership, PartnershipRole
    from network.services import partnership_membership_add

    other = LandscapePartnership.objects.create(
        name="Other", slug="other", country="BR", region="latin-america"
    )
    stranger = make_user()
    partnership_membership_add(partnership=other, user=stranger, role=PartnershipRole.COORDINATOR)
    with pytest.raises(PermissionDenied):
        services.project_update(project=project, coordinator=stranger, data=project_data())


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"latitude": Decimal("91"), "longitude": Decimal("10")}, "latitude"),
        ({"latitude": Decimal("10"), "longitude": Decimal("-181")}, "longitude"),
        ({"latitude": Decimal("10"), "longitude": None}, "__all__"),
        ({"amount_sought": Decimal("0")}, "amount_sought"),
        ({"currency": "XYZ"}, "currency"),
        ({"kind": "gift"}, "kind"),
    ],
    ids=[
        "latitude-out-of-range",
        "longitude-out-of-range",
        "half-a-point",
        "zero",
        "currency",
        "kind",
    ],
)
def test_invalid_projects_are_refused_and_nothing_is_saved(
    partnership, coordinator, overrides, field
):
    with pytest.raises(ValidationError) as refused:
        services.project_create(
            partnership=partnership, coordinator=coordinator, data=project_data(**overrides)
        )
    assert field in refused.value.message_dict
    assert not Project.objects.exists()


def test_an_update_replaces_outcomes_and_goals_and_keeps_the_address(project, coordinator):
    services.project_update(
        project=project,
        coordinator=coordinator,
        data=project_data(
            title="Renamed",
            sdgs=list(SustainableDevelopmentGoal.objects.filter(number=13)),
            outcomes=[Outcome(label="Carbon", value=Decimal("1200"), unit="t CO2e")],
        ),
    )
    project.refresh_from_db()
    assert (project.title, project.slug) == ("Renamed", "terraces-for-kijabe")
    assert [goal.number for goal in project.sdgs.all()] == [13]
    assert [o.unit for o in project.outcomes.all()] == ["t CO2e"]


def _outcomes(count: int) -> list[Outcome]:
    return [Outcome(label=f"Outcome {n}", value=Decimal(n), unit="ha") for n in range(count)]


@pytest.mark.parametrize("size", [1, 10], ids=["one-outcome", "ten-outcomes"])
def test_writing_a_project_costs_the_same_whatever_its_size(
    partnership, coordinator, django_assert_num_queries, size
):
    goals = list(SustainableDevelopmentGoal.objects.order_by("number")[: size + 1])
    data = project_data(sdgs=goals, outcomes=_outcomes(size))
    with django_assert_num_queries(QUERIES_TO_CREATE):
        project = services.project_create(
            partnership=partnership, coordinator=coordinator, data=data
        )
    with django_assert_num_queries(QUERIES_TO_UPDATE):
        services.project_update(project=project, coordinator=coordinator, data=data)


#: Coordinator check, slug, insert, outcomes delete + bulk insert, goals set, and the
#: savepoint of the transaction; the same for one outcome or ten, one goal or eleven.
QUERIES_TO_CREATE = 13
QUERIES_TO_UPDATE = 12
