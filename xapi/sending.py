"""Send the outbox to the LRS: oldest first, in batches, with back-off when the LRS fails.

Called by the task the signal handlers queue after each commit (``xapi.tasks``) and by the
sweep (``manage.py xapi_send``, from cron). A statement's id is fixed when its row is written
and the LRS drops ids it already has, so a batch sent twice (a worker killed between the POST
and the update, two workers on one row) is stored once.

- The LRS took the batch (200/204): the rows are sent, and rows waiting out a back-off are due
  again at once (the LRS is back).
- The LRS is unreachable, slow, failing (5xx) or refuses our credentials (401/403): the rows
  stay pending and are tried again after a back-off that doubles with each attempt
  (``XAPI_RETRY_SECONDS`` .. ``XAPI_RETRY_MAX_SECONDS``); while one is waiting, the queued task
  sends nothing new (one failed request per back-off, not one per learner's click). The sweep
  always tries once.
- The LRS refuses a statement itself (400, 409: another statement has its id): a batch is split
  and sent one by one, and the refused row is set aside (``rejected_at``) with the reason.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from xapi.models import Statement

logger = logging.getLogger(__name__)

XAPI_VERSION = "1.0.3"
#: The LRS says the statement is wrong: sending it again would not help.
_REFUSED = {400, 409, 413, 422}
#: The LRS says we are not allowed: the operator must fix the credentials.
_UNAUTHORISED = {401, 403}


@dataclass
class Outcome:
    """What one run did."""

    sent: int = 0
    rejected: int = 0
    failed: bool = False
    waiting: bool = False  # an earlier failure's back-off held this run back


class _Failure(Exception):
    """``refused``: the LRS refused the statements themselves; ``unauthorised``: it refused
    our credentials (a person must fix the settings: logged as an error)."""

    def __init__(self, message: str, *, refused: bool = False, unauthorised: bool = False):
        super().__init__(message)
        self.message = message
        self.refused = refused
        self.unauthorised = unauthorised


def pending():
    return Statement.objects.filter(sent_at__isnull=True, rejected_at__isnull=True)


def backoff(attempts: int) -> datetime.timedelta:
    seconds = settings.XAPI_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, settings.XAPI_RETRY_MAX_SECONDS))


def in_backoff(now: datetime.datetime) -> bool:
    """A send failed and its back-off has not run out."""
    return pending().filter(attempts__gt=0, next_attempt_at__gt=now).exists()


def _post(payloads: list[dict]) -> None:
    url = settings.XAPI_LRS_URL.rstrip("/") + "/statements"
    try:
        response = requests.post(
            url,
            json=payloads,
            auth=(settings.XAPI_LRS_USERNAME, settings.XAPI_LRS_PASSWORD),
            headers={"X-Experience-API-Version": XAPI_VERSION},
            timeout=settings.XAPI_LRS_TIMEOUT,
        )
    except requests.RequestException as error:
        raise _Failure(f"the LRS at {url} could not be reached: {error}") from error
    if response.status_code in (200, 204):
        return
    detail = response.text[:500]
    if response.status_code in _UNAUTHORISED:
        raise _Failure(
            f"the LRS at {url} refused our credentials ({response.status_code}): check "
            f"XAPI_LRS_USERNAME and XAPI_LRS_PASSWORD. It said: {detail}",
            unauthorised=True,
        )
    if response.status_code in _REFUSED:
        raise _Failure(f"the LRS refused ({response.status_code}): {detail}", refused=True)
    raise _Failure(f"the LRS at {url} answered {response.status_code}: {detail}")


def _claim(*, batch_size: int, now: datetime.datetime, due_only: bool) -> list[Statement]:
    """The next batch, oldest first. Rows another worker is claiming right now are skipped
    (PostgreSQL); claimed rows are not due again for one timeout's lease, so a second worker
    takes the next batch instead of the same one."""
    with transaction.atomic():
        rows = pending().order_by("id").select_for_update(skip_locked=True)
        if due_only:
            rows = rows.filter(next_attempt_at__lte=now)
        claimed = list(rows[:batch_size])
        if claimed:
            lease = now + datetime.timedelta(seconds=2 * settings.XAPI_LRS_TIMEOUT + 1)
            pending().filter(pk__in=[row.pk for row in claimed]).update(next_attempt_at=lease)
    return claimed


def _mark_sent(rows: list[Statement]) -> None:
    pending().filter(pk__in=[row.pk for row in rows]).update(
        sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
    )


def _mark_failed(rows: list[Statement], message: str) -> datetime.datetime:
    attempts = max(row.attempts for row in rows) + 1
    retry_at = timezone.now() + backoff(attempts)
    pending().filter(pk__in=[row.pk for row in rows]).update(
        attempts=F("attempts") + 1, next_attempt_at=retry_at, last_error=message
    )
    return retry_at


def _send_one_by_one(rows: list[Statement], outcome: Outcome) -> None:
    for row in rows:
        try:
            _post([row.payload])
        except _Failure as failure:
            if not failure.refused:
                raise
            logger.error("xAPI statement %s refused by the LRS: %s", row.statement_id, failure)
            pending().filter(pk=row.pk).update(
                rejected_at=timezone.now(), attempts=F("attempts") + 1, last_error=failure.message
            )
            outcome.rejected += 1
        else:
            _mark_sent([row])
            outcome.sent += 1


def send_pending(*, respect_backoff: bool = True, max_batches: int | None = None) -> Outcome:
    """Send pending statements, a batch at a time, until none is due, a send fails, or
    ``max_batches`` went. ``respect_backoff=False`` (the sweep) tries once even while an
    earlier failure's back-off runs."""
    outcome = Outcome()
    if not settings.XAPI_LRS_URL:
        return outcome
    if respect_backoff and in_backoff(timezone.now()):
        outcome.waiting = True
        return outcome
    batches = 0
    while max_batches is None or batches < max_batches:
        rows = _claim(
            batch_size=settings.XAPI_BATCH_SIZE, now=timezone.now(), due_only=respect_backoff
        )
        if not rows:
            break
        batches += 1
        try:
            try:
                _post([row.payload for row in rows])
            except _Failure as failure:
                if not failure.refused:
                    raise
                _send_one_by_one(rows, outcome)
            else:
                _mark_sent(rows)
                outcome.sent += len(rows)
        except _Failure as failure:
            retry_at = _mark_failed(rows, failure.message)
            log = logger.error if failure.unauthorised else logger.warning
            log(
                "xAPI: %d statement(s) not sent, kept for a retry at %s: %s",
                len(rows),
                retry_at.isoformat(),
                failure.message,
            )
            outcome.failed = True
            _schedule_retry(retry_at)
            break
        if respect_backoff and batches == 1:
            # The LRS took a batch: what waited out a back-off may go now.
            pending().filter(attempts__gt=0, next_attempt_at__gt=timezone.now()).update(
                next_attempt_at=timezone.now()
            )
    else:
        if pending().filter(next_attempt_at__lte=timezone.now()).exists():
            _schedule_retry(None)
    return outcome


def _schedule_retry(when: datetime.datetime | None) -> None:
    """Queue the next send, at ``when``, on a backend that can wait (the database queue); the
    immediate backend cannot, so there the next learner's write or the sweep sends."""
    from xapi.tasks import send_statements

    task = send_statements
    if when is not None:
        if not task.get_backend().supports_defer:
            return
        task = task.using(run_after=when)
    elif not task.get_backend().supports_defer:
        return  # the immediate backend would run it now, inside this one
    task.enqueue()
