"""Work that runs by the clock (the forum digest, event reminders): enqueued for the task worker
by one small process, ``manage.py run_schedule`` (the ``scheduler`` service in compose).

django-tasks runs what is enqueued but has no clock of its own. Each app declares its periodic
tasks with :func:`every` when it is ready; :func:`enqueue_due` enqueues each task at most once per
period, whatever the number of schedulers running (a second one during a deploy, say): a
period's slot is claimed with ``cache.add``, which only one caller wins, on the cache every
process shares (Redis in production, the file cache on the embedded default). If the cache is
emptied, a task may run once more early; every periodic task here is written to make that
harmless (the digest keeps each member's last mail, a reminder its ``reminded_at``).
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable

from django.core.cache import cache
from django_tasks.base import Task

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Periodic:
    name: str
    seconds: int
    task: Task


_JOBS: dict[str, Periodic] = {}


def every(seconds: int, task: Task, *, name: str = "") -> None:
    """Run ``task`` (no arguments) every ``seconds``; call it from an app's ``ready``."""
    if seconds < 60:
        raise ValueError("the schedule wakes once a minute: choose 60 seconds or more")
    name = name or f"{task.module_path}"
    _JOBS[name] = Periodic(name=name, seconds=seconds, task=task)


def jobs() -> list[Periodic]:
    return sorted(_JOBS.values(), key=lambda job: job.name)


def enqueue_due(*, now: float | None = None) -> list[str]:
    """Enqueue every job whose period has a slot nobody claimed yet; the names enqueued."""
    now = time.time() if now is None else now
    enqueued = []
    for job in jobs():
        slot = int(now // job.seconds)
        if cache.add(f"schedule:{job.name}:{slot}", 1, timeout=job.seconds * 2):
            job.task.enqueue()
            enqueued.append(job.name)
    return enqueued


def run_forever(*, sleep: Callable[[float], None] = time.sleep) -> None:
    """Wake at the top of each minute and enqueue what is due; a failure is logged, not fatal
    (the next minute tries again)."""
    while True:
        try:
            names = enqueue_due()
            if names:
                log.info("schedule: enqueued %s", ", ".join(names))
        except Exception:
            log.exception("schedule: could not enqueue this minute's tasks")
        sleep(60 - time.time() % 60)
