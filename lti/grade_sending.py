"""Send the learners' changed grades to their platforms' grade books (AGS Scores).

Called by the task the signal handlers queue after each commit (``lti.tasks.send_scores``) and
by the clock's sweep. For each due grade link: the learner's standing now (``lti.selectors``),
as an AGS Score (``lti.scores``) posted to the line item's ``/scores`` by pylti1p3's
``AssignmentsGradesService``, whose ``ServiceConnector`` first gets an OAuth2 access token from
the platform's token endpoint with a client assertion JWT signed with our tool key (the newest
active one, whose ``kid`` our key set serves). Every request is bounded by
``LTI_HTTP_TIMEOUT``; one connector (one token) per registration and run.

- The platform took the score: the link records which change went (``sent_for``); a change
  made meanwhile (a later commit) stays pending and goes next.
- The platform is unreachable, slow or failing: the link waits ``LTI_RETRY_SECONDS``, doubling
  with each attempt up to ``LTI_RETRY_MAX_SECONDS``, and so do the other links of that platform
  in the run (one failing request per platform, not one per learner). The sweep tries once.
- The platform refuses our client assertion or token (400/401/403): logged as an error naming
  what to check; retried like a failure, so fixing the registration is enough.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.service_connector import ServiceConnector

from lti import scores, selectors
from lti.launch import TimedSession
from lti.models import GradeLink
from lti.services import SCORE_SCOPE

logger = logging.getLogger(__name__)

_CREDENTIALS = {400, 401, 403}


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0


class _Failure(Exception):
    def __init__(self, message: str, *, credentials: bool = False):
        super().__init__(message)
        self.message = message
        self.credentials = credentials


def pending():
    """Links with a change not sent yet, of active registrations and deployments (a platform
    switched off in the admin gets nothing until it is switched on again)."""
    return GradeLink.objects.filter(
        changed_at__isnull=False,
        line_item__context__deployment__is_active=True,
        line_item__context__deployment__registration__is_active=True,
    ).filter(Q(sent_for__isnull=True) | Q(sent_for__lt=F("changed_at")))


def backoff(attempts: int) -> datetime.timedelta:
    seconds = settings.LTI_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, settings.LTI_RETRY_MAX_SECONDS))


def _claim(*, now: datetime.datetime, due_only: bool) -> list[GradeLink]:
    """The next batch. Rows another worker is claiming are skipped (PostgreSQL); claimed rows
    are leased for one request's time, so a second worker takes others."""
    with transaction.atomic():
        rows = (
            pending().order_by("changed_at", "id").select_for_update(skip_locked=True, of=("self",))
        )
        if due_only:
            rows = rows.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        claimed = list(
            rows.select_related("lti_user", "line_item__context__deployment__registration")[
                : settings.LTI_SCORE_BATCH_SIZE
            ]
        )
        if claimed:
            lease = now + datetime.timedelta(seconds=3 * settings.LTI_HTTP_TIMEOUT + 1)
            GradeLink.objects.filter(pk__in=[row.pk for row in claimed]).update(
                next_attempt_at=lease
            )
    return claimed


def _post(connector: ServiceConnector, link: GradeLink, token_url: str) -> None:
    grade = scores.grade(selectors.standing_of(link))
    service = AssignmentsGradesService(
        connector, {"scope": [SCORE_SCOPE], "lineitem": link.line_item.url}
    )
    try:
        service.put_grade(grade)
    except requests.RequestException as error:
        raise _Failure(f"the platform could not be reached: {error}") from error
    except LtiServiceException as error:
        status = error.response.status_code
        detail = error.response.text[:300]
        if error.response.url.split("?")[0] == token_url.split("?")[0] and status in _CREDENTIALS:
            raise _Failure(
                f"the platform's token endpoint {token_url} refused our client assertion "
                f"({status}): check the registration's client ID, token URL and audience, and "
                f"that the platform has this site's key set URL. It said: {detail}",
                credentials=True,
            ) from error
        if status in (401, 403):
            raise _Failure(
                f"the platform refused our access token for {link.line_item.url} ({status}): "
                f"check that the tool may post scores there. It said: {detail}",
                credentials=True,
            ) from error
        raise _Failure(f"the platform answered {status} for {error.response.url}: {detail}") from (
            error
        )
    except LtiException as error:  # a score pylti1p3 would not build or send
        raise _Failure(f"the score could not be sent: {error}") from error


def _mark_sent(link: GradeLink) -> None:
    # Only the change that went: a later commit's mark (changed_at moved on) stays pending.
    sent = GradeLink.objects.filter(pk=link.pk, changed_at=link.changed_at).update(
        sent_for=link.changed_at, attempts=0, next_attempt_at=None, last_error=""
    )
    if not sent:  # due at once, not after the claim's lease
        GradeLink.objects.filter(pk=link.pk).update(next_attempt_at=None)


def _mark_failed(links: list[GradeLink], failure: _Failure) -> datetime.datetime:
    attempts = max(link.attempts for link in links) + 1
    retry_at = timezone.now() + backoff(attempts)
    GradeLink.objects.filter(pk__in=[link.pk for link in links]).update(
        attempts=F("attempts") + 1, next_attempt_at=retry_at, last_error=failure.message
    )
    log = logger.error if failure.credentials else logger.warning
    log(
        "LTI grades: %d score(s) not sent, kept for a retry at %s: %s",
        len(links),
        retry_at.isoformat(),
        failure.message,
    )
    return retry_at


def send_pending(*, respect_backoff: bool = True) -> Outcome:
    """Send one batch of due scores. ``respect_backoff=False`` (the sweep) tries every pending
    link once, even one waiting out a back-off."""
    outcome = Outcome()
    links = _claim(now=timezone.now(), due_only=respect_backoff)
    by_registration: dict[int, list[GradeLink]] = {}
    for link in links:
        registration = link.line_item.context.deployment.registration
        by_registration.setdefault(registration.pk, []).append(link)
    retry_at = None
    for group in by_registration.values():
        registration = group[0].line_item.context.deployment.registration
        connector = ServiceConnector(registration.to_registration(), TimedSession())
        for index, link in enumerate(group):
            try:
                _post(connector, link, registration.token_url)
            except _Failure as failure:
                # The rest of this platform's batch waits too: one failing request per platform.
                retry_at = _mark_failed(group[index:], failure)
                outcome.failed += len(group) - index
                break
            _mark_sent(link)
            outcome.sent += 1
    if retry_at is not None:
        _schedule(retry_at)
    elif len(links) == settings.LTI_SCORE_BATCH_SIZE:
        _schedule(None)
    return outcome


def _schedule(when: datetime.datetime | None) -> None:
    """Queue the next send on a backend that can wait (the database queue); the immediate one
    cannot, so there the next learner's write or the sweep sends."""
    from lti.tasks import send_scores

    if not send_scores.get_backend().supports_defer:
        return
    (send_scores.using(run_after=when) if when else send_scores).enqueue()
