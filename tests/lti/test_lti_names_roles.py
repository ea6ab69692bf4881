"""Class lists (LTI Names and Role Provisioning Services): an instructor's launch carrying the
NRPS claim opens the class list page, whose "update now" reads the platform stand-in's
membership container (a token for the NRPS scope from its token endpoint, which checks our
client assertion against our key set; pages followed by their Link headers) and makes the
context's cohort follow it. The worker's periodic sync is the same service."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lti_tool.models import Key, LtiMembership

from courses.models import Enrolment, EnrolmentStatus
from courses.services import cohort_join
from lti import roster
from lti.launch import ensure_signing_key
from lti.models import ContextCohort, LinkedAccount
from lti.names_roles import RosterUnavailable
from network.models import User
from network.roles import DEFAULT_ROLE
from tests.lti.lti_platform import (
    AGS,
    INSTRUCTOR_ROLE,
    LEARNER_ROLE,
    MEMBERSHIP_TYPE,
    NRPS_CLAIM,
    NRPS_SCOPE,
    member,
)
from tests.lti.test_lti_launch import launch

pytestmark = pytest.mark.django_db

TEACHER = member("teacher-1", roles=(INSTRUCTOR_ROLE,), email="teacher@example.edu")


@pytest.fixture
def platform(platform):
    """The stand-in checks client assertions against the key set our /lti/jwks.json serves."""
    ensure_signing_key()
    platform.tool_jwks = Key.objects.as_jwks()
    return platform


@pytest.fixture
def course(make_course):
    return make_course(modules=1, lessons=2, quiz=False)


def instructor_launch(client: Client, platform, registration, course, **overrides):
    claims = {
        "sub": "teacher-1",
        "email": "teacher@example.edu",
        "roles": [INSTRUCTOR_ROLE],
        "custom": {"lesson": str(course.lessons[0].pk)},
        **platform.nrps_claim(),
        **overrides,
    }
    response, _form = launch(client, platform, registration, **claims)
    return response


@pytest.fixture
def teacher(client, platform, registration, course) -> ContextCohort:
    """An instructor launched with the NRPS claim: the class list page of the context's
    cohort is theirs."""
    response = instructor_launch(client, platform, registration, course)
    link = ContextCohort.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("lti:roster", args=[link.pk])
    return link


def learners(*subs: str) -> list[dict]:
    return [member(sub, email=f"{sub}@example.edu") for sub in subs]


def enrolled_subs(link: ContextCohort, status=EnrolmentStatus.ACTIVE) -> set[str]:
    return set(
        LinkedAccount.objects.filter(
            issuer=link.deployment.registration.issuer,
            user__enrolments__cohort=link.cohort,
            user__enrolments__status=status,
        ).values_list("sub", flat=True)
    )


def test_update_now_creates_links_and_enrols_the_platforms_learners(
    client, platform, registration, course, teacher
):
    learner_device = Client()
    launch(learner_device, platform, registration, custom={"lesson": str(course.lessons[0].pk)})
    known = LinkedAccount.objects.get(sub="learner-1").user
    User.objects.create_user(username="someone", email="learner-3@example.edu", password="x")
    platform.members = [TEACHER, *learners("learner-1", "learner-2", "learner-3")]

    page = client.get(reverse("lti:roster", args=[teacher.pk]))
    assert page.status_code == 200
    assert "Update the class list now" in page.content.decode()
    response = client.post(reverse("lti:roster", args=[teacher.pk]), follow=True)

    assert "4 people listed, 2 enrolled, 0 withdrawn" in response.content.decode()
    # The instructor's launch enrolled them as launches do; the sync adds the learners.
    assert enrolled_subs(teacher) == {"teacher-1", "learner-1", "learner-2", "learner-3"}
    assert LinkedAccount.objects.get(sub="learner-1").user == known
    second = LinkedAccount.objects.get(sub="learner-2").user
    third = LinkedAccount.objects.get(sub="learner-3").user
    assert second.email == "learner-2@example.edu"
    assert third.email.endswith("@lti.invalid")  # a platform's address never takes an account
    for user in (second, third):
        assert not user.has_usable_password()
        assert list(user.groups.values_list("name", flat=True)) == [DEFAULT_ROLE.value]
        assert user.lti_users.get().sub in {"learner-2", "learner-3"}
    memberships = {
        m.user.sub: (m.is_instructor, m.is_learner, m.is_active)
        for m in LtiMembership.objects.select_related("user")
    }
    assert memberships["teacher-1"] == (True, False, True)  # recorded as the context's teacher
    assert memberships["learner-3"] == (False, True, True)


def test_a_second_sync_changes_nothing(platform, teacher):
    platform.members = [TEACHER, *learners("learner-1", "learner-2")]
    first = roster.roster_sync(context_cohort=teacher)
    counts = (
        User.objects.count(),
        LinkedAccount.objects.count(),
        Enrolment.objects.count(),
        LtiMembership.objects.count(),
    )
    second = roster.roster_sync(context_cohort=teacher)
    assert (first.accounts_created, first.enrolled) == (2, 2)
    assert (second.accounts_created, second.enrolled, second.withdrawn) == (0, 0, 0)
    assert counts == (
        User.objects.count(),
        LinkedAccount.objects.count(),
        Enrolment.objects.count(),
        LtiMembership.objects.count(),
    )


def test_members_no_longer_listed_are_withdrawn_and_keep_their_records(
    platform, teacher, make_user
):
    platform.members = [TEACHER, *learners("learner-1", "learner-2", "learner-3")]
    roster.roster_sync(context_cohort=teacher)
    invited = make_user()
    cohort_join(user=invited, invite_code=teacher.cohort.invite_code)
    kept = Enrolment.objects.get(user__lti_accounts__sub="learner-2")

    platform.members = [
        TEACHER,
        member("learner-2", status="Inactive"),
        member("learner-3", status="Deleted"),
    ]
    outcome = roster.roster_sync(context_cohort=teacher)

    assert outcome.withdrawn == 3
    assert enrolled_subs(teacher) == {"teacher-1"}
    assert enrolled_subs(teacher, EnrolmentStatus.WITHDRAWN) == {
        "learner-1",
        "learner-2",
        "learner-3",
    }
    # Someone who joined with the invite code is not the platform's to withdraw.
    assert Enrolment.objects.get(user=invited).status == EnrolmentStatus.ACTIVE
    assert LinkedAccount.objects.filter(sub__startswith="learner-").count() == 3
    assert not LtiMembership.objects.filter(user__sub="learner-1").get().is_active

    platform.members = [TEACHER, *learners("learner-2")]
    assert roster.roster_sync(context_cohort=teacher).enrolled == 1
    back = Enrolment.objects.get(user__lti_accounts__sub="learner-2")
    assert (back.pk, back.status, back.withdrawn_at) == (kept.pk, EnrolmentStatus.ACTIVE, None)


def test_an_empty_class_list_withdraws_nobody(platform, teacher):
    platform.members = learners("learner-1")
    roster.roster_sync(context_cohort=teacher)
    platform.members = []
    assert roster.roster_sync(context_cohort=teacher).withdrawn == 0
    assert "learner-1" in enrolled_subs(teacher)


def test_the_token_is_for_the_nrps_scope_which_the_platform_checks(platform, teacher, caplog):
    platform.members = learners("learner-1")
    roster.roster_sync(context_cohort=teacher)
    assert platform.token_requests[-1]["scope"] == NRPS_SCOPE
    assert platform.token_requests[-1]["refusal"] == ""
    assert platform.membership_requests[-1]["accept"] == MEMBERSHIP_TYPE
    assert platform.membership_requests[-1]["status"] == 200

    platform.grantable_scopes = {AGS + "score"}  # the tool may no longer read class lists
    platform.members = learners("learner-1", "learner-2")
    with caplog.at_level(logging.ERROR, logger="lti"), pytest.raises(RosterUnavailable) as error:
        roster.roster_sync(context_cohort=teacher)
    assert error.value.credentials
    assert platform.membership_requests[-1]["status"] == 403
    assert "NRPS scope" in caplog.text and "nothing changed" in caplog.text
    assert not LinkedAccount.objects.filter(sub="learner-2").exists()


def test_a_refused_client_assertion_is_logged_naming_the_registration(platform, teacher, caplog):
    platform.tool_jwks = {"keys": []}
    platform.members = learners("learner-1")
    with caplog.at_level(logging.ERROR, logger="lti"), pytest.raises(RosterUnavailable):
        roster.roster_sync(context_cohort=teacher)
    assert "refused our client assertion" in caplog.text
    assert platform.membership_requests == []


def test_every_page_is_followed(platform, teacher):
    platform.members_page_size = 2
    platform.members = [TEACHER, *learners("a-1", "a-2", "a-3", "a-4")]
    outcome = roster.roster_sync(context_cohort=teacher)
    assert [r["path"] for r in platform.membership_requests] == [
        "/memberships/course-101",
        "/memberships/course-101?Page=2",
        "/memberships/course-101?Page=3",
    ]
    assert (outcome.listed, outcome.enrolled) == (5, 4)
    assert enrolled_subs(teacher) >= {"a-1", "a-2", "a-3", "a-4"}


def test_a_platform_failing_midway_changes_nothing_and_says_why(client, platform, teacher, caplog):
    platform.members = learners("learner-1")
    roster.roster_sync(context_cohort=teacher)
    before = (User.objects.count(), LinkedAccount.objects.count(), Enrolment.objects.count())

    platform.members_page_size = 2
    platform.members = [TEACHER, *learners("b-1", "b-2", "b-3")]  # learner-1 gone: page 2 fails
    platform.memberships_down_from_page = 2
    with caplog.at_level(logging.ERROR, logger="lti"):
        response = client.post(reverse("lti:roster", args=[teacher.pk]), follow=True)
    assert "nothing was changed" in response.content.decode()
    assert "answered 503" in caplog.text and "nothing changed" in caplog.text
    after = (User.objects.count(), LinkedAccount.objects.count(), Enrolment.objects.count())
    assert after == before
    assert "learner-1" in enrolled_subs(teacher)  # not withdrawn on a half-read list

    platform.memberships_down_from_page = None
    platform.unavailable = True  # the whole platform, token endpoint included
    with pytest.raises(RosterUnavailable, match="503"):
        roster.roster_sync(context_cohort=teacher)
    platform.unavailable = False
    assert roster.roster_sync(context_cohort=teacher).enrolled == 3


def test_the_worker_syncs_every_class_list_it_was_given(platform, teacher, registration):
    platform.members = learners("learner-1")
    assert roster.sync_all() == 1
    assert "learner-1" in enrolled_subs(teacher)
    registration.is_active = False
    registration.save()
    assert roster.rosters_due() == []


def _sync_queries(link: ContextCohort) -> int:
    with CaptureQueriesContext(connection) as queries:
        outcome = roster.roster_sync(context_cohort=link)
    assert outcome.accounts_created == outcome.enrolled > 0
    return len(queries)


def test_a_sync_costs_the_same_queries_for_a_small_and_a_large_class(platform, teacher):
    Group.objects.get_or_create(name=DEFAULT_ROLE.value)
    platform.members = [TEACHER, *learners(*(f"small-{n}" for n in range(3)))]
    small = _sync_queries(teacher)
    platform.members += learners(*(f"large-{n}" for n in range(30)))
    large = _sync_queries(teacher)
    # 19 on SQLite and PostgreSQL (2026-12-04): 17, and 2 to move the class in and out of the
    # course's private lesson threads (``courses.discussions``), whatever the class's size.
    assert small == large <= 19
    assert len(enrolled_subs(teacher)) == 1 + 33


# --- Who may ask for a sync ---------------------------------------------------------------------


def test_a_learners_launch_with_the_claim_cannot_open_the_class_list(
    client, platform, registration, course
):
    response = instructor_launch(
        client, platform, registration, course, sub="learner-1", roles=[LEARNER_ROLE]
    )
    assert response["Location"] == course.lessons[0].get_url()
    link = ContextCohort.objects.get()
    for method in (client.get, client.post):
        refused = method(reverse("lti:roster", args=[link.pk]))
        assert refused.status_code == 403
    assert platform.membership_requests == []


def test_an_instructors_launch_without_the_claim_cannot_open_the_class_list(
    client, platform, registration, course
):
    response = instructor_launch(client, platform, registration, course, **{NRPS_CLAIM: None})
    assert response["Location"] == course.lessons[0].get_url()
    link = ContextCohort.objects.get()
    assert client.post(reverse("lti:roster", args=[link.pk])).status_code == 403


def test_the_grant_is_the_launching_sessions_for_its_own_cohort_only(
    client, platform, registration, course, teacher, make_user
):
    address = reverse("lti:roster", args=[teacher.pk])
    other = Client()
    other.force_login(make_user())
    assert other.get(address).status_code == 403
    assert Client().post(address).status_code == 403
    assert client.get(reverse("lti:roster", args=[teacher.pk + 1])).status_code == 403
    # The same browser's next launch, as a learner this time, takes the grant away.
    instructor_launch(client, platform, registration, course, roles=[LEARNER_ROLE])
    assert client.get(address).status_code == 403
    assert platform.membership_requests == []
