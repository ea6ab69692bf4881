"""Reflection answers: kept for the learner on the lesson page, shown to the course's trainers
only when the learner shares them, and refused to anyone who is not the course's learner."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from courses import services
from courses.models import ReflectionAnswer
from tests.courses.conftest import text_block

pytestmark = pytest.mark.django_db

PROMPT = {"type": "reflection", "id": "think-1", "value": {"prompt": "What grows here?"}}


@pytest.fixture
def reflective(make_course, trainer, learner):
    built = make_course(trainers=[trainer], modules=1, lessons=1, quiz=False)
    lesson = built.lessons[0]
    lesson.body = json.dumps([text_block(1), PROMPT])
    lesson.save_revision().publish()
    services.enrolment_create(user=learner, course=built.course)
    return built.course, lesson


def _save(client, lesson, text: str, *, shared: bool = False):
    data = {"text": text, **({"shared": "on"} if shared else {})}
    return client.post(reverse("courses:reflection_save", args=[lesson.pk, "think-1"]), data)


def test_a_learner_keeps_a_reflection_and_shares_it_only_if_they_choose(
    client, learner, trainer, reflective
):
    course, lesson = reflective
    client.force_login(learner)
    assert _save(client, lesson, "<b>Sorghum</b> and acacia.").status_code == 302
    page = client.get(lesson.get_url()).content.decode()
    assert "&lt;b&gt;Sorghum&lt;/b&gt; and acacia." in page  # their own, escaped
    assert "only you can read it" in page

    reflections = reverse("courses:reflections", args=[course.pk])
    client.force_login(trainer)
    assert "Sorghum" not in client.get(reflections).content.decode()

    client.force_login(learner)
    _save(client, lesson, "Sorghum, acacia and millet.", shared=True)
    assert ReflectionAnswer.objects.get().text == "Sorghum, acacia and millet."
    client.force_login(trainer)
    response = client.get(reflections)
    assert "Sorghum, acacia and millet." in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


def test_only_the_course_learners_write_and_only_its_trainers_read(client, make_user, reflective):
    course, lesson = reflective
    client.force_login(make_user())  # a member, not enrolled
    assert _save(client, lesson, "Mine.").status_code == 403
    assert client.get(reverse("courses:reflections", args=[course.pk])).status_code == 403
    assert not ReflectionAnswer.objects.exists()


def test_an_empty_or_unknown_prompt_is_refused(client, learner, reflective):
    _course, lesson = reflective
    client.force_login(learner)
    assert _save(client, lesson, "   ").status_code == 400
    response = client.post(
        reverse("courses:reflection_save", args=[lesson.pk, "nope"]), {"text": "Hi"}
    )
    assert response.status_code == 404
    assert not ReflectionAnswer.objects.exists()
