"""A live dialogue linked to a lesson (``DialogueSession.lesson``, chosen in the scheduling
form) shows on that lesson's page, with its time in the reader's zone; a partnership's private
session and a session that has ended do not."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses import services
from forums.dialogues import services as dialogues
from forums.models import Category, DialogueSession, DialogueStatus
from network.models import LandscapePartnership
from network.services import partnership_membership_add

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


def test_the_scheduling_form_links_a_lesson_and_the_lesson_page_shows_the_session(
    client, learner, trainer, make_course
):
    built = make_course(modules=1, lessons=2, quiz=False)
    lesson = built.lessons[0]
    client.force_login(trainer)
    response = client.post(
        reverse("forums:dialogue_create"),
        {
            "title": "Terraces at dawn",
            "starts_at": "2030-05-01T14:00",
            "ends_at": "2030-05-01T15:00",
            "lesson": lesson.pk,
        },
    )
    assert response.status_code == 302, response.content
    session = DialogueSession.objects.get(title="Terraces at dawn")
    assert session.lesson_id == lesson.pk
    room = client.get(session.get_absolute_url()).text
    assert f'href="{lesson.url}"' in room

    partnership = LandscapePartnership.objects.create(
        name="Kijabe", slug="kijabe-lesson", country="KE", region="africa"
    )
    partnership_membership_add(partnership=partnership, user=trainer)
    private = Category.objects.create(name="Room", slug="room", partnership=partnership)
    start = timezone.now() + datetime.timedelta(days=2)
    end = start + datetime.timedelta(hours=1)
    dialogues.dialogue_create(
        host=trainer, title="Secret budget", starts_at=start, ends_at=end, category=private,
        lesson=lesson,
    )  # fmt: skip
    ended = dialogues.dialogue_create(
        host=trainer, title="Last year's talk", starts_at=start, ends_at=end, lesson=lesson
    )
    DialogueSession.objects.filter(pk=ended.pk).update(status=DialogueStatus.ENDED)

    learner.time_zone = "America/Sao_Paulo"
    learner.save(update_fields=["time_zone"])
    services.enrolment_create(user=learner, course=built.course)
    client.force_login(learner)
    page = client.get(lesson.url).text
    assert "Live dialogue: Terraces at dawn" in page
    assert f'href="{session.get_absolute_url()}"' in page
    assert 'datetime="2030-05-01T14:00:00Z"' in page
    # 14:00 UTC is 11 a.m. in São Paulo, the reader's zone (English's DATETIME_FORMAT).
    shown = page.split("Terraces at dawn", 1)[1].split("</p>", 1)[0]
    assert "May 1, 2030, 11 a.m." in shown, shown
    assert "Secret budget" not in page
    assert "Last year" not in page
    assert "Live dialogue:" not in client.get(built.lessons[1].url).text
