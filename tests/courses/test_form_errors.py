"""Bad input to the learning actions: a clear error, a 4xx, nothing stored, and nothing the
person typed is lost (the page comes back with their answers in the form)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from courses import services
from courses.models import Certificate, Cohort, Enrolment, QuizAttempt
from network.roles import Role
from tests.courses.conftest import MULTI, QUIZ_ID, SHORT, SINGLE, TRUE_FALSE

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(make_user, make_course):
    trainer = make_user(Role.TRAINER)
    built = make_course(trainers=[trainer])
    learner = make_user()
    services.enrolment_create(user=learner, course=built.course)
    return built, learner, trainer


def checked(html: str, input_id: str) -> bool:
    tag = re.search(rf'<input[^>]*id="{re.escape(input_id)}"[^>]*>', html)
    assert tag is not None, input_id
    return " checked" in tag.group(0)


def test_a_quiz_with_a_question_left_out_comes_back_with_the_answers_given(client, course):
    built, learner, _trainer = course
    client.force_login(learner)
    response = client.post(
        reverse("courses:quiz_submit", args=[built.quiz_lesson.pk, QUIZ_ID]),
        {
            "attempt": "1",
            f"q-{SINGLE}": "b",
            f"q-{MULTI}": ["a", "c"],
            f"q-{SHORT}": "Páramo <b>",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Please answer question 3" in html
    assert "Check your understanding" in html  # the lesson page itself, not a dead end
    assert checked(html, f"q-{SINGLE}-b") and not checked(html, f"q-{SINGLE}-a")
    assert checked(html, f"q-{MULTI}-a") and checked(html, f"q-{MULTI}-c")
    assert not checked(html, f"q-{MULTI}-b")
    assert not checked(html, f"q-{TRUE_FALSE}-true") and not checked(html, f"q-{TRUE_FALSE}-false")
    assert 'value="Páramo &lt;b&gt;"' in html
    assert "SECRET" not in html
    assert not QuizAttempt.objects.exists()


def test_a_tampered_attempt_number_says_the_form_is_out_of_date_and_keeps_the_answers(
    client, course
):
    built, learner, _trainer = course
    client.force_login(learner)
    response = client.post(
        reverse("courses:quiz_submit", args=[built.quiz_lesson.pk, QUIZ_ID]),
        {"attempt": "99999999999999999999", f"q-{TRUE_FALSE}": "false"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "This form is out of date" in html
    assert checked(html, f"q-{TRUE_FALSE}-false")
    assert not QuizAttempt.objects.exists()


def test_a_refused_quiz_is_not_shown_again_to_someone_not_enrolled(client, course, make_user):
    built, _learner, _trainer = course
    client.force_login(make_user())
    response = client.post(
        reverse("courses:quiz_submit", args=[built.quiz_lesson.pk, QUIZ_ID]), {"attempt": "x"}
    )
    assert response.status_code == 403
    assert "not enrolled" in response.content.decode()
    assert "Pick b" not in response.content.decode()


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"name": "Spring", "starts_on": "1 March", "ends_on": "2026-06-30"}, "YYYY-MM-DD"),
        ({"name": "Spring", "starts_on": "2026-06-30", "ends_on": "2026-03-01"}, "end on or after"),
        ({"name": "   ", "starts_on": "2026-03-01", "ends_on": "2026-06-30"}, "Give the cohort"),
        ({"name": "S" * 121, "starts_on": "2026-03-01", "ends_on": "2026-06-30"}, "at most 120"),
    ],
)
def test_a_refused_cohort_shows_the_report_again_with_the_form_as_typed(
    client, course, posted, message
):
    built, _learner, trainer = course
    client.force_login(trainer)
    response = client.post(reverse("courses:cohort_create", args=[built.course.pk]), posted)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "Enrolments per cohort" in html
    assert f'value="{posted["starts_on"]}"' in html
    assert f'value="{posted["ends_on"]}"' in html
    if posted["name"].strip():
        assert f'value="{posted["name"]}"' in html
    assert not Cohort.objects.exists()


def test_revoking_without_a_reason_shows_the_certificate_again_with_the_error(client, course):
    built, learner, trainer = course
    certificate = Certificate.objects.create(
        user=learner,
        course_key=built.course.translation_key,
        learner_name="A Learner",
        course_title=built.course.title,
        issued_at="2026-01-01T00:00:00Z",
    )
    client.force_login(trainer)
    url = reverse("courses:certificate_revoke", args=[certificate.public_id])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400
    assert "Give a reason" in response.content.decode()
    assert "A Learner" in response.content.decode()
    too_long = client.post(url, {"reason": "x" * 301})
    assert too_long.status_code == 400
    assert 'value="' + "x" * 301 + '"' in too_long.content.decode()
    certificate.refresh_from_db()
    assert certificate.is_valid


def test_an_empty_or_overlong_invite_code_is_refused_clearly(client, course, make_user):
    outsider = make_user()
    client.force_login(outsider)
    empty = client.post(reverse("courses:cohort_join"), {"invite_code": " "})
    assert empty.status_code == 400
    assert "Enter the invite code" in empty.content.decode()
    overlong = client.post(reverse("courses:cohort_join"), {"invite_code": "X" * 500})
    assert overlong.status_code == 400
    assert "not valid" in overlong.content.decode()
    assert not Enrolment.objects.filter(user=outsider).exists()


@pytest.mark.parametrize("next_lesson", ["abc", "99999999999999999999999", "-1", ""])
def test_completing_a_lesson_with_a_strange_next_lesson_goes_back_to_the_lesson(
    client, course, next_lesson
):
    built, learner, _trainer = course
    client.force_login(learner)
    lesson = built.lessons[0]
    response = client.post(
        reverse("courses:lesson_complete", args=[lesson.pk]), {"next_lesson": next_lesson}
    )
    assert response.status_code == 302
    assert response["Location"] == lesson.url
