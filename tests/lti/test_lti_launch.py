"""The tool's endpoints driven by the platform stand-in through the Django test client: the
OIDC login initiation, then a launch whose id_token the platform signed. Every refusal is
pylti1p3's (signature against the platform's key set, expiry, audience, nonce, state,
deployment), except the replayed nonce, which the tool's own ``UsedLaunch`` row refuses."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from lti_tool.models import Key, LtiDeployment, LtiUser

from courses import signals
from courses.models import Enrolment
from lti.models import ContextCohort, LinkedAccount, UsedLaunch
from network.models import User
from tests.lti.lti_platform import new_key

pytestmark = pytest.mark.django_db


def log_in_from_platform(client: Client, platform, registration) -> dict[str, str]:
    """The platform's login initiation; returns what our redirect sent to its auth URL."""
    response = client.get(
        f"/lti/login/{registration.uuid}/",
        {
            "iss": platform.issuer,
            "login_hint": "learner-1",
            "target_link_uri": "http://testserver/",
            "client_id": platform.client_id,
            "lti_deployment_id": platform.deployment_id,
        },
    )
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == platform.auth_url
    return {name: values[0] for name, values in parse_qs(location.query).items()}


def launch(client: Client, platform, registration, *, key=None, **overrides):
    auth = log_in_from_platform(client, platform, registration)
    assert auth["redirect_uri"] == "http://testserver/lti/launch/"
    claims = platform.claims(**{"nonce": auth["nonce"], **overrides})
    form = {"id_token": platform.id_token(claims, key=key), "state": auth["state"]}
    return client.post("/lti/launch/", form), form


@pytest.fixture
def course(make_course):
    return make_course(modules=1, lessons=2, quiz=False)


def test_a_valid_launch_signs_in_a_linked_account_enrolled_in_the_contexts_cohort(
    client, platform, registration, course
):
    heard = []

    def receiver(**kwargs):
        heard.append(kwargs)

    signals.launched.connect(receiver)
    try:
        lesson = course.lessons[1]
        response, _form = launch(client, platform, registration, custom={"lesson": str(lesson.pk)})
    finally:
        signals.launched.disconnect(receiver)

    assert response.status_code == 302
    assert response["Location"] == lesson.get_url()
    account = LinkedAccount.objects.get(issuer=platform.issuer, sub="learner-1")
    user = account.user
    assert (user.first_name, user.last_name, user.email) == (
        "Ana",
        "Quispe",
        "ana.quispe@example.edu",
    )
    assert not user.has_usable_password()
    assert LtiUser.objects.get(sub="learner-1").auth_user == user
    enrolment = Enrolment.objects.get(user=user, course_key=course.course.translation_key)
    assert enrolment.cohort.name == "Watersheds 101"
    assert ContextCohort.objects.get(context_id="course-101").cohort == enrolment.cohort
    assert [(h["user"], h["course"].pk, h["lesson"].pk, h["via"]) for h in heard] == [
        (user, course.course.pk, lesson.pk, "lti")
    ]

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert lesson.title in page.content.decode()
    policy = page["Content-Security-Policy"]
    assert f"frame-ancestors {platform.origin}" in policy
    assert "frame-ancestors 'none'" not in policy
    assert "X-Frame-Options" not in page


def test_a_second_launch_of_the_same_person_reuses_their_account_and_cohort(
    client, platform, registration, course
):
    lesson = course.lessons[0]
    launch(client, platform, registration, custom={"lesson": str(lesson.pk)})
    other_device = Client()
    response, _form = launch(
        other_device, platform, registration, custom={"lesson": str(lesson.pk)}
    )
    assert response.status_code == 302
    assert LinkedAccount.objects.count() == 1
    assert User.objects.filter(lti_accounts__isnull=False).count() == 1
    assert ContextCohort.objects.count() == 1
    classmate = Client()
    launch(
        classmate,
        platform,
        registration,
        sub="learner-2",
        email=None,
        custom={"lesson": str(lesson.pk)},
    )
    second = LinkedAccount.objects.get(sub="learner-2").user
    assert second.email.endswith("@lti.invalid")
    cohorts = set(Enrolment.objects.values_list("cohort", flat=True))
    assert len(cohorts) == 1


