"""Cohorts, enrolments, certificates and quiz attempts in the Wagtail admin: a trainer sees
their own courses' rows (listing and CSV), editors every course's, read-only; cohorts are
edited and deleted; certificates revoked and re-issued through the courses services."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import Certificate, Cohort, Enrolment, QuizAttempt
from credentials.models import CertificateCredential
from network.roles import Role

pytestmark = pytest.mark.django_db

LISTINGS = ("cohorts", "enrolments", "certificates", "attempts")


def _records(course, learner, *, name: str) -> Certificate:
    key = course.translation_key
    now = timezone.now()
    cohort = Cohort.objects.create(
        course_key=key, name=f"{name} cohort", starts_on=now.date(), ends_on=now.date()
    )
    Enrolment.objects.create(user=learner, course_key=key, cohort=cohort, enrolled_at=now)
    QuizAttempt.objects.create(
        user=learner,
        course_key=key,
        lesson_key=key,
        block_id=f"{name}-quiz",
        answers={},
        score=50,
        passed=False,
        number=1,
        submitted_at=now,
    )
    return Certificate.objects.create(
        user=learner,
        course_key=key,
        learner_name=f"{name} learner",
        course_title=course.title,
        issued_at=now,
    )


@pytest.fixture
def two_courses(make_course, make_user, trainer):
    ours = make_course(title="Soil basics", trainers=[trainer], modules=1, lessons=1).course
    theirs = make_course(title="Water rights", modules=1, lessons=1).course
    _records(ours, make_user(display_name="=HYPERLINK(1)"), name="Ours")
    _records(theirs, make_user(), name="Theirs")
    return ours, theirs


def _listing(client, listing: str, query: str = "") -> str:
    response = client.get(reverse(f"course_{listing}:index") + query)
    assert response.status_code == 200
    if response.streaming:  # the CSV export
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_a_trainer_sees_only_the_rows_of_the_courses_they_teach(client, trainer, two_courses):
    client.force_login(trainer)
    for listing in LISTINGS:
        page = _listing(client, listing)
        assert "Soil basics" in page, listing
        assert "Water rights" not in page, listing
    exported = _listing(client, "enrolments", "?export=csv")
    assert "Soil basics" in exported
    assert "Water rights" not in exported
    # A name that starts like a formula is kept from running in a spreadsheet.
    assert "'=HYPERLINK(1)" in exported


def test_an_editor_sees_every_course_and_may_change_nothing(client, make_user, two_courses):
    client.force_login(make_user(Role.EDITOR, is_staff=True))
    page = _listing(client, "certificates")
    assert "Soil basics" in page
    assert "Water rights" in page
    assert "/revoke/" not in page
    filtered = _listing(client, "attempts", f"?course_key={two_courses[1].translation_key}")
    assert "Theirs-quiz" in filtered
    assert "Ours-quiz" not in filtered
    cohort = Cohort.objects.get(name="Ours cohort")
    # Refused: Wagtail's admin sends a refusal home with a message.
    refused = client.get(reverse("course_cohorts:edit", args=[cohort.pk]))
    assert refused.url == reverse("wagtailadmin_home")
    certificate = Certificate.objects.get(learner_name="Ours learner")
    revoke = reverse("course_certificates:revoke", args=[certificate.pk])
    assert client.post(revoke, {"reason": "No."}).url == reverse("wagtailadmin_home")
    assert Certificate.objects.get(pk=certificate.pk).revoked_at is None


def test_a_learner_has_no_listing(client, learner, two_courses):
    client.force_login(learner)
    response = client.get(reverse("course_enrolments:index"))
    assert response.status_code == 302  # to the admin's sign-in: no admin access


def test_a_trainer_edits_and_deletes_a_cohort_of_their_course_only(client, trainer, two_courses):
    client.force_login(trainer)
    ours = Cohort.objects.get(name="Ours cohort")
    theirs = Cohort.objects.get(name="Theirs cohort")
    assert client.get(reverse("course_cohorts:edit", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("course_cohorts:delete", args=[theirs.pk])).status_code == 404
    edit = reverse("course_cohorts:edit", args=[ours.pk])
    refused = client.post(
        edit, {"name": "Spring", "starts_on": "2026-03-01", "ends_on": "2026-02-01"}
    )
    assert refused.status_code == 200  # the form again, with the error
    response = client.post(
        edit, {"name": "Spring", "starts_on": "2026-03-01", "ends_on": "2026-06-01"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response.url == reverse("course_cohorts:index"), response.url
    ours.refresh_from_db()
    assert (ours.name, ours.ends_on) == ("Spring", datetime.date(2026, 6, 1))
    client.post(reverse("course_cohorts:delete", args=[ours.pk]))
    assert not Cohort.objects.filter(pk=ours.pk).exists()
    # Its learners stay enrolled in the course.
    assert Enrolment.objects.get(course_key=two_courses[0].translation_key).cohort is None


def test_revoking_and_reissuing_in_the_admin_is_what_verification_says_at_once(
    client, trainer, two_courses
):
    client.force_login(trainer)
    certificate = Certificate.objects.get(learner_name="Ours learner")
    theirs = Certificate.objects.get(learner_name="Theirs learner")
    assert client.get(reverse("course_certificates:revoke", args=[theirs.pk])).status_code == 404
    revoke = reverse("course_certificates:revoke", args=[certificate.pk])
    assert client.post(revoke, {"reason": ""}).status_code == 400
    assert client.post(revoke, {"reason": "Issued in error."}).status_code == 302
    verification = client.get(reverse("courses:certificate", args=[certificate.public_id]))
    assert "Status: revoked" in verification.content.decode()

    reissue = reverse("course_certificates:reissue", args=[certificate.pk])
    assert client.post(reissue).status_code == 302
    standing = Certificate.objects.get(user=certificate.user, revoked_at__isnull=True)
    assert standing.public_id != certificate.public_id
    # The new one has its own status-list entry; the old one keeps saying revoked.
    assert CertificateCredential.objects.filter(certificate=standing).exists()
    page = client.get(reverse("courses:certificate", args=[standing.public_id]))
    assert "Status: revoked" not in page.content.decode()
    old = client.get(reverse("courses:certificate", args=[certificate.public_id]))
    assert "Status: revoked" in old.content.decode()
    # A second re-issue finds the standing one: refused, nothing written.
    client.post(reissue)
    assert Certificate.objects.filter(user=certificate.user).count() == 2


def test_the_enrolment_listing_costs_the_same_for_more_learners(
    client, trainer, make_course, make_user
):
    course = make_course(trainers=[trainer], modules=1, lessons=1, quiz=False).course
    client.force_login(trainer)
    url = reverse("course_enrolments:index")

    def queries_for(learners: int) -> int:
        for _number in range(learners):
            Enrolment.objects.create(
                user=make_user(), course_key=course.translation_key, enrolled_at=timezone.now()
            )
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries_for(2) == queries_for(6)
