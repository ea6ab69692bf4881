"""What happened to a learner's record, for the apps that report it elsewhere.

The course services send these inside their transaction, once per new fact (a repeated
submission or a second completion of the same lesson sends nothing). A receiver that reports to
another system (an LRS, an LMS's grade book) writes an outbox row in that same transaction and
sends it after commit, so a rollback reports nothing and a slow peer never holds up the
learner. Every signal's ``sender`` is the model class of the row it names.
"""

from __future__ import annotations

from django.dispatch import Signal

#: A learner enrolled or came back (``enrolment``).
enrolled = Signal()

#: A learner opened a course from elsewhere, an LMS's launch (``user``, ``course``, ``lesson``
#: or ``None``, ``via``: a short name of where from, e.g. ``"lti"``). Sent by that app.
launched = Signal()

#: A lesson was completed for the first time (``completion``, ``lesson``, ``course``).
lesson_completed = Signal()

#: A quiz attempt was graded and stored (``attempt``, ``lesson``, ``course``).
attempt_recorded = Signal()

#: A course's certificate was issued (``certificate``, ``course``).
certificate_issued = Signal()

#: A certificate was revoked (``certificate``).
certificate_revoked = Signal()
