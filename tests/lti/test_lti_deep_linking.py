"""Deep linking: a platform's teacher launches our tool to pick content, picks a lesson, and gets
back an LtiDeepLinkingResponse signed with our key that names it as an LtiResourceLink (with a
line item, so its launches carry AGS); the platform's own check of that JWT is PyJWT against
our served key set. A learner cannot pick; a launch id nobody issued is refused."""

from __future__ import annotations

import re

import jwt
import pytest
from django.test import Client

from lti.models import LinkedAccount
from tests.lti.lti_platform import LTI
from tests.lti.test_lti_launch import launch

pytestmark = pytest.mark.django_db

DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


def deep_link_request(platform, **overrides) -> dict:
    return {
        "message_type": "LtiDeepLinkingRequest",
        "roles": [INSTRUCTOR],
        "resource_link": None,
        DL + "deep_linking_settings": {
            "deep_link_return_url": f"{platform.origin}/deep-link-return",
            "accept_types": ["ltiResourceLink"],
            "accept_presentation_document_targets": ["iframe", "window"],
            "data": "opaque-platform-data",
        },
        **overrides,
    }


def launch_id_of(html: str) -> str:
    found = re.search(r'name="launch_id" value="([^"]+)"', html)
    assert found, html[:2000]
    return found.group(1)


@pytest.fixture
def course(make_course):
    return make_course(title="Páramo water", modules=1, lessons=2, quiz=True)


def test_a_teacher_picks_a_lesson_and_the_platform_gets_a_resource_link_signed_with_our_key(
    client, platform, registration, course
):
    response, _form = launch(client, platform, registration, **deep_link_request(platform))
    assert response.status_code == 200
    html = response.content.decode()
    lesson = course.quiz_lesson
    assert "The whole course: Páramo water" in html
    assert f'value="{lesson.pk}"' in html
    assert f"frame-ancestors {platform.origin}" in response["Content-Security-Policy"]
    assert not LinkedAccount.objects.exists()  # picking signs nobody in

    choice = Client().post(
        "/lti/deep-link/", {"launch_id": launch_id_of(html), "page": str(lesson.pk)}
    )
    assert choice.status_code == 200
    page = choice.content.decode()
    assert f'action="{platform.origin}/deep-link-return"' in page
    assert f"form-action 'self' {platform.origin}" in choice["Content-Security-Policy"]
    token = re.search(r'name="JWT" value="([^"]+)"', page).group(1)

    # The platform's side: our key set, the kid the JWT names, the platform as audience.
    keys = {key["kid"]: key for key in client.get("/lti/jwks.json").json()["keys"]}
    kid = jwt.get_unverified_header(token)["kid"]
    claims = jwt.decode(
        token,
        jwt.algorithms.RSAAlgorithm.from_jwk(keys[kid]),
        algorithms=["RS256"],
        audience=platform.issuer,
    )
    assert claims["iss"] == platform.client_id
    assert claims[LTI + "message_type"] == "LtiDeepLinkingResponse"
    assert claims[LTI + "deployment_id"] == platform.deployment_id
    assert claims[DL + "data"] == "opaque-platform-data"
    assert claims[DL + "content_items"] == [
        {
            "type": "ltiResourceLink",
            "title": lesson.title,
            "url": "http://testserver/lti/launch/",
            "custom": {"lesson": str(lesson.pk)},
            "lineItem": {
                "scoreMaximum": 100,
                "label": lesson.title,
                "resourceId": str(lesson.translation_key),
            },
        }
    ]


def test_a_learner_cannot_pick_content(client, platform, registration, course):
    response, _form = launch(
        client, platform, registration, **deep_link_request(platform, roles=[LTI + "x"])
    )
    assert response.status_code == 403
    assert "can add activities from this site" in response.content.decode()
    assert 'name="launch_id"' not in response.content.decode()


def test_a_pick_of_something_not_ours_or_without_a_launch_is_refused(
    client, platform, registration, course
):
    response, _form = launch(client, platform, registration, **deep_link_request(platform))
    launch_id = launch_id_of(response.content.decode())
    home = course.course.get_parent().get_parent()
    nothing = client.post("/lti/deep-link/", {"launch_id": launch_id, "page": str(home.pk)})
    assert nothing.status_code == 404
    made_up = client.post(
        "/lti/deep-link/",
        {"launch_id": "lti1p3-launch-00000000-0000-4000-8000-000000000000", "page": "1"},
    )
    assert made_up.status_code == 403
    assert "JWT" not in made_up.content.decode()
