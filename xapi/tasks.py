"""The xAPI send, run by the task worker after a learner's write commits (django-tasks:
inline on the embedded default). No arguments: it sends whatever is due."""

from __future__ import annotations

import logging

from django_tasks import task

from xapi import sending

logger = logging.getLogger(__name__)


@task()
def send_statements() -> None:
    try:
        sending.send_pending(max_batches=10)
    except Exception:  # the learner's write is done; the rows wait for the next send
        logger.exception("xAPI send failed")


@task()
def sweep_statements() -> None:
    """The clock's sweep (``config.schedule``): whatever is still pending gets one try, so
    statements written while the LRS was down arrive once it is back, whatever the queue did."""
    try:
        sending.send_pending(respect_backoff=False)
    except Exception:
        logger.exception("xAPI sweep failed")