def test_a_launch_signed_with_another_key_is_refused_with_a_clear_page(
    client, platform, registration, course
):
    response, _form = launch(
        client, platform, registration, key=new_key(), custom={"course": str(course.course.pk)}
    )
    assert response.status_code == 403
    assert "could not be verified" in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert not LinkedAccount.objects.exists()
    assert "_auth_user_id" not in client.session


def test_a_replayed_launch_is_refused(client, platform, registration, course):
    response, form = launch(
        client, platform, registration, custom={"course": str(course.course.pk)}
    )
    assert response.status_code == 302
    # The same id_token and state, posted again (from another browser, with no cookie).
    attacker = Client()
    replay = attacker.post("/lti/launch/", form)
    assert replay.status_code == 400
    assert "already used" in replay.content.decode()
    assert UsedLaunch.objects.count() == 1
    assert "_auth_user_id" not in attacker.session


def test_an_expired_launch_is_refused(client, platform, registration, course):
    response, _form = launch(
        client, platform, registration, exp=1_000_000, custom={"course": str(course.course.pk)}
    )
    assert response.status_code == 403
    assert not LinkedAccount.objects.exists()


def test_a_launch_for_another_audience_is_refused(client, platform, registration, course):
    response, _form = launch(
        client, platform, registration, aud="someone-else", custom={"course": str(course.course.pk)}
    )
    assert response.status_code == 403
    assert not LinkedAccount.objects.exists()


def test_a_launch_with_a_nonce_we_never_issued_is_refused(client, platform, registration, course):
    response, _form = launch(
        client, platform, registration, nonce="made-up", custom={"course": str(course.course.pk)}
    )
    assert response.status_code == 403


def test_an_unknown_deployment_waits_inactive_until_an_administrator_activates_it(
    client, platform, registration, course
):
    response, _form = launch(
        client,
        platform,
        registration,
        deployment_id="dep-new",
        custom={"course": str(course.course.pk)},
    )
    assert response.status_code == 403
    assert "not active" in response.content.decode()
    assert not LinkedAccount.objects.exists()
    deployment = LtiDeployment.objects.get(deployment_id="dep-new")
    assert not deployment.is_active
    deployment.is_active = True
    deployment.save()
    response, _form = launch(
        Client(),
        platform,
        registration,
        deployment_id="dep-new",
        custom={"course": str(course.course.pk)},
    )
    assert response.status_code == 302


def test_a_login_initiation_from_an_inactive_registration_is_refused(
    client, platform, registration
):
    registration.is_active = False
    registration.save()
    response = client.get(
        f"/lti/login/{registration.uuid}/",
        {"iss": platform.issuer, "login_hint": "x", "client_id": platform.client_id},
    )
    assert response.status_code == 400
    assert "not registered" in response.content.decode()


def test_target_link_uri_names_the_course_in_any_language(client, platform, registration, course):
    address = "http://testserver" + course.course.get_url()
    response, _form = launch(client, platform, registration, target_link_uri=address)
    assert response.status_code == 302
    assert response["Location"] == course.course.get_url()
    assert Enrolment.objects.filter(course_key=course.course.translation_key).exists()


def test_a_link_to_nothing_of_ours_is_refused(client, platform, registration, course):
    response, _form = launch(
        client, platform, registration, target_link_uri="https://elsewhere.example/x/"
    )
    assert response.status_code == 404
    assert not LinkedAccount.objects.exists()


def test_a_session_not_launched_from_a_platform_may_not_be_framed(client, make_user, course):
    client.force_login(make_user())
    response = client.get("/")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_the_key_set_keeps_every_active_key_across_a_rotation(
    client, platform, registration, course
):
    first = client.get("/lti/jwks.json").json()["keys"]
    assert len(first) == 1
    call_command("rotate_keys", stdout=io.StringIO())
    second = client.get("/lti/jwks.json").json()["keys"]
    assert {key["kid"] for key in first} < {key["kid"] for key in second}
    assert Key.objects.active().count() == 2
    response, _form = launch(
        client, platform, registration, custom={"course": str(course.course.pk)}
    )
    assert response.status_code == 302


def test_a_launch_with_a_state_we_never_issue_is_refused_before_the_library(client):
    response = client.post("/lti/launch/", {"id_token": "x.y.z", "state": "<b>" * 100})
    assert response.status_code == 403
    assert "could not be verified" in response.content.decode()
