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
