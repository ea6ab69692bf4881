"""The AGS Score a learner's record stands at: pure, no database, no HTTP.

Which score goes back (one rule for a lesson's link and a course's link alike):

- Each quiz of the target (the lesson's quizzes, or every quiz of the course) counts with the
  learner's **best** attempt, as completion does (passing any attempt passes the quiz); a quiz
  not tried yet counts 0. ``scoreGiven`` is their mean in percent, ``scoreMaximum`` 100.
- Until the target is complete (the lesson completed; the course's completion rule held and its
  certificate issued) the score is partial: ``activityProgress`` ``InProgress``,
  ``gradingProgress`` ``Pending`` (AGS: "a score, if present, is partial and may be updated").
- Once complete: ``Completed`` and ``FullyGraded``. A target without quizzes then scores 100
  (completing it is the whole grade); before that it sends its progress with no score.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass

from pylti1p3.grade import Grade

SCORE_MAXIMUM = 100


@dataclass(frozen=True)
class Standing:
    """The learner's record for one target: ``best_scores`` has one percentage per quiz of the
    target (0 for a quiz not tried)."""

    user_id: str
    best_scores: Sequence[int]
    completed: bool
    timestamp: datetime.datetime


def score_given(standing: Standing) -> float | None:
    if standing.best_scores:
        return round(sum(standing.best_scores) / len(standing.best_scores), 2)
    return float(SCORE_MAXIMUM) if standing.completed else None


def grade(standing: Standing) -> Grade:
    """pylti1p3's Grade (whose ``get_value()`` is the Score's JSON) for this standing."""
    if standing.timestamp.tzinfo is None:
        raise ValueError("a score's timestamp must be timezone-aware")
    built = (
        Grade()
        .set_user_id(standing.user_id)
        .set_timestamp(standing.timestamp.isoformat())
        .set_activity_progress("Completed" if standing.completed else "InProgress")
        .set_grading_progress("FullyGraded" if standing.completed else "Pending")
    )
    given = score_given(standing)
    if given is not None:
        built.set_score_given(given).set_score_maximum(SCORE_MAXIMUM)
    return built


def score_json(standing: Standing) -> dict:
    return json.loads(grade(standing).get_value())
