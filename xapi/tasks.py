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
