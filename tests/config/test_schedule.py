"""config.schedule: periodic tasks enqueued once per period, however many schedulers run."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks import task

from config import schedule

pytestmark = pytest.mark.django_db

ran: list[str] = []


@task()
def _note_a_run() -> None:
    ran.append("ran")


@pytest.fixture
def only_this_job(monkeypatch):
    monkeypatch.setattr(schedule, "_JOBS", {})
    schedule.every(3600, _note_a_run, name="test")
    ran.clear()
    yield
    ran.clear()


def test_a_period_is_enqueued_once_by_any_number_of_schedulers(only_this_job):
    hour = 1_800_000_000 - 1_800_000_000 % 3600
    # Two schedulers waking in the same hour (a deploy), then the next hour.
    assert schedule.enqueue_due(now=hour + 5) == ["test"]
    assert schedule.enqueue_due(now=hour + 65) == []
    assert schedule.enqueue_due(now=hour + 3605) == ["test"]
    assert ran == ["ran", "ran"]


def test_a_period_shorter_than_the_wake_up_is_refused():
    with pytest.raises(ValueError, match="once a minute"):
        schedule.every(10, _note_a_run, name="too-often")


def test_the_apps_schedule_the_digest_and_the_reminders():
    out = io.StringIO()
    call_command("run_schedule", "--list", stdout=out)
    assert "forums.tasks.send_digests: every 3600 s" in out.getvalue()
    assert "events.tasks.send_reminders: every 3600 s" in out.getvalue()
    assert "xapi.tasks.sweep_statements: every 600 s" in out.getvalue()
    assert "forums.tasks.dialogue_clock: every 60 s" in out.getvalue()


def test_one_pass_sends_the_due_digest(make_user, client):
    """The scheduled task does the real work (the embedded default runs tasks at once)."""
    from forums import services
    from forums.models import Category

    category = Category.objects.create(name="Clock", slug="clock")
    topic = services.topic_create(
        author=make_user(), category=category, title="By the clock", body="Opening."
    )
    services.post_create(author=make_user(), topic=topic, body="A reply")
    call_command("run_schedule", "--once", stdout=io.StringIO())
    assert [message.to for message in mail.outbox] == [[topic.author.email]]
