"""The grade send, run by the task worker after a learner's write commits (django-tasks:
inline on the embedded default), and the clock's sweeps. No arguments: each does whatever is
due."""

from __future__ import annotations

import logging

from django_tasks import task

from lti import grade_sending, roster

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


@task()
def sync_rosters() -> None:
    """The clock's class list sync (``LTI_ROSTER_SYNC_SECONDS``): every platform course whose
    launches gave a class list address follows the platform's enrolments without anyone
    asking; an instructor's launch can ask for it at once (``lti.views.roster_view``)."""
    try:
        roster.sync_all()
    except Exception:
        logger.exception("LTI class list sync failed")
