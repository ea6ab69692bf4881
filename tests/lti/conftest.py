"""A platform stand-in running for each test, registered here with an active deployment, and
the course fixtures of tests/courses."""

from __future__ import annotations

import pytest
from lti_tool.models import LtiDeployment, LtiRegistration

from tests.courses.conftest import catalogue, make_course  # noqa: F401 (fixtures)
from tests.lti.lti_platform import Platform


def register(platform: Platform) -> LtiRegistration:
    """What an institute's administrator enters for this platform, its deployment activated."""
    registration = LtiRegistration.objects.create(
        name="Andes Moodle",
        issuer=platform.issuer,
        client_id=platform.client_id,
        auth_url=platform.auth_url,
        token_url=platform.token_url,
        keyset_url=platform.jwks_url,
    )
    LtiDeployment.objects.create(
        registration=registration, deployment_id=platform.deployment_id, is_active=True
    )
    return registration


@pytest.fixture
def platform():
    with Platform() as running:
        yield running


@pytest.fixture
def registration(db, platform) -> LtiRegistration:
    return register(platform)
