"""The grade send, run by the task worker after a learner's write commits (django-tasks:
inline on the embedded default). No arguments: it sends whatever is due."""

from __future__ import annotations

import logging

from django_tasks import task

from lti import grade_sending

logger = logging.getLogger(__name__)


@task()
def send_scores() -> None:
    try:
        grade_sending.send_pending()
    except Exception:  # the learner's write is done; the links wait for the next send
        logger.exception("LTI grade send failed")


@task()
def sweep_scores() -> None:
    """The clock's sweep (``config.schedule``): every pending score gets one try, so grades
    written while a platform was down arrive once it is back, whatever the queue did."""
    try:
        grade_sending.send_pending(respect_backoff=False)
    except Exception:
        logger.exception("LTI grade sweep failed")
