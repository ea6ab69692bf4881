"""The permission matrix: who gets what from every URL pattern of the site.

Each ``Rule`` claims URL patterns (by ``namespace:name``, or by route prefix for the large
uniform subtrees of the Wagtail and Django admins) and carries probes: real requests with the
expected outcome for each visitor, in the order of ``VISITORS``:

    anonymous  learner  outsider  other_trainer  moderator  partner  staff

- anonymous: not signed in.
- learner: a verified member enrolled in the course, owner of the quiz attempt and certificate.
- outsider: a member of another landscape partnership.
- other_trainer: a trainer of another course (Trainers group: reaches the Wagtail admin).
- moderator: a forum moderator (not a member of the private partnership).
- partner: a member of the partnership whose private room, topic and dialogue the world holds,
  and its coordinator; the row's proof that the URL is right (a refusal to everyone could be a
  broken URL).
- staff: a superuser (``is_staff`` + ``is_superuser``): the most powerful account, so every
  place it is refused is deliberate.

Outcomes: a status code (``200``, ``403``, ``404``, ``405``...), ``login`` (302 to the sign-in
page, remembering where to come back), ``admin-login`` / ``django-admin-login`` (302 to those
login pages), ``302`` (any other redirect). A new URL pattern without a rule fails
``test_every_url_pattern_has_a_rule``.
"""

from __future__ import annotations

from django.urls import reverse

from network.mail import DIGEST, unsubscribe_token
from tests.config.matrix_base import (  # noqa: F401 -- re-exported
    ALL_200,
    HOSTS_302,
    MEMBERS_200,
    MEMBERS_302,
    MODERATORS_200,
    MODERATORS_302,
    PRIVATE_200,
    PRIVATE_MEMBERS_200,
    PRIVATE_MEMBERS_302,
    VISITORS,
    Probe,
    Rule,
    get,
    page,
    post,
    url,
)
from tests.config.matrix_courses import COURSE_RULES
from tests.config.matrix_events import EVENT_RULES
from tests.config.matrix_finance import FINANCE_RULES
from tests.config.matrix_forums import FORUM_RULES, WEBSOCKET_RULES  # noqa: F401 -- re-exported


def _learner_digest_token(world) -> str:
    return unsubscribe_token(world.users["learner"], DIGEST)


#: The partner coordinates the home partnership; nobody else manages it (not even staff).
COORDINATORS_200 = "login 403 403 403 403 200 403"
COORDINATORS_302 = "login 403 403 403 403 302 403"
#: A partnership's boundary: its coordinators and the site's editors (staff is a superuser,
#: which holds every role; the extra ``editor`` visitor is probed with ``also``).
LANDSCAPE_EDITORS_200 = "login 403 403 403 403 200 200"
LANDSCAPE_EDITORS_302 = "login 403 403 403 403 302 302"


#: A small square near Kijabe (the home partnership, which has no point), longitude first.
BOUNDARY_POST = {
    "geojson": (
        '{"type": "Polygon", "coordinates": [[[36.5, -1.0], [36.7, -1.0], [36.7, -0.8], '
        "[36.5, -0.8], [36.5, -1.0]]]}"
    )
}


