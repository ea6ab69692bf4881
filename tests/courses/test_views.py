"""Course views: the permission matrix for every view, bad input, and what pages show.

Actors: anonymous, a learner not enrolled, the enrolled learner, another enrolled learner, the
trainer of another course, the course's trainer, an editor.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services
from courses.models import Certificate, Cohort, Enrolment, LessonCompletion, QuizAttempt
from network.roles import Role
from tests.courses.conftest import QUIZ_ID, RIGHT, WRONG

pytestmark = pytest.mark.django_db

#: ``editor``: the Editors role with ``is_staff`` (for the Django admin), which names no course.
ACTORS = [
    "anonymous",
    "outsider",
    "enrolled",
    "other_learner",
    "other_trainer",
    "trainer",
    "editor",
]


@pytest.fixture
def world(make_user, make_course):
    course_trainer = make_user(Role.TRAINER, display_name="Course Trainer")
    other_trainer = make_user(Role.TRAINER)
    built = make_course(trainers=[course_trainer])
    make_course(trainers=[other_trainer], modules=1, lessons=1, quiz=False)
    enrolled = make_user(display_name="Enrolled Learner")
    other_learner = make_user(display_name="Other Learner")
    for user in (enrolled, other_learner):
        services.enrolment_create(user=user, course=built.course)
    people = {
        "anonymous": None,
        "outsider": make_user(),
        "enrolled": enrolled,
        "other_learner": other_learner,
        "other_trainer": other_trainer,
        "trainer": course_trainer,
        "editor": make_user(Role.EDITOR, is_staff=True),
    }
    return built, people


def as_actor(client, people, actor):
    if people[actor] is not None:
        client.force_login(people[actor])
    return client


def expected(status_by_actor: dict[str, int], actor: str) -> int:
    return status_by_actor.get(actor, status_by_actor.get("*"))


@pytest.mark.parametrize("actor", ACTORS)
def test_reading_course_lesson_and_dashboard(client, world, actor):
    """The course page is public; lessons are for the enrolled and the course's trainers;
    the dashboard shows only one's own courses and progress."""
    built, people = world
    services.lesson_complete(user=people["other_learner"], lesson=built.lessons[0])
    client = as_actor(client, people, actor)
    may_read = actor in {"enrolled", "other_learner", "trainer"}

    course = client.get(built.course.url)
    assert course.status_code == 200
    body = course.content.decode()
    assert (f'href="{built.lessons[0].url}"' in body) is may_read
    assert ("Course report" in body) is (actor == "trainer")

    lesson = client.get(built.lessons[0].url)
    if may_read:
        assert lesson.status_code == 200
    elif actor == "anonymous":
        assert lesson.status_code == 302
        assert "/accounts/login/" in lesson["Location"]
    else:
        assert lesson.status_code == 302
        assert lesson["Location"] == built.course.url

    dashboard = client.get(reverse("courses:dashboard"))
    if actor == "anonymous":
        assert dashboard.status_code == 302
        return
    assert dashboard.status_code == 200
    body = dashboard.content.decode()
    assert (built.course.title in body) is (actor in {"enrolled", "other_learner"})
    if actor == "enrolled":
        assert "0% complete" in body  # not the other learner's 25%


@pytest.mark.parametrize("actor", ACTORS)
def test_report_csv_and_cohort_creation_are_for_the_course_trainers_only(client, world, actor):
    built, people = world
    client = as_actor(client, people, actor)
    page_id = built.course.pk
    report = client.get(reverse("courses:report", args=[page_id]))
    export = client.get(reverse("courses:report_csv", args=[page_id]))
    cohort = client.post(
        reverse("courses:cohort_create", args=[page_id]),
        {"name": "Spring", "starts_on": "2026-03-01", "ends_on": "2026-06-30"},
    )
    if actor == "anonymous":
        assert {report.status_code, export.status_code, cohort.status_code} == {302}
    elif actor == "trainer":
        assert (report.status_code, export.status_code, cohort.status_code) == (200, 200, 302)
        assert Cohort.objects.filter(name="Spring").exists()
    else:
        assert (report.status_code, export.status_code, cohort.status_code) == (403, 403, 403)
        assert not Cohort.objects.exists()


@pytest.mark.parametrize("actor", ACTORS)
def test_certificate_page_is_public_and_only_trainers_may_revoke(client, world, actor):
    built, people = world
    owner = people["enrolled"]
    certificate = Certificate.objects.create(
        user=owner,
        course_key=built.course.translation_key,
        learner_name="Enrolled Learner",
        course_title=built.course.title,
        issued_at="2026-01-01T00:00:00Z",
    )
    client = as_actor(client, people, actor)
    page = client.get(reverse("courses:certificate", args=[certificate.public_id]))
    assert page.status_code == 200
    assert "Enrolled Learner" in page.content.decode()
    assert ("Revoke this certificate" in page.content.decode()) is (actor == "trainer")
    revoke = client.post(
        reverse("courses:certificate_revoke", args=[certificate.public_id]), {"reason": "Error"}
    )
    certificate.refresh_from_db()
    if actor == "anonymous":
        assert revoke.status_code == 302 and certificate.is_valid
    elif actor == "trainer":
        assert revoke.status_code == 302 and not certificate.is_valid
    else:
        assert revoke.status_code == 403 and certificate.is_valid


