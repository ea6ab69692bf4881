"""Bad input that used to end in a server error gets a clear 4xx or a message, and loses
nothing: NULs in path segments (PostgreSQL refuses them in text), integers beyond 64 bits in
learning and forum URLs (SQLite overflows), a non-numeric moderation form field, an over-long
cohort name."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import Cohort
from network.roles import Role

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


def client_for(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    "address",
    [
        "/courses/%00/",
        "/courses/a%00b/lesson/",
        "/forums/c/%00/",
        "/certificates/%00/",
        "/network/members/%00/",
        "/%00/",
        "/search/?q=%00",
        "/forums/?page=%00",
    ],
)
def test_a_nul_in_the_address_is_a_400(address, make_user, catalogue):
    for client in (client_for(), client_for(make_user())):
        assert client.get(address).status_code == 400, address


def test_ids_beyond_64_bits_in_learning_and_forum_urls_are_404(make_user, catalogue):
    client = client_for(make_user(Role.TRAINER))
    for address, method in [
        (f"/learning/courses/{HUGE}/enrol/", "post"),
        (f"/learning/courses/{HUGE}/report/", "get"),
        (f"/learning/lessons/{HUGE}/complete/", "post"),
        (f"/learning/attempts/{HUGE}/", "get"),
        (f"/forums/t/{HUGE}/", "get"),
        (f"/forums/p/{HUGE}/edit/", "get"),
        (f"/forums/live/{HUGE}/", "get"),
        (f"/learning/courses/{2**63}/enrol/", "post"),
    ]:
        assert getattr(client, method)(address).status_code == 404, address


def test_a_non_numeric_flag_in_the_moderation_form_is_a_400(make_user):
    client = client_for(make_user(Role.MODERATOR))
    for value in ("abc", "", HUGE, "1\x00", "-1"):
        response = client.post(reverse("forums:moderation"), {"flag": value})
        assert response.status_code in {400, 404}, value


def test_an_over_long_cohort_name_is_refused_with_a_message(make_user, make_course):
    trainer = make_user(Role.TRAINER)
    built = make_course(trainers=[trainer], modules=1, lessons=1, quiz=False)
    response = client_for(trainer).post(
        reverse("courses:cohort_create", args=[built.course.pk]),
        {"name": "x" * 500, "starts_on": "2026-09-01", "ends_on": "2026-12-01"},
    )
    assert response.status_code == 400
    assert "at most 120 characters" in response.content.decode()
    assert not Cohort.objects.exists()


@pytest.mark.parametrize("value", [HUGE, "\u00b2", "1\x00", "-1", "٣"])
def test_hand_parsed_ids_in_learning_forms_never_reach_a_query_unchecked(
    value, make_user, make_course
):
    """``str.isdigit`` took numbers beyond 64 bits (SQLite overflows) and digits ``int``
    refuses (``"²"``): the next-lesson and attempt-number fields now use the row-id rule."""
    from courses import services
    from tests.courses.conftest import QUIZ_ID

    learner = make_user()
    built = make_course(modules=1, lessons=2)
    services.enrolment_create(user=learner, course=built.course)
    client = client_for(learner)
    completed = client.post(
        reverse("courses:lesson_complete", args=[built.lessons[0].pk]), {"next_lesson": value}
    )
    assert completed.status_code == 302, value
    submitted = client.post(
        reverse("courses:quiz_submit", args=[built.quiz_lesson.pk, QUIZ_ID]), {"attempt": value}
    )
    assert submitted.status_code in {302, 400}, value


def test_a_certificate_revocation_reason_with_a_nul_or_too_long_is_handled(world):
    """A NUL in the reason was a server error on PostgreSQL (found by the form fuzzing pass);
    an over-long reason was cut silently at 300 characters. Both are refused with the text kept."""
    from courses.models import Certificate

    client = client_for(world.trainer)
    address = reverse("courses:certificate_revoke", args=[world.certificate.public_id])
    too_long = client.post(address, {"reason": "x" * 301})
    assert too_long.status_code == 400
    assert "at most 300 characters" in too_long.content.decode()
    assert Certificate.objects.get(pk=world.certificate.pk).revoked_at is None
    with_nul = client.post(address, {"reason": "Issued in\x00 error"})
    assert with_nul.status_code == 400
    assert "Issued in" in with_nul.content.decode()  # the form keeps what was typed
    assert Certificate.objects.get(pk=world.certificate.pk).revoked_at is None
    revoked = client.post(address, {"reason": "Issued in error"})
    assert revoked.status_code == 302
    assert Certificate.objects.get(pk=world.certificate.pk).revoked_reason == "Issued in error"
