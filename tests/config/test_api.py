"""The read-only API v2 shows a visitor what the site shows them, and no more.

Lessons and modules are course-private (a lesson is for the course's learners and trainers;
a module has no page of its own), so the API never lists, finds, searches or details them,
whoever asks. Bad query parameters get a 400 that says what is wrong, never a server error.
"""

from __future__ import annotations

import pytest
from django.test import Client

from courses.models import LessonPage, ModulePage

pytestmark = pytest.mark.django_db

API = "/api/v2/pages/"


@pytest.fixture
def course(make_course, make_user):
    from network.roles import Role

    trainer = make_user(Role.TRAINER)
    return make_course(trainers=[trainer], modules=1, lessons=2), trainer


def visitors(make_user, course) -> dict[str, Client]:
    """Anonymous, an enrolled learner, the course's trainer and a superuser: even those the
    site shows lessons to read them on the site, not through the public API."""
    from courses import services

    built, trainer = course
    learner = make_user()
    services.enrolment_create(user=learner, course=built.course)
    clients = {"anonymous": Client()}
    for name, user in (
        ("learner", learner),
        ("trainer", trainer),
        ("staff", make_user(is_staff=True, is_superuser=True)),
    ):
        clients[name] = Client()
        clients[name].force_login(user)
    return clients


def listed_ids(client: Client, query: str) -> set[int]:
    response = client.get(API + query)
    assert response.status_code == 200, (query, response.content[:300])
    return {item["id"] for item in response.json()["items"]}


def test_lessons_and_modules_are_never_listed_searched_or_detailed(course, make_user):
    built, _ = course
    private_ids = {page.pk for page in [*built.lessons, *built.modules]}
    lesson = built.lessons[0]
    module = built.modules[0]
    for name, client in visitors(make_user, course).items():
        for query in (
            "?limit=100",
            "?fields=*&limit=100",
            "?type=courses.LessonPage",
            "?type=courses.LessonPage&fields=*",
            "?type=courses.ModulePage",
            "?type=courses.LessonPage&search=Lesson",
            "?search=Lesson%20text",
            f"?child_of={built.course.pk}",
            f"?child_of={module.pk}",
            f"?descendant_of={built.course.pk}",
            f"?ancestor_of={lesson.pk}",
        ):
            response = client.get(API + query)
            if response.status_code == 200:
                ids = {item["id"] for item in response.json()["items"]}
                assert ids & private_ids == set(), (name, query)
            else:
                # A parent the visitor may not see through the API does not exist for them.
                assert response.status_code == 400, (name, query, response.status_code)
        for page in (lesson, module):
            assert client.get(f"{API}{page.pk}/").status_code == 404, (name, page)
            found = client.get(f"{API}find/?html_path={page.url}")
            assert found.status_code == 404, (name, page)
        assert "Lesson text" not in client.get(API + "?fields=*&search=Lesson").content.decode()


def test_the_course_itself_stays_public(course, make_user):
    built, _ = course
    for name, client in visitors(make_user, course).items():
        assert built.course.pk in listed_ids(client, "?type=courses.CoursePage"), name
        assert client.get(f"{API}{built.course.pk}/").status_code == 200, name


def test_lesson_page_types_are_refused_as_types(course):
    """Naming a private type answers as for a type that does not exist."""
    response = Client().get(API + "?type=courses.LessonPage")
    assert response.status_code in {200, 400}
    if response.status_code == 200:
        assert response.json()["items"] == []
    assert LessonPage.objects.exists() and ModulePage.objects.exists()


HOSTILE_QUERIES = [
    "?search=" + "%00",
    "?search=a%00b",
    "?search=%22unbalanced",
    "?search=NEAR(a b)",
    "?search=a AND OR NOT",
    "?search=*",
    "?search=(((",
    "?search=col:value",
    "?search=a%26b|!c",
    "?search=" + "x" * 5000,
    "?offset=" + "9" * 30,
    "?offset=-1",
    "?limit=" + "9" * 30,
    "?limit=abc",
    "?child_of=" + "9" * 30,
    "?child_of=%00",
    "?descendant_of=" + "9" * 30,
    "?ancestor_of=" + "9" * 30,
    "?translation_of=" + "9" * 30,
    "?id=" + "9" * 30,
    "?type=%00",
    "?type=courses.LessonPage,courses.ModulePage",
    "?fields=%00",
    "?order=%00",
    "?locale=%00",
    "?html_path=%00",
    "?search=terraces&search_operator=xor",
    "?translation_of=%00",
    # Bytes that are not UTF-8, the edges of 64 bits, sub-field syntax, a negative parent.
    "?search=%FF%FE%80",
    "?type=%FF",
    "?offset=" + str(2**63),
    "?offset=" + str(2**64),
    "?limit=0",
    "?limit=-5",
    "?fields=*,-id",
    "?fields=body(%00)",
    "?fields=" + "x," * 500,
    "?child_of=-1",
    "?child_of=root",
    "?order=-%FF",
    "?order=random&offset=5",
]


def test_hostile_query_parameters_get_a_clear_answer(course):
    client = Client(raise_request_exception=False)
    failures = []
    for query in HOSTILE_QUERIES:
        for address in (API, f"{API}find/", f"{API}{course[0].course.pk}/"):
            response = client.get(address + query)
            if response.status_code not in {200, 302, 400, 404}:
                failures.append((address + query, response.status_code))
            elif (
                response.status_code == 400
                and response["Content-Type"].startswith("application/json")
                and not response.json().get("message")
            ):
                # A NUL is refused before the API (config.request_guard), with the 400 page.
                failures.append((address + query, "400 without a message"))
    assert failures == []


@pytest.mark.parametrize("pk", ["9" * 30, str(2**63)])
def test_a_detail_id_beyond_64_bits_is_a_clear_400(pk):
    response = Client(raise_request_exception=False).get(f"{API}{pk}/")
    assert response.status_code == 400
    assert response.json()["message"] == "id is too large"