@pytest.mark.parametrize("actor", ACTORS)
def test_quiz_submission_and_lesson_completion_are_for_enrolled_learners_only(client, world, actor):
    built, people = world
    client = as_actor(client, people, actor)
    complete = client.post(reverse("courses:lesson_complete", args=[built.lessons[0].pk]))
    if actor == "anonymous":
        assert complete.status_code == 302 and "/accounts/login/" in complete["Location"]
    elif actor in {"enrolled", "other_learner"}:
        assert complete.status_code == 302
        assert LessonCompletion.objects.filter(user=people[actor]).count() == 1
    else:
        assert complete.status_code == 403
        assert not LessonCompletion.objects.exists()
    response = client.post(
        reverse("courses:quiz_submit", args=[built.quiz_lesson.pk, QUIZ_ID]),
        {"attempt": "1", **{f"q-{key}": value for key, value in RIGHT.items()}},
    )
    if actor == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif actor in {"enrolled", "other_learner"}:
        assert response.status_code == 302
        assert QuizAttempt.objects.filter(user=people[actor]).count() == 1
    else:
        assert response.status_code == 403
        assert "not enrolled" in response.content.decode()
        assert not QuizAttempt.objects.exists()


@pytest.mark.parametrize("actor", ACTORS)
def test_a_quiz_result_is_seen_only_by_the_learner_who_took_it(client, world, actor):
    built, people = world
    attempt = services.quiz_attempt_submit(
        user=people["enrolled"],
        lesson=built.quiz_lesson,
        block_id=QUIZ_ID,
        answers=WRONG,
        attempt_number=1,
    )
    response = as_actor(client, people, actor).get(reverse("courses:attempt", args=[attempt.pk]))
    if actor == "anonymous":
        assert response.status_code == 302
    elif actor == "enrolled":
        assert response.status_code == 200
        assert "SECRET-WRONG-single" in response.content.decode()
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("actor", ACTORS)
def test_enrol_and_withdraw(client, world, actor):
    built, people = world
    client = as_actor(client, people, actor)
    enrol = client.post(reverse("courses:enrol", args=[built.course.pk]))
    assert enrol.status_code == 302
    if actor == "anonymous":
        assert "/accounts/login/" in enrol["Location"]
        return
    assert Enrolment.objects.filter(user=people[actor], status="active").exists()
    withdraw = client.post(reverse("courses:withdraw", args=[built.course.pk]))
    assert withdraw.status_code == 302
    assert Enrolment.objects.get(user=people[actor]).status == "withdrawn"


def test_withdrawing_when_not_enrolled_is_a_clear_403(client, world):
    built, people = world
    client.force_login(people["outsider"])
    response = client.post(reverse("courses:withdraw", args=[built.course.pk]))
    assert response.status_code == 403
    assert "not enrolled" in response.content.decode()


def test_joining_a_cohort_with_a_bad_code_says_so(client, world):
    _built, people = world
    client.force_login(people["outsider"])
    response = client.post(reverse("courses:cohort_join"), {"invite_code": "WRONG"})
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert not Enrolment.objects.filter(user=people["outsider"]).exists()


def test_get_is_not_allowed_on_actions(client, world):
    built, people = world
    client.force_login(people["enrolled"])
    assert client.get(reverse("courses:enrol", args=[built.course.pk])).status_code == 405
    assert (
        client.get(reverse("courses:quiz_submit", args=[built.quiz_lesson.pk, QUIZ_ID])).status_code
        == 405
    )


# --- Quiz through the views ---------------------------------------------------------------


def test_the_lesson_page_never_contains_answers_or_feedback(client, world):
    built, people = world
    client.force_login(people["enrolled"])
    body = client.get(built.quiz_lesson.url).content.decode()
    assert "Pick b" in body
    assert "SECRET" not in body
    assert "paramo" not in body.lower()
    assert "correct" not in body.lower()


def test_quiz_bad_input_gets_a_clear_4xx_and_stores_nothing(client, world):
    built, people = world
    client.force_login(people["enrolled"])
    url = reverse("courses:quiz_submit", args=[built.quiz_lesson.pk, QUIZ_ID])
    missing = client.post(url, {"attempt": "1", "q-q-single": "b"})
    assert missing.status_code == 400
    assert "Please answer question 2" in missing.content.decode()
    unknown = client.post(
        url,
        {"attempt": "1", **{f"q-{k}": v for k, v in RIGHT.items()}, "q-q-single": "zzz"},
    )
    assert unknown.status_code == 400
    no_quiz = client.post(
        reverse("courses:quiz_submit", args=[built.quiz_lesson.pk, "nope"]),
        {"attempt": "1"},
    )
    assert no_quiz.status_code == 404
    assert not QuizAttempt.objects.exists()