SITE_RULES: tuple[Rule, ...] = (
    # --- Machine endpoints ------------------------------------------------------------------
    Rule(
        "health check",
        (get("/healthz", ALL_200), post("/healthz", "405 " * 6 + "405")),
        names=("healthz",),
    ),
    Rule("sitemap", (get("/sitemap.xml", ALL_200),), names=("sitemap",)),
    Rule(
        "LTI tool: key set, login initiation (an unknown registration is refused), launch, "
        "deep linking pick, class list sync",
        (
            get("/lti/jwks.json", ALL_200),
            get("/lti/login/00000000-0000-4000-8000-000000000000/", "400 " * 6 + "400"),
            # The launch is the platform's cross-site form post (csrf_exempt: the signed
            # id_token guards it; tests/lti drive it), so it has no POST probe here.
            get("/lti/launch/", "405 " * 6 + "405"),
            # A deep linking pick is authorised by the launch id of a teacher's validated
            # launch (tests/lti drive it); without one, everybody is refused alike.
            get("/lti/deep-link/", "405 " * 6 + "405"),
            post("/lti/deep-link/", "400 " * 6 + "400"),
            post(
                "/lti/deep-link/",
                "403 " * 6 + "403",
                {"launch_id": "lti1p3-launch-00000000-0000-4000-8000-000000000000", "page": "1"},
            ),
            # A platform course's class list is opened only by the session an instructor's
            # launch with the NRPS claim granted it to (tests/lti/test_lti_names_roles.py);
            # no other sign-in, not even staff, may see or sync it.
            get("/lti/roster/1/", "403 " * 6 + "403"),
            post("/lti/roster/1/", "403 " * 6 + "403"),
        ),
        names=("lti:jwks", "lti:login", "lti:launch", "lti:deep_link", "lti:roster"),
    ),
    Rule(
        "web app manifest (one per language) and service worker",
        (
            get("/manifest.json", ALL_200),
            get("/es/manifest.json", ALL_200),
            get("/sw.js", ALL_200),
            post("/sw.js", "405 " * 6 + "405"),
        ),
        names=("web_manifest", "service_worker"),
    ),
    Rule(
        "language switch",
        (post("/i18n/setlang/", "302 " * 6 + "302", {"language": "es", "next": "/"}),),
        names=("set_language",),
    ),
    Rule(
        "uploaded media (served by Django only in the embedded default)",
        (
            # A document's file is never served here: Wagtail's view (below) checks its reader.
            get(lambda world: world.document.file.url, "404 " * 6 + "404"),
            # Forum attachments are not media: they live in private storage, behind the view.
            get(lambda world: "/media/" + world.private_attachment.file.name, "404 " * 6 + "404"),
        ),
        names=("",),  # the media pattern has no name
        prefix="^media/",
    ),
    # --- Wagtail: documents, API, page privacy, page serving ---------------------------------
    Rule(
        "documents",
        (
            get(lambda world: world.document.url, ALL_200),
            # A password-protected collection answers the password form, never the file.
            get(lambda world: world.private_document.url, ALL_200),
        ),
        names=("wagtaildocs_serve",),
    ),
    Rule(
        "document password form",
        (
            get(
                lambda world: reverse(
                    "wagtaildocs_authenticate_with_password",
                    args=[world.collection_restriction.pk],
                ),
                ALL_200,
            ),
        ),
        names=("wagtaildocs_authenticate_with_password",),
    ),
    Rule(
        "read-only API v2",
        (
            get("/api/v2/pages/", ALL_200),
            get(lambda world: f"/api/v2/pages/{world.case_study.pk}/", ALL_200),
            get(lambda world: f"/api/v2/pages/{world.draft.pk}/", "404 " * 6 + "404"),
            get(lambda world: f"/api/v2/pages/{world.locked_resource.pk}/", "404 " * 6 + "404"),
            get("/api/v2/pages/find/?html_path=/", "302 " * 6 + "302"),
            # What the site shows only to a course's learners and trainers, the API shows to
            # nobody: not by type, search, fields=*, child_of, find or detail.
            get(
                "/api/v2/pages/?type=courses.LessonPage&search=Lesson&fields=*",
                ALL_200,
                also="200 200",
                hidden=lambda world: world.course.lessons[0].title,
            ),
            get(
                "/api/v2/pages/?search=Lesson%20text&fields=*&limit=20",
                ALL_200,
                also="200 200",
                hidden=lambda world: world.course.lessons[0].title,
            ),
            get(
                lambda world: f"/api/v2/pages/?child_of={world.course.course.pk}&fields=*",
                ALL_200,
                also="200 200",
                hidden=lambda world: world.course.modules[0].title,
            ),
            get(
                lambda world: f"/api/v2/pages/?child_of={world.course.modules[0].pk}",
                "400 " * 6 + "400",
                also="400 400",
            ),
            get(
                lambda world: f"/api/v2/pages/{world.course.lessons[0].pk}/?fields=*",
                "404 " * 6 + "404",
                also="404 404",
            ),
            get(
                lambda world: f"/api/v2/pages/find/?html_path={world.course.lessons[0].url}",
                "404 " * 6 + "404",
                also="404 404",
            ),
            get("/api/v2/pages/?offset=" + "9" * 30, "400 " * 6 + "400"),
        ),
        names=("wagtailapi:pages:listing", "wagtailapi:pages:detail", "wagtailapi:pages:find"),
    ),
    Rule(
        "read-only API v2: partnerships and organisations, open data without people",
        (
            get(
                "/api/v2/partnerships/?fields=*",
                ALL_200,
                hidden=lambda world: world.users["partner"].email,
            ),
            get(
                lambda world: f"/api/v2/partnerships/{world.home_partnership.pk}/?fields=*",
                ALL_200,
                hidden=lambda world: world.users["partner"].email,
            ),
            get(
                lambda world: f"/api/v2/partnerships/find/?id={world.home_partnership.pk}",
                "302 " * 6 + "302",
            ),
            get("/api/v2/partnerships/999999999/", "404 " * 6 + "404"),
            get("/api/v2/partnerships/?offset=" + "9" * 30, "400 " * 6 + "400"),
            get(
                "/api/v2/organisations/?fields=*",
                ALL_200,
                hidden=lambda world: world.users["partner"].email,
            ),
            get(lambda world: f"/api/v2/organisations/{world.organisation.pk}/", ALL_200),
            get(
                lambda world: f"/api/v2/organisations/find/?id={world.organisation.pk}",
                "302 " * 6 + "302",
            ),
        ),
        names=(
            "wagtailapi:partnerships:listing",
            "wagtailapi:partnerships:detail",
            "wagtailapi:partnerships:find",
            "wagtailapi:organisations:listing",
            "wagtailapi:organisations:detail",
            "wagtailapi:organisations:find",
        ),
    ),
    Rule(
        "page privacy forms",
        (
            get("/_util/login/", ALL_200),
            post(
                lambda world: reverse(
                    "wagtailcore_authenticate_with_password",
                    args=[world.restriction.pk, world.locked_resource.pk],
                ),
                "200 " * 6 + "200",
                {"password": "wrong"},
            ),
        ),
        names=("wagtailcore_authenticate_with_password", "wagtailcore_login"),
    ),
    Rule(
        "Wagtail page tree",
        (
            get("/", ALL_200),
            get("/es/", ALL_200),
            get(page("case_study"), ALL_200),
            get(page("draft"), "404 " * 6 + "404"),
            # The password form, not the page.
            get(page("locked_resource"), ALL_200),
            get(lambda world: world.course.course.url, ALL_200),
            # Modules have no page of their own.
            get(lambda world: world.course.modules[0].url, "302 " * 6 + "302"),
            # Lessons: the course's learners and trainers (and staff); others go to the course.
            get(
                lambda world: world.course.lessons[0].url,
                "login 200 302 302 302 302 200",
                also="302 200",
            ),
            get("/no-such-page/", "404 " * 6 + "404"),
        ),
        names=("wagtail_serve",),
    ),
    Rule(
        "page not translated yet (a language link's answer; never a 404 for a readable page)",
        (
            get(lambda world: f"/fr/untranslated/{world.case_study.pk}/", ALL_200),
            get(lambda world: f"/untranslated/{world.case_study.pk}/", "302 " * 6 + "302"),
            get(lambda world: f"/es/untranslated/{world.draft.pk}/", "404 " * 6 + "404"),
            # Behind a password nobody here has given: not even its title.
            get(lambda world: f"/es/untranslated/{world.locked_resource.pk}/", "404 " * 6 + "404"),
            # A lesson is linked, never named (lessons are for the course's readers).
            get(
                lambda world: f"/es/untranslated/{world.course.lessons[0].pk}/",
                ALL_200,
                also="200 200",
                hidden=lambda world: world.course.lessons[0].title,
            ),
        ),
        names=("untranslated",),
    ),
    # --- The admins ---------------------------------------------------------------------------
    Rule(
        "Wagtail admin (every pattern requires access_admin; views check model permissions)",
        (
            get("/admin/", "admin-login admin-login admin-login 200 admin-login admin-login 200"),
            # Signed in without admin access: the form again (to sign in as someone else).
            get("/admin/login/", "200 200 200 302 200 200 302"),
            get(
                lambda world: f"/admin/pages/{world.course.course.pk}/",
                "admin-login admin-login admin-login 302 admin-login admin-login 200",
                also="200 200",
            ),
            # A trainer edits the courses they teach, not another trainer's (nor its lessons and
            # their quiz answer keys); editors review every course.
            get(
                lambda world: f"/admin/pages/{world.course.course.pk}/edit/",
                "admin-login admin-login admin-login 302 admin-login admin-login 200",
                also="200 200",
            ),
            get(
                lambda world: f"/admin/pages/{world.course.quiz_lesson.pk}/edit/",
                "admin-login admin-login admin-login 302 admin-login admin-login 200",
                also="200 200",
            ),
            # Learners' records (``courses.admin_views``): a trainer lists their own courses'
            # rows (another trainer an empty listing), editors every course's, read-only (a
            # refusal in the admin is a redirect home); another course's row is not found.
            get(
                "/admin/learners/enrolments/?export=csv",
                "admin-login admin-login admin-login 200 admin-login admin-login 200",
                also="200 200",
            ),
            get(
                lambda world: f"/admin/learners/cohorts/edit/{world.cohort.pk}/",
                "admin-login admin-login admin-login 404 admin-login admin-login 200",
                also="302 200",
            ),
            get(
                lambda world: f"/admin/learners/certificates/revoke/{world.certificate.pk}/",
                "admin-login admin-login admin-login 404 admin-login admin-login 200",
                also="302 200",
            ),
            get(
                "/admin/users/",
                "admin-login admin-login admin-login 302 admin-login admin-login 200",
            ),
            get(
                "/admin/snippets/network/landscapepartnership/",
                "admin-login admin-login admin-login 302 admin-login admin-login 200",
            ),
            get(
                lambda world: (
                    "/admin/snippets/network/landscapepartnership/edit/"
                    f"{world.home_partnership.pk}/"
                ),
                "admin-login admin-login admin-login 302 admin-login admin-login 200",
            ),
        ),
        prefix="admin/",
    ),
    Rule(
        "Django admin (staff only)",
        (
            get("/django-admin/", "django-admin-login " * 6 + "200", also="200 django-admin-login"),
            get("/django-admin/login/", "200 200 200 200 200 200 302"),
            get("/django-admin/network/user/", "django-admin-login " * 6 + "200"),
        ),
        prefix="django-admin/",
    ),
    # --- Accounts (allauth) ---------------------------------------------------------------------
    Rule(
        "sign in, sign up, sign out",
        (
            get(url("account_login"), "200 302 302 302 302 302 302"),
            get(url("account_signup"), "200 302 302 302 302 302 302"),
            get(url("account_logout"), "302 200 200 200 200 200 200"),
            post(url("account_logout"), "302 " * 6 + "302"),
            get(url("account_inactive"), ALL_200),
            get(url("account_confirm_login_code"), "302 " * 6 + "302"),
        ),
        names=(
            "account_login",
            "account_signup",
            "account_logout",
            "account_inactive",
            "account_confirm_login_code",
        ),
    ),
    Rule(
        "account settings",
        (
            get(url("account_email"), MEMBERS_200),
            get(url("account_change_password"), MEMBERS_200),
            get(url("account_set_password"), MEMBERS_302),
            get(url("account_reauthenticate"), MEMBERS_200),
        ),
        names=(
            "account_email",
            "account_change_password",
            "account_set_password",
            "account_reauthenticate",
        ),
    ),
    Rule(
        "email confirmation and password reset",
        (
            get(url("account_email_verification_sent"), ALL_200),
            get(url("account_confirm_email", lambda world: "not-a-key"), ALL_200),
            get(url("account_reset_password"), ALL_200),
            get(url("account_reset_password_done"), ALL_200),
            get(
                lambda world: reverse(
                    "account_reset_password_from_key", kwargs={"uidb36": "1z", "key": "bad-key"}
                ),
                ALL_200,
            ),
            get(url("account_reset_password_from_key_done"), ALL_200),
        ),
        names=(
            "account_email_verification_sent",
            "account_confirm_email",
            "account_reset_password",
            "account_reset_password_done",
            "account_reset_password_from_key",
            "account_reset_password_from_key_done",
        ),
    ),
    # --- Network --------------------------------------------------------------------------------
    Rule(
        "profile",
        (get(url("network:profile"), MEMBERS_200),),
        names=("network:profile",),
    ),
    Rule(
        "mail settings",
        (
            get(url("network:mail_settings"), MEMBERS_200),
            post(
                url("network:mail_settings"),
                MEMBERS_302,
                {"language": "es", "time_zone": "Africa/Nairobi", "digest_frequency": "weekly"},
            ),
        ),
        names=("network:mail_settings",),
    ),
    Rule(
        # The signed token is the credential (a mail client posts without cookies): whoever
        # holds the learner's link may stop the learner's digest, and only that.
        "one-click unsubscribe",
        (
            get(url("network:unsubscribe", _learner_digest_token), ALL_200),
            post(url("network:unsubscribe", _learner_digest_token), ALL_200),
            post(url("network:unsubscribe", lambda world: "forged"), "400 " * 6 + "400"),
        ),
        names=("network:unsubscribe",),
    ),
    Rule(
        "directory",
        (
            get(url("network:directory"), ALL_200),
            get(url("network:partnership", "home_partnership.slug"), ALL_200),
            get(url("network:organisations"), ALL_200),
            get(url("network:organisation", "organisation.slug"), ALL_200),
            get(url("network:members"), ALL_200),
            get(url("network:member", lambda world: world.users["learner"].username), ALL_200),
            # The moderator keeps the default visibility (members): anonymous visitors get 404.
            get(
                url("network:member", lambda world: world.users["moderator"].username),
                "404 200 200 200 200 200 200",
            ),
            get(url("network:partnership", lambda world: "no-such"), "404 " * 6 + "404"),
        ),
        names=(
            "network:directory",
            "network:partnership",
            "network:organisations",
            "network:organisation",
            "network:members",
            "network:member",
        ),
    ),
    Rule(
        "joining a partnership: ask, follow; its coordinators answer, invite and remove",
        (
            # The learner already waits, the partner (its coordinator) is a member: the form
            # again, saying why.
            get(url("network:join", "home_partnership.slug"), MEMBERS_200),
            post(
                url("network:join", "home_partnership.slug"),
                "login 400 302 302 302 400 302",
                {"message": "Hello"},
            ),
            post(url("network:follow", "home_partnership.slug"), MEMBERS_302, {"follow": "1"}),
            get(url("network:join", lambda world: "no-such"), "login 404 404 404 404 404 404"),
            # Only the partnership's coordinators (not staff, not moderators) manage it.
            get(url("network:coordinate", "home_partnership.slug"), COORDINATORS_200),
            get(
                url("network:coordinate", "other_partnership.slug"),
                "login 403 403 403 403 403 403",
            ),
            post(
                url("network:coordinate", "home_partnership.slug"),
                COORDINATORS_302,
                {"email": "new.member@example.org"},
            ),
            post(
                url("network:coordinate", "home_partnership.slug"),
                "login 403 403 403 403 400 403",
                {"email": "not an address"},
            ),
            post(
                url("network:join_request_decide", "home_partnership.slug", "join_request.pk"),
                COORDINATORS_302,
                {"decision": "approve"},
            ),
            post(
                url("network:join_request_decide", "home_partnership.slug", "join_request.pk"),
                COORDINATORS_302,
                {"decision": "decline"},
            ),
            post(
                url("network:membership_remove", "home_partnership.slug", "partner_host.pk"),
                COORDINATORS_302,
            ),
            # The invitation names the outsider's address: only they may accept it.
            get(url("network:invitation", "invitation_token"), ALL_200),
            post(url("network:invitation", "invitation_token"), "login 400 302 400 400 400 400"),
            get(url("network:invitation", lambda world: "forged"), "400 " * 6 + "400"),
        ),
        names=(
            "network:join",
            "network:follow",
            "network:coordinate",
            "network:join_request_decide",
            "network:membership_remove",
            "network:invitation",
        ),
    ),
    Rule(
        "a partnership's landscape: its coordinators and editors set the boundary; anyone "
        "downloads it, and the directory as CSV and GeoJSON",
        (
            get(
                url("network:landscape", "home_partnership.slug"),
                LANDSCAPE_EDITORS_200,
                also="200 403",
            ),
            post(
                url("network:landscape", "home_partnership.slug"),
                LANDSCAPE_EDITORS_302,
                BOUNDARY_POST,
                also="302 403",
            ),
            post(
                url("network:landscape", "home_partnership.slug"),
                "login 403 403 403 403 400 400",
                {"geojson": '{"type": "Point", "coordinates": [0, 0]}'},
            ),
            get(
                url("network:landscape", lambda world: "no-such"),
                "login 404 404 404 404 404 404",
            ),
            # The world's home partnership has no boundary until the post above; the other one
            # never has one.
            get(url("network:boundary_download", "other_partnership.slug"), "404 " * 6 + "404"),
            get(url("network:directory_csv"), ALL_200),
            get(url("network:directory_geojson"), ALL_200),
            post(url("network:directory_csv"), "405 " * 6 + "405"),
        ),
        names=(
            "network:landscape",
            "network:boundary_download",
            "network:directory_csv",
            "network:directory_geojson",
        ),
    ),
    Rule(
        "feeds",
        tuple(
            get(url(f"library:{name}"), ALL_200)
            for name in (
                "case_studies_rss",
                "case_studies_atom",
                "resources_rss",
                "resources_atom",
            )
        ),
        names=(
            "library:case_studies_rss",
            "library:case_studies_atom",
            "library:resources_rss",
            "library:resources_atom",
        ),
    ),
    Rule(
        "the case-study map's points (public, as the listing; GET only)",
        (
            get(url("library:case_study_map"), ALL_200),
            post(url("library:case_study_map"), "405 " * 6 + "405"),
        ),
        names=("library:case_study_map",),
    ),
)

RULES: tuple[Rule, ...] = SITE_RULES + FORUM_RULES + COURSE_RULES + EVENT_RULES + FINANCE_RULES
