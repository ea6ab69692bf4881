"""The forums' periodic work, run by the task worker when ``config.schedule`` enqueues it."""

from __future__ import annotations

from django_tasks import task

from forums.digest import digest_send


@task()
def send_digests() -> int:
    """Each member whose digest is due gets it (hourly: their frequency decides)."""
    return digest_send()
