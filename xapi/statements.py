"""xAPI 1.0.3 statements as data: pure builders, no database, no HTTP.

Verbs are ADL's where ADL has one, and the TinCan registry's ``earned`` for a certificate; a
revoked certificate voids the statement that said it was earned (xAPI's own ``voided``: the
LRS then treats that statement as withdrawn). Activity ids are the site's URLs. The actor is an
account on the site (``homePage`` = ``SITE_URL``) whose name is an opaque random id.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = {
    "launched": ADL + "launched",
    "completed": ADL + "completed",
    "answered": ADL + "answered",
    "passed": ADL + "passed",
    "failed": ADL + "failed",
    "earned": "http://id.tincanapi.com/verb/earned",
    "voided": ADL + "voided",
}
ACTIVITY_TYPES = {
    "course": "http://adlnet.gov/expapi/activities/course",
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
}
#: Makes a registration id from the learner's account name and the course's key: one per
#: learner and course, the same on every statement, and saying nothing about either.
REGISTRATION_NAMESPACE = uuid.UUID("6f1b3c52-5d7e-4f0e-9a4c-2b1d8e7a9c31")


@dataclass(frozen=True)
class Activity:
    """What a statement is about: ``names`` by language code (the page's translations)."""

    id: str
    type: str
    names: Mapping[str, str] = field(default_factory=dict)

    def as_json(self) -> dict:
        # No registry we could check names a type for a certificate: it goes without one.
        definition: dict = (
            {"type": ACTIVITY_TYPES[self.type]} if self.type in ACTIVITY_TYPES else {}
        )
        if self.names:
            definition["name"] = dict(self.names)
        activity = {"objectType": "Activity", "id": self.id}
        if definition:
            activity["definition"] = definition
        return activity


@dataclass(frozen=True)
class Score:
    """A quiz's result: ``percent`` of ``maximum`` questions, ``correct`` of them right."""

    percent: int
    correct: int
    maximum: int
    passed: bool

    def as_json(self) -> dict:
        return {
            "score": {
                "scaled": round(self.percent / 100, 4),
                "raw": self.correct,
                "min": 0,
                "max": self.maximum,
            },
            "success": self.passed,
            "completion": True,
        }


def actor(*, home_page: str, name: str) -> dict:
    return {"objectType": "Agent", "account": {"homePage": home_page, "name": name}}


def registration(*, account_name: str, course_key: uuid.UUID | str) -> str:
    return str(uuid.uuid5(REGISTRATION_NAMESPACE, f"{account_name}/{course_key}"))


def statement(
    *,
    statement_id: uuid.UUID,
    actor: dict,
    verb: str,
    activity: Activity,
    timestamp: datetime.datetime,
    course: Activity | None = None,
    parent: Activity | None = None,
    registration: str | None = None,
    language: str = "",
    platform: str = "",
    result: dict | None = None,
) -> dict:
    """One statement. ``parent`` is the activity right above (a quiz's lesson); ``course`` is
    the parent of a lesson and the grouping of anything deeper."""
    context: dict = {}
    if registration:
        context["registration"] = registration
    activities: dict = {}
    if parent is not None:
        activities["parent"] = [parent.as_json()]
        if course is not None and course.id != parent.id:
            activities["grouping"] = [course.as_json()]
    elif course is not None and course.id != activity.id:
        activities["parent"] = [course.as_json()]
    if activities:
        context["contextActivities"] = activities
    if platform:
        context["platform"] = platform
    if language:
        context["language"] = language
    built = {
        "id": str(statement_id),
        "actor": actor,
        "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
        "object": activity.as_json(),
        "timestamp": timestamp.isoformat(),
    }
    if result is not None:
        built["result"] = result
    if context:
        built["context"] = context
    return built


def voiding(
    *, statement_id: uuid.UUID, actor: dict, voided_id: uuid.UUID, timestamp: datetime.datetime
) -> dict:
    """The statement that withdraws another (xAPI 1.0.3, "Voided")."""
    return {
        "id": str(statement_id),
        "actor": actor,
        "verb": {"id": VERBS["voided"], "display": {"en-US": "voided"}},
        "object": {"objectType": "StatementRef", "id": str(voided_id)},
        "timestamp": timestamp.isoformat(),
    }
