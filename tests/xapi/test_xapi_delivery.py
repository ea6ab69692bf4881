"""A learner's record reaches a real LRS (ralph, started by tests/xapi/conftest.py) as xAPI
statements, sent by the task worker after commit, and read back through the LRS's own API.

The task backend is the database queue, and the worker is django-tasks-db's own ``db_worker``
(``--batch``: it runs what is queued, then returns), as in production. The learner works
through the site's views; with the LRS down, every request of theirs still succeeds and the
statements wait in the outbox until the LRS is back.
"""

from __future__ import annotations

import datetime
import logging

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import Locale

from courses import services
from courses.models import Certificate
from network.roles import Role
from tests.courses.conftest import QUIZ_ID, RIGHT, WRONG
from xapi.models import LearnerAccount, Statement
from xapi.statements import VERBS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("migrated_rows")]

ADL = "http://adlnet.gov/expapi/verbs/"


@pytest.fixture(autouse=True)
def _database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker() -> None:
    """What ``manage.py db_worker`` does in production, until the queue is empty."""
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay")


def sends_queued():
    return DBTaskResult.objects.filter(task_path="xapi.tasks.send_statements")


def take_course_to_certificate(client: Client, built) -> None:
    """Through the views, as the learner's browser would: enrol, read, fail the quiz once,
    pass it (which completes the lesson and the course)."""
    reading, quiz_lesson = built.lessons
    responses = [
        client.post(reverse("courses:enrol", args=[built.course.pk])),
        client.post(reverse("courses:lesson_complete", args=[reading.pk])),
    ]
    url = reverse("courses:quiz_submit", args=[quiz_lesson.pk, QUIZ_ID])
    for number, answers in ((1, WRONG), (2, RIGHT)):
        fields = {f"q-{question}": values for question, values in answers.items()}
        responses.append(client.post(url, {"attempt": str(number), **fields}))
    assert [response.status_code for response in responses] == [302, 302, 302, 302]


@pytest.fixture
def course_in_two_languages(make_course):
    built = make_course(modules=1, lessons=2, title="Páramo restoration")
    spanish = built.course.copy_for_translation(
        Locale.objects.get(language_code="es"), copy_parents=True
    )
    spanish.title = "Restauración del páramo"
    spanish.save_revision().publish()
    return built


def account_of(user) -> dict:
    return {"homePage": "http://testserver", "name": str(user.xapi_account.name)}


def statements_of(lrs, user) -> list[dict]:
    found = lrs.statements(
        agent=f'{{"account": {{"homePage": "http://testserver", '
        f'"name": "{user.xapi_account.name}"}}}}'
    )
    return sorted(found, key=lambda statement: statement["timestamp"])


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://testserver"


def test_a_learner_taking_a_course_to_its_certificate_is_recorded_in_the_lrs(
    lrs, course_in_two_languages, learner, client, trainer
):
    built = course_in_two_languages
    reading, quiz_lesson = built.lessons
    client.force_login(learner)
    take_course_to_certificate(client, built)

    run_worker()

    assert not Statement.objects.filter(sent_at__isnull=True).exists()
    stored = statements_of(lrs, learner)
    verbs = [statement["verb"]["id"].rsplit("/", 1)[-1] for statement in stored]
    assert verbs == [
        "completed",  # the reading lesson
        "answered",
        "failed",
        "answered",
        "passed",
        "completed",  # the quiz lesson, completed by passing
        "completed",  # the course
        "earned",  # its certificate
    ]
    assert {statement["id"] for statement in stored} == {
        str(row.statement_id) for row in Statement.objects.filter(user=learner)
    }
    account = account_of(learner)
    for statement in stored:
        assert statement["actor"]["account"] == account
        assert learner.email not in str(statement)
        assert learner.username not in str(statement)

    course_id = f"http://testserver{built.course.url}"
    reading_done, failed, passed, course_done, earned = (
        stored[0],
        stored[2],
        stored[4],
        stored[6],
        stored[7],
    )
    assert reading_done["object"]["id"] == f"http://testserver{reading.url}"
    assert reading_done["object"]["definition"]["type"].endswith("/activities/lesson")
    assert reading_done["context"]["contextActivities"]["parent"][0]["id"] == course_id
    assert reading_done["result"] == {"completion": True}

    quiz_id = f"http://testserver{quiz_lesson.url}#{QUIZ_ID}"
    assert failed["object"]["id"] == quiz_id
    assert failed["result"]["success"] is False
    assert failed["result"]["score"] == {"scaled": 0.0, "raw": 0, "min": 0, "max": 4}
    assert passed["verb"]["id"] == VERBS["passed"]
    assert passed["result"]["success"] is True
    assert passed["result"]["score"] == {"scaled": 1.0, "raw": 4, "min": 0, "max": 4}
    context = passed["context"]["contextActivities"]
    assert context["parent"][0]["id"] == f"http://testserver{quiz_lesson.url}"
    assert context["grouping"][0]["id"] == course_id

    assert course_done["object"]["id"] == course_id
    assert course_done["object"]["definition"]["name"] == {
        "en": "Páramo restoration",
        "es": "Restauración del páramo",
    }
    certificate = Certificate.objects.get(user=learner)
    assert earned["verb"]["id"] == "http://id.tincanapi.com/verb/earned"
    assert earned["object"]["id"] == f"http://testserver/certificates/{certificate.public_id}/"
    registrations = {statement["context"]["registration"] for statement in stored}
    assert len(registrations) == 1

    # A revoked certificate voids the statement that said it was earned. (ralph's verb filter
    # finds no "voided" statement, and it ignores voidedStatementId: read them all.)
    services.certificate_revoke(certificate=certificate, revoked_by=trainer, reason="In error")
    run_worker()
    voiding = [s for s in statements_of(lrs, learner) if s["verb"]["id"] == ADL + "voided"]
    assert [statement["object"] for statement in voiding] == [
        {"objectType": "StatementRef", "id": earned["id"]}
    ]


