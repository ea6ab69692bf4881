"""Fixtures of the partnership-joining tests: the coordinator of ``partnership`` (tests/conftest.py,
Mount Kenya), and someone asking to join."""

from __future__ import annotations

import pytest

from network.models import PartnershipRole
from network.services import partnership_membership_add


@pytest.fixture
def coordinator(make_user, partnership):
    user = make_user(display_name="Cora Coordinator")
    partnership_membership_add(partnership=partnership, user=user, role=PartnershipRole.COORDINATOR)
    return user


@pytest.fixture
def requester(make_user):
    return make_user(display_name="Rita Requester")
