"""Platforms in the Wagtail admin: an administrator registers one and reads the addresses to
give it; a deployment made there starts inactive."""

from __future__ import annotations

import pytest
from django.urls import reverse
from lti_tool.models import LtiDeployment, LtiRegistration

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def test_an_administrator_registers_a_platform_and_sees_the_tools_addresses(admin_client):
    response = admin_client.post(
        reverse("wagtailsnippets_lti_tool_ltiregistration:add"),
        {
            "name": "Andes Moodle",
            "is_active": "on",
            "issuer": "https://moodle.example.edu",
            "client_id": "abc123",
            "audience": "",
            "auth_url": "https://moodle.example.edu/mod/lti/auth.php",
            "token_url": "https://moodle.example.edu/mod/lti/token.php",
            "keyset_url": "https://moodle.example.edu/mod/lti/certs.php",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    registration = LtiRegistration.objects.get(client_id="abc123")
    page = admin_client.get(
        reverse("wagtailsnippets_lti_tool_ltiregistration:edit", args=[registration.pk])
    )
    html = page.content.decode()
    assert f"http://testserver/lti/login/{registration.uuid}/" in html
    assert "http://testserver/lti/launch/" in html
    assert "http://testserver/lti/jwks.json" in html

    response = admin_client.post(
        reverse("wagtailsnippets_lti_tool_ltideployment:add"),
        {"registration": registration.pk, "deployment_id": "1"},
    )
    assert response.status_code == 302
    assert LtiDeployment.objects.get(registration=registration).is_active is False


def test_a_learner_cannot_reach_the_registrations(client, make_user):
    client.force_login(make_user())
    response = client.get(reverse("wagtailsnippets_lti_tool_ltiregistration:list"))
    assert response.status_code in (302, 403)
