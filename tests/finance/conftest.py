"""A partnership with a coordinator and a member, a funder outside it, and a way to write
projects through the services (as coordinators do)."""

from __future__ import annotations

import pytest

from finance import services
from network.models import PartnershipRole
from network.services import partnership_membership_add
from tests.finance.projects import project_data


@pytest.fixture
def coordinator(make_user, partnership):
    user = make_user(display_name="Coordinator One")
    partnership_membership_add(partnership=partnership, user=user, role=PartnershipRole.COORDINATOR)
    return user


@pytest.fixture
def second_coordinator(make_user, partnership):
    user = make_user(display_name="Coordinator Two")
    partnership_membership_add(partnership=partnership, user=user, role=PartnershipRole.COORDINATOR)
    return user


@pytest.fixture
def member(make_user, partnership):
    user = make_user(display_name="Plain Member")
    partnership_membership_add(partnership=partnership, user=user)
    return user


@pytest.fixture
def funder(make_user):
    return make_user(display_name="Green Fund Officer")


@pytest.fixture
def make_project(partnership, coordinator):
    def factory(**overrides):
        return services.project_create(
            partnership=partnership, coordinator=coordinator, data=project_data(**overrides)
        )

    return factory


@pytest.fixture
def project(make_project):
    return make_project()
