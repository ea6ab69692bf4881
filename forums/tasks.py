"""The forums' periodic work, run by the task worker when ``config.schedule`` enqueues it."""

from __future__ import annotations

from django_tasks import task

from forums.digest import digest_send


@task()
def send_digests() -> int:
    """Each member whose digest is due gets it (hourly: their frequency decides)."""
    return digest_send()


@task()
def dialogue_clock() -> None:
    """Open, close and remind live dialogues on schedule (every minute)."""
    from forums.dialogues.schedule import dialogue_clock as run

    run()


@task()
def send_dialogue_reminders(session_id: int, day_before: bool = False) -> int:
    """Mail a session's followers that it starts soon (or tomorrow)."""
    from forums.dialogues.mail import dialogue_reminders_mail

    return dialogue_reminders_mail(session_id=session_id, day_before=day_before)
