"""The outbox's edges against the real LRS: a statement the LRS refuses is set aside without
holding up the others; the embedded default (immediate tasks, no worker) with the LRS down
still answers the learner; a launch from elsewhere is recorded."""

from __future__ import annotations

import logging
import uuid

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from courses import signals
from xapi import sending
from xapi.models import LearnerAccount, Statement
from xapi.statements import VERBS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("migrated_rows")]


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://testserver"


def of_learner(lrs, user) -> list[dict]:
    name = user.xapi_account.name
    return lrs.statements(
        agent=f'{{"account": {{"homePage": "http://testserver", "name": "{name}"}}}}'
    )


def test_a_statement_the_lrs_refuses_is_set_aside_and_the_rest_are_sent(
    lrs, make_course, learner, settings, caplog
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    built = make_course(modules=1, lessons=2)
    course, lesson = built.course, built.lessons[0]
    signals.launched.send(
        sender=type(course), user=learner, course=course, lesson=lesson, via="lti"
    )
    good = Statement.objects.get(user=learner)
    # An actor with nothing to identify them: ralph's (lax) validation refuses that.
    broken = dict(good.payload, id=str(uuid.uuid4()), actor={"objectType": "Agent"})
    bad = Statement.objects.create(
        statement_id=broken["id"], user=learner, verb="broken", source="test", payload=broken
    )
    signals.launched.send(sender=type(course), user=learner, course=course, lesson=None, via="")
    after = Statement.objects.exclude(pk__in=[good.pk, bad.pk]).get()

    with caplog.at_level(logging.ERROR, logger="xapi"):
        call_command("xapi_send")

    bad.refresh_from_db()
    assert bad.rejected_at is not None and bad.sent_at is None
    assert bad.last_error.startswith("the LRS refused (4")
    assert f"{bad.statement_id} refused by the LRS" in caplog.text
    stored = sorted(of_learner(lrs, learner), key=lambda statement: statement["timestamp"])
    assert [statement["id"] for statement in stored] == [
        str(good.statement_id),
        str(after.statement_id),
    ]
    launched = stored[0]
    assert launched["verb"]["id"] == VERBS["launched"]
    assert launched["object"]["id"] == f"http://testserver{lesson.url}"
    assert launched["context"]["platform"] == "Landscape Commons (lti)"
    assert stored[1]["object"]["id"] == f"http://testserver{course.url}"
    assert sending.pending().count() == 0  # the refused one is not pending: never sent again


def test_on_the_embedded_default_a_learner_is_answered_with_the_lrs_down(
    lrs, make_course, learner, settings
):
    """Immediate tasks run the send in the learner's request, after commit: with the LRS
    down it fails there, is logged, and the learner's request succeeds all the same."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    built = make_course(modules=1, lessons=3)
    client = Client()
    client.force_login(learner)
    lrs.stop()
    responses = [
        client.post(reverse("courses:enrol", args=[built.course.pk])),
        client.post(reverse("courses:lesson_complete", args=[built.lessons[0].pk])),
    ]
    assert [response.status_code for response in responses] == [302, 302]
    first = Statement.objects.get(user=learner)
    assert first.sent_at is None and first.attempts == 1

    # The next write's send waits out the back-off: no second request to an LRS that is down.
    second = client.post(reverse("courses:lesson_complete", args=[built.lessons[1].pk]))
    assert second.status_code == 302
    held = Statement.objects.exclude(pk=first.pk).get(user=learner)
    assert held.attempts == 0 and held.sent_at is None

    lrs.start()
    call_command("xapi_send")
    assert sending.pending().count() == 0
    assert len(of_learner(lrs, learner)) == Statement.objects.filter(user=learner).count()
    assert LearnerAccount.objects.filter(user=learner).count() == 1
