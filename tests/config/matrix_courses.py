"""Permission matrix rules for learning: enrolment, cohorts, reports, lessons, certificates."""

from __future__ import annotations

from tests.config.matrix_base import (
    ALL_200,
    MEMBERS_200,
    MEMBERS_302,
    Rule,
    get,
    post,
    url,
)

COURSE_RULES: tuple[Rule, ...] = (
    # --- Courses ------------------------------------------------------------------------------------
    Rule(
        "learning dashboard",
        (
            get(url("courses:dashboard"), MEMBERS_200),
            post(url("courses:dashboard"), "login" + " 405" * 6),
        ),
        names=("courses:dashboard",),
    ),
    Rule(
        "enrolment and cohorts",
        (
            post(url("courses:enrol", "course.course.pk"), MEMBERS_302),
            # Only the enrolled withdraw; the others are told they are not enrolled.
            post(url("courses:withdraw", "course.course.pk"), "login 302 403 403 403 403 403"),
            post(
                url("courses:cohort_join"),
                MEMBERS_302,
                lambda world: {"invite_code": world.cohort.invite_code},
            ),
            post(
                url("courses:cohort_create", "course.course.pk"),
                "login 403 403 403 403 403 302",
                {"name": "Autumn", "starts_on": "2026-09-01", "ends_on": "2026-12-01"},
                also="403 302",
            ),
        ),
        names=(
            "courses:enrol",
            "courses:withdraw",
            "courses:cohort_join",
            "courses:cohort_create",
        ),
    ),
    Rule(
        "offline manifest (the course's own learners only: not its trainers, not staff)",
        (
            get(
                url("courses:offline_manifest", "course.course.pk"),
                "login 200 403 403 403 403 403",
                also="403 403",
            ),
            post(url("courses:offline_manifest", "course.course.pk"), "login" + " 405" * 6),
        ),
        names=("courses:offline_manifest",),
    ),
    Rule(
        "offline sync (the course's own learners only; a form post is not a JSON batch: 400)",
        (
            get(
                url("courses:offline_sync", "course.course.pk"),
                "login 200 403 403 403 403 403",
                also="403 403",
            ),
            post(
                url("courses:offline_sync", "course.course.pk"),
                "login 400 403 403 403 403 403",
                {"submissions": "[]"},
                also="403 403",
            ),
        ),
        names=("courses:offline_sync",),
    ),
    Rule(
        "course reports (the course's trainers and superusers; not editors)",
        (
            get(
                url("courses:report", "course.course.pk"),
                "login 403 403 403 403 403 200",
                also="403 200",
            ),
            get(
                url("courses:report_csv", "course.course.pk"),
                "login 403 403 403 403 403 200",
                also="403 200",
            ),
        ),
        names=("courses:report", "courses:report_csv"),
    ),
    Rule(
        "course exports, SCORM 1.2 and Common Cartridge 1.3 (the course's trainers and superusers)",
        (
            get(
                url("courses:export", "course.course.pk", lambda world: "scorm12"),
                "login 403 403 403 403 403 200",
                also="403 200",
            ),
            get(
                url("courses:export", "course.course.pk", lambda world: "cc13"),
                "login 403 403 403 403 403 200",
                also="403 200",
            ),
            post(
                url("courses:export", "course.course.pk", lambda world: "cc13"),
                "login" + " 405" * 6,
            ),
        ),
        names=("courses:export",),
    ),
    Rule(
        "lessons, quizzes, attempts",
        (
            post(
                url("courses:lesson_complete", lambda world: world.course.lessons[0].pk),
                # Staff read lessons but keep no learner record.
                "login 302 403 403 403 403 403",
            ),
            post(
                url(
                    "courses:quiz_submit",
                    lambda world: world.course.quiz_lesson.pk,
                    lambda w: "quiz-1",
                ),
                "login 302 403 403 403 403 403",
                {
                    "attempt": "2",
                    "q-q-single": "b",
                    "q-q-multi": ["a", "c"],
                    "q-q-tf": "false",
                    "q-q-short": "Páramo",
                },
            ),
            get(url("courses:attempt", "attempt.pk"), "login 200 404 404 404 404 404"),
        ),
        names=("courses:lesson_complete", "courses:quiz_submit", "courses:attempt"),
    ),
    Rule(
        "reflection answers (the course's learners write theirs; its trainers read the shared)",
        (
            # The world's lesson has no prompt: the learner reaches the check (404), the others
            # are refused before it.
            post(
                url(
                    "courses:reflection_save",
                    lambda world: world.course.lessons[0].pk,
                    lambda world: "think-1",
                ),
                "login 404 403 403 403 403 403",
                {"text": "Terraces."},
                also="403 403",
            ),
            get(
                url("courses:reflections", "course.course.pk"),
                "login 403 403 403 403 403 200",
                also="403 200",
            ),
        ),
        names=("courses:reflection_save", "courses:reflections"),
    ),
    Rule(
        "a lesson's discussion (the lesson's readers: its learners, its trainers, superusers)",
        (
            post(
                url("courses:lesson_discussion", lambda world: world.course.lessons[0].pk),
                "login 302 403 403 403 403 302",
                also="403 302",
            ),
            get(
                url("courses:lesson_discussion", lambda world: world.course.lessons[0].pk),
                "login" + " 405" * 6,
            ),
        ),
        names=("courses:lesson_discussion",),
    ),
    Rule(
        "inactive learners and the trainer's message (the course's trainers and superusers)",
        (
            get(
                url("courses:inactive", "course.course.pk"),
                "login 403 403 403 403 403 200",
                also="403 200",
            ),
            # The world's cohort has no learners: those allowed reach the service and are told
            # to choose someone (400); the others are refused before it.
            post(
                url("courses:inactive", "course.course.pk"),
                "login 403 403 403 403 403 400",
                lambda world: {
                    "days": "14",
                    "cohort": world.cohort.pk,
                    "subject": "Still with us?",
                    "body": "Lesson 2 waits for you.",
                },
                also="403 400",
            ),
        ),
        names=("courses:inactive",),
    ),
    Rule(
        "prerequisite waivers (the course's trainers and superusers)",
        (
            post(
                url("courses:waiver_grant", "course.course.pk"),
                "login 403 403 403 403 403 302",
                lambda world: {"cohort": world.cohort.pk},
                also="403 302",
            ),
        ),
        names=("courses:waiver_grant",),
    ),
    Rule(
        "certificates (public to verify; the course's trainers and staff revoke)",
        (
            get(url("courses:certificate", "certificate.public_id"), ALL_200),
            get(url("courses:certificate", lambda world: "forged-id"), "404 " * 6 + "404"),
            post(
                url("courses:certificate_revoke", "certificate.public_id"),
                "login 403 403 403 403 403 302",
                {"reason": "Issued in error"},
                also="403 302",
            ),
        ),
        names=("courses:certificate", "courses:certificate_revoke"),
    ),
    Rule(
        # The learner's own Open Badges credential and PDF: anyone else finds nothing there.
        "a certificate's credential and PDF (the learner only)",
        (
            get(
                url("credentials:credential_download", "certificate.public_id"),
                "login 200 404 404 404 404 404",
            ),
            get(url("credentials:pdf", "certificate.public_id"), "login 200 404 404 404 404 404"),
        ),
        names=("credentials:credential_download", "credentials:pdf"),
    ),
    Rule(
        # What any verifier fetches: the issuer's keys and the revocation lists.
        "the issuer's DID document and status lists (public)",
        (
            get(url("credentials_public:did_document"), ALL_200),
            get(url("credentials_public:status_list", lambda world: 1), ALL_200),
            get(url("credentials_public:status_list", lambda world: 99), "404 " * 6 + "404"),
        ),
        names=("credentials_public:did_document", "credentials_public:status_list"),
    ),
)
