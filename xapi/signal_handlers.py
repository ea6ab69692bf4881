"""The course signals, written down as xAPI statements in the learner's own transaction.

Each receiver adds outbox rows (``Statement``) beside the write that caused them, so a rollback
takes them away, and asks once per transaction for a send after commit. Nothing is written
while no LRS is configured (``XAPI_LRS_URL`` empty).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone, translation
from wagtail.models import Page

from config.after_commit import OncePerCommit
from courses import signals
from xapi import statements
from xapi.models import LearnerAccount, Statement


def _enqueue_send() -> None:
    from xapi.tasks import send_statements

    send_statements.enqueue()


#: Asked by every receiver that adds to the outbox; enqueues one send after commit.
_send_after_commit = OncePerCommit(_enqueue_send)


def enabled() -> bool:
    return bool(settings.XAPI_LRS_URL)


def _actor(user) -> tuple[dict, str]:
    account, _created = LearnerAccount.objects.get_or_create(user=user)
    name = str(account.name)
    return statements.actor(home_page=settings.SITE_URL, name=name), name


def _activity(page: Page, kind: str) -> statements.Activity:
    """The page as an activity: its id the URL of its version in the site's language (the
    page itself when it has none), its name in every language it is translated into."""
    versions = list(
        Page.objects.filter(translation_key=page.translation_key).select_related("locale")
    )
    names = {version.locale.language_code: version.title for version in versions}
    canonical = next(
        (v for v in versions if v.locale.language_code == settings.LANGUAGE_CODE), page
    )
    _site, _root, path = canonical.get_url_parts() or (None, None, canonical.url_path)
    return statements.Activity(id=f"{settings.SITE_URL}{path}", type=kind, names=names)


def _write(user, source: str, built: Iterable[tuple[str, dict]]) -> None:
    Statement.objects.bulk_create(
        [
            Statement(
                statement_id=payload["id"], user=user, verb=verb, source=source, payload=payload
            )
            for verb, payload in built
        ]
    )
    _send_after_commit()


def _common(user, course) -> dict:
    actor, name = _actor(user)
    return {
        "actor": actor,
        "registration": statements.registration(
            account_name=name, course_key=course.translation_key
        ),
        "language": translation.get_language() or settings.LANGUAGE_CODE,
        "platform": settings.WAGTAIL_SITE_NAME,
    }


def on_launched(sender, *, user, course, lesson=None, via: str = "", **kwargs) -> None:
    if not enabled():
        return
    common = _common(user, course)
    course_activity = _activity(course, "course")
    target = _activity(lesson, "lesson") if lesson is not None else course_activity
    if via:
        common["platform"] = f"{settings.WAGTAIL_SITE_NAME} ({via})"
    payload = statements.statement(
        statement_id=uuid.uuid4(),
        verb="launched",
        activity=target,
        course=course_activity,
        timestamp=timezone.now(),
        **common,
    )
    _write(user, f"launch:{(lesson or course).translation_key}", [("launched", payload)])


def on_lesson_completed(sender, *, completion, lesson, course, **kwargs) -> None:
    if not enabled():
        return
    payload = statements.statement(
        statement_id=uuid.uuid4(),
        verb="completed",
        activity=_activity(lesson, "lesson"),
        course=_activity(course, "course"),
        timestamp=completion.completed_at,
        result={"completion": True},
        **_common(completion.user, course),
    )
    _write(completion.user, f"completion:{completion.pk}", [("completed", payload)])


def on_attempt_recorded(sender, *, attempt, lesson, course, **kwargs) -> None:
    if not enabled():
        return
    common = _common(attempt.user, course)
    lesson_activity = _activity(lesson, "lesson")
    quiz = statements.Activity(
        id=f"{lesson_activity.id}#{attempt.block_id}",
        type="assessment",
        names=lesson_activity.names,
    )
    results = attempt.results or []
    score = statements.Score(
        percent=attempt.score,
        correct=sum(1 for result in results if result.get("correct")),
        maximum=len(results),
        passed=attempt.passed,
    )
    course_activity = _activity(course, "course")
    built = [
        (
            verb,
            statements.statement(
                statement_id=uuid.uuid4(),
                verb=verb,
                activity=quiz,
                parent=lesson_activity,
                course=course_activity,
                timestamp=attempt.submitted_at,
                result=score.as_json(),
                **common,
            ),
        )
        for verb in ("answered", "passed" if attempt.passed else "failed")
    ]
    _write(attempt.user, f"attempt:{attempt.pk}", built)


def _certificate_activity(certificate, course) -> statements.Activity:
    from django.urls import reverse

    names = _activity(course, "course").names
    path = reverse("courses:certificate", args=[certificate.public_id])
    return statements.Activity(id=f"{settings.SITE_URL}{path}", type="certificate", names=names)


def on_certificate_issued(sender, *, certificate, course, **kwargs) -> None:
    if not enabled():
        return
    common = _common(certificate.user, course)
    course_activity = _activity(course, "course")
    completed = statements.statement(
        statement_id=uuid.uuid4(),
        verb="completed",
        activity=course_activity,
        timestamp=certificate.issued_at,
        result={"completion": True, "success": True},
        **common,
    )
    earned = statements.statement(
        statement_id=uuid.uuid4(),
        verb="earned",
        activity=_certificate_activity(certificate, course),
        course=course_activity,
        timestamp=certificate.issued_at,
        **common,
    )
    _write(certificate.user, f"certificate:{certificate.pk}", [("completed", completed)])
    _write(certificate.user, f"certificate:{certificate.pk}:earned", [("earned", earned)])


def on_certificate_revoked(sender, *, certificate, **kwargs) -> None:
    """Void the statement that said the certificate was earned, if one was written."""
    if not enabled():
        return
    earned = (
        Statement.objects.filter(source=f"certificate:{certificate.pk}:earned")
        .values_list("statement_id", flat=True)
        .first()
    )
    if earned is None:
        return
    actor, _name = _actor(certificate.user)
    payload = statements.voiding(
        statement_id=uuid.uuid4(),
        actor=actor,
        voided_id=earned,
        timestamp=certificate.revoked_at,
    )
    _write(certificate.user, f"certificate:{certificate.pk}:revoked", [("voided", payload)])


def connect() -> None:
    for signal, receiver in (
        (signals.launched, on_launched),
        (signals.lesson_completed, on_lesson_completed),
        (signals.attempt_recorded, on_attempt_recorded),
        (signals.certificate_issued, on_certificate_issued),
        (signals.certificate_revoked, on_certificate_revoked),
    ):
        signal.connect(receiver, dispatch_uid=f"xapi.{receiver.__name__}")