def test_fail_then_pass_then_replay_after_the_limit(client, world):
    built, people = world
    client.force_login(people["enrolled"])
    url = reverse("courses:quiz_submit", args=[built.quiz_lesson.pk, QUIZ_ID])

    def post(answers, token):
        return client.post(url, {"attempt": token, **{f"q-{k}": v for k, v in answers.items()}})

    failed = client.get(post(WRONG, "1")["Location"])
    assert "Not passed yet" in failed.content.decode()
    assert "SECRET-WRONG-multi" in failed.content.decode()
    double = post(WRONG, "1")
    assert QuizAttempt.objects.count() == 1
    assert double.status_code == 302
    passed = client.get(post(RIGHT, "2")["Location"])
    assert "Quiz passed" in passed.content.decode()
    post(WRONG, "3")
    over = post(RIGHT, "4")
    assert over.status_code == 409
    assert "used all your attempts" in over.content.decode()
    assert QuizAttempt.objects.count() == 3


def test_csv_export_has_one_row_per_learner_with_progress(client, world):
    built, people = world
    services.lesson_complete(user=people["enrolled"], lesson=built.lessons[0])
    services.enrolment_withdraw(
        user=people["other_learner"], course_key=built.course.translation_key
    )
    client.force_login(people["trainer"])
    response = client.get(reverse("courses:report_csv", args=[built.course.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_name = {row["learner"]: row for row in rows}
    assert set(by_name) == {"Enrolled Learner", "Other Learner"}
    assert by_name["Enrolled Learner"]["lessons_completed"] == "1"
    assert by_name["Enrolled Learner"]["lessons_total"] == "4"
    assert by_name["Enrolled Learner"]["progress_percent"] == "25"
    assert by_name["Other Learner"]["status"] == "withdrawn"


def test_csv_export_neutralises_formulas_in_names(client, world):
    built, people = world
    learner = people["enrolled"]
    learner.display_name = "=HYPERLINK(1)"
    learner.save()
    client.force_login(people["trainer"])
    body = client.get(reverse("courses:report_csv", args=[built.course.pk])).content.decode()
    assert "'=HYPERLINK(1)" in body


def test_report_shows_cohorts_lessons_and_quiz_scores(client, world):
    built, people = world
    services.quiz_attempt_submit(
        user=people["enrolled"],
        lesson=built.quiz_lesson,
        block_id=QUIZ_ID,
        answers=RIGHT,
        attempt_number=1,
    )
    client.force_login(people["trainer"])
    body = client.get(reverse("courses:report", args=[built.course.pk])).content.decode()
    assert "Enrolled Learner" in body
    assert "Self-enrolled" in body
    assert "90\u2013100%" in body
    assert "Lesson 4" in body


def test_revoked_certificate_page_says_revoked(client, world):
    built, people = world
    certificate = Certificate.objects.create(
        user=people["enrolled"],
        course_key=built.course.translation_key,
        learner_name="Enrolled Learner",
        course_title="Course",
        issued_at="2026-01-01T00:00:00Z",
    )
    services.certificate_revoke(certificate=certificate, revoked_by=people["trainer"], reason="x")
    body = client.get(reverse("courses:certificate", args=[certificate.public_id])).content.decode()
    assert "Status: revoked" in body
    assert client.get(reverse("courses:certificate", args=["not-a-real-id"])).status_code == 404


# --- Query counts -------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["course", "dashboard", "lesson"])
def test_query_count_stays_flat_as_lessons_grow(
    client, make_user, make_course, view, django_assert_max_num_queries
):
    learner = make_user()
    client.force_login(learner)
    small = make_course(modules=1, lessons=1, quiz=False)
    big = make_course(modules=3, lessons=6, quiz=False)
    for built in (small, big):
        services.enrolment_create(user=learner, course=built.course)
        services.lesson_complete(user=learner, lesson=built.lessons[0])

    def url(built):
        return {
            "course": built.course.url,
            "dashboard": reverse("courses:dashboard"),
            "lesson": built.lessons[-1].url,
        }[view]

    client.get(url(small))  # warm caches (site root, locales)
    client.get(url(big))  # and each page's own (its translation links)
    with CaptureQueriesContext(connection) as small_queries:
        client.get(url(small))
    with django_assert_max_num_queries(len(small_queries)):
        response = client.get(url(big))
    assert response.status_code == 200


def test_a_module_has_no_page_of_its_own_and_sends_readers_to_the_course(client, world):
    built, _people = world
    response = client.get(built.modules[0].url)
    assert response.status_code == 302
    assert response["Location"] == built.course.url


def test_lesson_navigation_crosses_modules(client, world):
    built, people = world
    client.force_login(people["enrolled"])
    body = client.get(built.lessons[1].url).content.decode()  # last lesson of module 1
    assert f'rel="prev" href="{built.lessons[0].url}"' in body
    assert f'rel="next" href="{built.lessons[2].url}"' in body
    assert "Lesson 2 of 4" in body