def test_with_the_lrs_down_the_learner_is_not_held_up_and_the_sweep_delivers_once(
    lrs, make_course, learner, client, caplog
):
    built = make_course(modules=1, lessons=2)
    client.force_login(learner)
    lrs.stop()

    take_course_to_certificate(client, built)  # every request succeeded
    with caplog.at_level(logging.WARNING, logger="xapi"):
        run_worker()

    rows = Statement.objects.filter(user=learner)
    assert rows.count() == 8
    assert all(row.sent_at is None and row.attempts == 1 for row in rows)
    assert "could not be reached" in rows[0].last_error
    assert "kept for a retry" in caplog.text
    # The retry is queued for when the back-off ends.
    assert sends_queued().filter(status="READY", run_after__gt=timezone.now()).exists()

    lrs.start()
    call_command("xapi_send")
    call_command("xapi_send")  # a second sweep finds nothing to send

    assert not Statement.objects.filter(sent_at__isnull=True).exists()
    stored = statements_of(lrs, learner)
    assert len(stored) == 8
    assert sorted(statement["id"] for statement in stored) == sorted(
        str(row.statement_id) for row in rows
    )


def test_the_queued_retry_delivers_once_the_lrs_is_back(lrs, make_course, learner, client):
    built = make_course(modules=1, lessons=2)
    client.force_login(learner)
    lrs.stop()
    take_course_to_certificate(client, built)
    run_worker()
    assert Statement.objects.filter(user=learner, sent_at__isnull=True).count() == 8

    lrs.start()
    # The back-off runs out (as if its time had passed): the retry the worker queued runs.
    past = timezone.now() - datetime.timedelta(seconds=1)
    Statement.objects.update(next_attempt_at=past)
    DBTaskResult.objects.filter(status="READY").update(run_after=past)
    run_worker()

    assert not Statement.objects.filter(sent_at__isnull=True).exists()
    assert len(statements_of(lrs, learner)) == 8


def test_a_write_rolled_back_reports_nothing(lrs, make_course, learner):
    built = make_course(modules=1, lessons=2)
    services.enrolment_create(user=learner, course=built.course)

    with pytest.raises(RuntimeError), transaction.atomic():
        services.lesson_complete(user=learner, lesson=built.lessons[0])
        raise RuntimeError("the request failed after the service")
    run_worker()
    assert not Statement.objects.exists()
    assert not LearnerAccount.objects.filter(user=learner).exists()
    assert not sends_queued().exists()

    # The control: the same write, committed, is reported.
    services.lesson_complete(user=learner, lesson=built.lessons[0])
    run_worker()
    stored = statements_of(lrs, learner)
    assert [statement["verb"]["id"] for statement in stored] == [VERBS["completed"]]


def test_bad_credentials_are_logged_clearly_and_the_statements_wait(
    lrs, make_course, learner, settings, caplog
):
    built = make_course(modules=1, lessons=2)
    services.enrolment_create(user=learner, course=built.course)
    settings.XAPI_LRS_PASSWORD = "not-the-password"

    with caplog.at_level(logging.WARNING, logger="xapi"):
        services.lesson_complete(user=learner, lesson=built.lessons[0])
        run_worker()

    row = Statement.objects.get(user=learner)
    assert row.sent_at is None
    assert row.attempts == 1
    errors = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "refused our credentials (401)" in errors[0].getMessage()
    assert "XAPI_LRS_PASSWORD" in errors[0].getMessage()
    assert lrs.statements(verb=VERBS["completed"]) == [] or all(
        statement["id"] != str(row.statement_id)
        for statement in lrs.statements(verb=VERBS["completed"])
    )

    settings.XAPI_LRS_PASSWORD = lrs_password()
    call_command("xapi_send")
    row.refresh_from_db()
    assert row.sent_at is not None
    assert [statement["id"] for statement in statements_of(lrs, learner)] == [str(row.statement_id)]


def lrs_password() -> str:
    from tests.xapi.conftest import LRS_PASSWORD

    return LRS_PASSWORD


def test_nothing_is_written_while_no_lrs_is_configured(make_course, learner, settings):
    settings.XAPI_LRS_URL = ""
    built = make_course(modules=1, lessons=1)
    services.enrolment_create(user=learner, course=built.course)
    services.quiz_attempt_submit(
        user=learner, lesson=built.lessons[0], block_id=QUIZ_ID, answers=RIGHT, attempt_number=1
    )
    assert Certificate.objects.filter(user=learner).exists()
    assert not Statement.objects.exists()
    assert not sends_queued().exists()


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER)
