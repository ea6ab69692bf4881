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
- partner: a member of the partnership whose private room, topic and dialogue the world holds;
  the row's proof that the URL is right (a refusal to everyone could be a broken URL).
- staff: a superuser (``is_staff`` + ``is_superuser``): the most powerful account, so every
  place it is refused is deliberate.

Outcomes: a status code (``200``, ``403``, ``404``, ``405``...), ``login`` (302 to the sign-in
page, remembering where to come back), ``admin-login`` / ``django-admin-login`` (302 to those
login pages), ``302`` (any other redirect). A new URL pattern without a rule fails
``test_every_url_pattern_has_a_rule``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

VISITORS = ("anonymous", "learner", "outsider", "other_trainer", "moderator", "partner", "staff")

ALL_200 = "200 200 200 200 200 200 200"
MEMBERS_200 = "login 200 200 200 200 200 200"
MEMBERS_302 = "login 302 302 302 302 302 302"
PRIVATE_200 = "404 404 404 404 404 200 200"
PRIVATE_MEMBERS_200 = "login 404 404 404 404 200 200"
PRIVATE_MEMBERS_302 = "login 404 404 404 404 302 302"
MODERATORS_302 = "login 403 403 403 302 403 302"
MODERATORS_200 = "login 403 403 403 200 403 200"
HOSTS_302 = MODERATORS_302


@dataclass(frozen=True)
class Probe:
    """One request: ``url`` builds the address from the world."""

    method: str
    url: Callable
    expect: str
    data: Callable | dict = field(default_factory=dict)

    def outcomes(self) -> dict[str, str]:
        tokens = self.expect.split()
        assert len(tokens) == len(VISITORS), self.expect
        return dict(zip(VISITORS, tokens, strict=True))


@dataclass(frozen=True)
class Rule:
    """``names`` claims named patterns; ``prefix`` claims every pattern whose route starts with
    it (used for the admin subtrees, whose hundreds of views share one access check)."""

    title: str
    probes: tuple[Probe, ...]
    names: tuple[str, ...] = ()
    prefix: str = ""


def url(name: str, *args_from: str | Callable) -> Callable:
    """``url("forums:topic", "topic.pk")``: reverse with arguments read from the world."""

    def build(world) -> str:
        args = []
        for source in args_from:
            if callable(source):
                args.append(source(world))
                continue
            value = world
            for part in source.split("."):
                value = getattr(value, part)
            args.append(value)
        return reverse(name, args=args)

    return build


def _revision_pk(world) -> int:
    """An earlier version of the reply, made on first use (the world has no edited post)."""
    from forums.models import PostRevision

    revision, _created = PostRevision.objects.get_or_create(
        post=world.reply, defaults={"body_source": "Before", "body_html": "<p>Before</p>"}
    )
    return revision.pk


def get(address, expect: str) -> Probe:
    return Probe("GET", address if callable(address) else (lambda world, a=address: a), expect)


def post(address, expect: str, data: Callable | dict | None = None) -> Probe:
    return Probe(
        "POST", address if callable(address) else (lambda world, a=address: a), expect, data or {}
    )


def page(attribute: str, suffix: str = "") -> Callable:
    return lambda world: getattr(world, attribute).url + suffix


RULES: tuple[Rule, ...] = (
    # --- Machine endpoints ------------------------------------------------------------------
    Rule(
        "health check",
        (get("/healthz", ALL_200), post("/healthz", "405 " * 6 + "405")),
        names=("healthz",),
    ),
    Rule("sitemap", (get("/sitemap.xml", ALL_200),), names=("sitemap",)),
    Rule(
        "language switch",
        (post("/i18n/setlang/", "302 " * 6 + "302", {"language": "es", "next": "/"}),),
        names=("set_language",),
    ),
    Rule(
        "uploaded media (served by Django only in the embedded default)",
        (
            get(lambda world: world.document.file.url, ALL_200),
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
        ),
        names=("wagtailapi:pages:listing", "wagtailapi:pages:detail", "wagtailapi:pages:find"),
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
            get(lambda world: world.course.lessons[0].url, "login 200 302 302 302 302 200"),
            get("/no-such-page/", "404 " * 6 + "404"),
        ),
        names=("wagtail_serve",),
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
                "admin-login admin-login admin-login 200 admin-login admin-login 200",
            ),
            # Trainers may edit every course (the review workflow guards publishing).
            get(
                lambda world: f"/admin/pages/{world.course.course.pk}/edit/",
                "admin-login admin-login admin-login 200 admin-login admin-login 200",
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
            get("/django-admin/", "django-admin-login " * 6 + "200"),
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
    # --- Forums -----------------------------------------------------------------------------------
    Rule(
        "forum index and categories",
        (
            get(url("forums:index"), ALL_200),
            get(url("forums:category", "public_category.slug"), ALL_200),
            get(url("forums:category", "private_category.slug"), PRIVATE_200),
        ),
        names=("forums:index", "forums:category"),
    ),
    Rule(
        "new topic",
        (
            get(url("forums:topic_create", "public_category.slug"), MEMBERS_200),
            get(url("forums:topic_create", "private_category.slug"), PRIVATE_MEMBERS_200),
            post(
                url("forums:topic_create", "private_category.slug"),
                PRIVATE_MEMBERS_302,
                {"title": "A new topic", "body": "Its first words."},
            ),
        ),
        names=("forums:topic_create",),
    ),
    Rule(
        "watching",
        (
            post(url("forums:category_subscribe", "public_category.slug"), MEMBERS_302),
            post(url("forums:category_subscribe", "private_category.slug"), PRIVATE_MEMBERS_302),
            get(url("forums:category_subscribe", "public_category.slug"), "login" + " 405" * 6),
            post(url("forums:topic_subscribe", "topic.pk"), MEMBERS_302),
            post(url("forums:topic_subscribe", "private_topic.pk"), PRIVATE_MEMBERS_302),
        ),
        names=("forums:category_subscribe", "forums:topic_subscribe"),
    ),
    Rule(
        "topics and replies",
        (
            get(url("forums:topic", "topic.pk"), ALL_200),
            get(url("forums:topic", "private_topic.pk"), PRIVATE_200),
            post(url("forums:topic_reply", "topic.pk"), MEMBERS_302, {"body": "Agreed."}),
            post(
                url("forums:topic_reply", "private_topic.pk"),
                PRIVATE_MEMBERS_302,
                {"body": "Agreed."},
            ),
            get(url("forums:topic_reply", "topic.pk"), "login" + " 405" * 6),
        ),
        names=("forums:topic", "forums:topic_reply"),
    ),
    Rule(
        "topic moderation",
        (
            *(
                post(url(f"forums:topic_{action}", "topic.pk"), MODERATORS_302)
                for action in ("lock", "unlock", "pin", "unpin")
            ),
            post(
                url("forums:topic_move", "topic.pk"),
                MODERATORS_302,
                lambda world: {"category": world.public_category.pk},
            ),
            # A moderator who is not a member of the partnership does not see its room.
            post(url("forums:topic_lock", "private_topic.pk"), "login 403 403 403 404 403 302"),
        ),
        names=tuple(f"forums:topic_{a}" for a in ("lock", "unlock", "pin", "unpin", "move")),
    ),
    Rule(
        "posts",
        (
            get(url("forums:post", "reply.pk"), "302 " * 6 + "302"),
            get(url("forums:post", "private_post.pk"), "404 404 404 404 404 302 302"),
            # The first post is the partner's: its author and moderators may edit it.
            get(url("forums:post_edit", "first_post.pk"), "login 403 403 403 200 200 200"),
            get(url("forums:post_edit", "private_post.pk"), PRIVATE_MEMBERS_200),
            post(
                url("forums:post_edit", "reply.pk"),
                "login 302 403 403 302 403 302",
                {"body": "Thirty-one degrees."},
            ),
            # Earlier versions: the author (learner) and the moderators only.
            get(url("forums:post_history", "reply.pk"), "404 200 404 404 200 404 200"),
            get(url("forums:post_history", "private_post.pk"), PRIVATE_200),
            post(url("forums:post_react", "reply.pk"), MEMBERS_302, {"kind": "thanks"}),
            post(
                url("forums:post_react", "private_post.pk"), PRIVATE_MEMBERS_302, {"kind": "like"}
            ),
            get(url("forums:post_flag", "reply.pk"), MEMBERS_200),
            get(url("forums:post_flag", "private_post.pk"), PRIVATE_MEMBERS_200),
            post(url("forums:post_hide", "reply.pk"), MODERATORS_302, {"reason": "Spam"}),
            post(url("forums:post_restore", "reply.pk"), MODERATORS_302),
            post(url("forums:post_hide", "private_post.pk"), "login 403 403 403 404 403 302"),
            post(url("forums:revision_redact", _revision_pk), MODERATORS_302, {"reason": "Phone"}),
        ),
        names=(
            "forums:post",
            "forums:post_edit",
            "forums:post_history",
            "forums:post_react",
            "forums:post_flag",
            "forums:post_hide",
            "forums:post_restore",
            "forums:revision_redact",
        ),
    ),
    Rule(
        "attachments (served through the view that re-checks the post)",
        (
            get(url("forums:attachment", "attachment.pk"), ALL_200),
            get(url("forums:attachment", "private_attachment.pk"), PRIVATE_200),
        ),
        names=("forums:attachment",),
    ),
    Rule(
        "notifications",
        (
            get(url("forums:notifications"), MEMBERS_200),
            post(url("forums:notifications"), MEMBERS_302),
        ),
        names=("forums:notifications",),
    ),
    Rule(
        "moderation queue, log and suspensions",
        (
            get(url("forums:moderation"), MODERATORS_200),
            post(url("forums:moderation"), MODERATORS_302, lambda world: {"flag": world.flag.pk}),
            get(url("forums:moderation_log"), MODERATORS_200),
            get(
                url("forums:user_suspend", lambda world: world.users["learner"].username),
                MODERATORS_200,
            ),
        ),
        names=("forums:moderation", "forums:moderation_log", "forums:user_suspend"),
    ),
    Rule(
        "live dialogues: list, scheduling, rooms",
        (
            get(url("forums:dialogues"), ALL_200),
            # Trainers and moderators host (and staff).
            get(url("forums:dialogue_create"), "login 403 403 200 200 403 200"),
            get(url("forums:dialogue", "dialogue.pk"), ALL_200),
            get(url("forums:dialogue", "private_dialogue.pk"), PRIVATE_200),
        ),
        names=("forums:dialogues", "forums:dialogue_create", "forums:dialogue"),
    ),
    Rule(
        "live dialogues: taking part",
        (
            post(url("forums:dialogue_chat", "dialogue.pk"), MEMBERS_302, {"body": "Hi"}),
            post(url("forums:dialogue_ask", "dialogue.pk"), MEMBERS_302, {"body": "Why?"}),
            post(
                url("forums:dialogue_chat", "private_dialogue.pk"),
                PRIVATE_MEMBERS_302,
                {"body": "Hi"},
            ),
            post(url("forums:dialogue_vote", "dialogue.pk", "question.pk"), MEMBERS_302),
        ),
        names=("forums:dialogue_chat", "forums:dialogue_ask", "forums:dialogue_vote"),
    ),
    Rule(
        "live dialogues: host controls (the host; forum moderators and staff moderate)",
        (
            post(url("forums:dialogue_start", "dialogue.pk"), HOSTS_302),
            post(url("forums:dialogue_end", "dialogue.pk"), HOSTS_302),
            post(url("forums:dialogue_answer", "dialogue.pk", "question.pk"), HOSTS_302),
            post(url("forums:dialogue_remove_message", "dialogue.pk", "message.pk"), HOSTS_302),
            post(url("forums:dialogue_remove_question", "dialogue.pk", "question.pk"), HOSTS_302),
            post(
                url(
                    "forums:dialogue_remove_participant",
                    "dialogue.pk",
                    lambda world: world.users["outsider"].pk,
                ),
                HOSTS_302,
            ),
            # Not even a moderator hosts a room they cannot see.
            post(
                url("forums:dialogue_end", "private_dialogue.pk"), "login 404 404 404 404 403 302"
            ),
        ),
        names=(
            "forums:dialogue_start",
            "forums:dialogue_end",
            "forums:dialogue_answer",
            "forums:dialogue_remove_message",
            "forums:dialogue_remove_question",
            "forums:dialogue_remove_participant",
        ),
    ),
    # --- Search -----------------------------------------------------------------------------------
    Rule(
        "search",
        (
            get(url("search:search"), ALL_200),
            get(lambda world: reverse("search:search") + "?q=terraces", ALL_200),
            get(lambda world: reverse("search:suggest") + "?q=ter", ALL_200),
        ),
        names=("search:search", "search:suggest"),
    ),
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
        "course reports (the course's trainers and staff)",
        (
            get(url("courses:report", "course.course.pk"), "login 403 403 403 403 403 200"),
            get(url("courses:report_csv", "course.course.pk"), "login 403 403 403 403 403 200"),
        ),
        names=("courses:report", "courses:report_csv"),
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
        "certificates (public to verify; the course's trainers and staff revoke)",
        (
            get(url("courses:certificate", "certificate.public_id"), ALL_200),
            get(url("courses:certificate", lambda world: "forged-id"), "404 " * 6 + "404"),
            post(
                url("courses:certificate_revoke", "certificate.public_id"),
                "login 403 403 403 403 403 302",
                {"reason": "Issued in error"},
            ),
        ),
        names=("courses:certificate", "courses:certificate_revoke"),
    ),
)


#: WebSocket routes: (route, description, path builder, expected per visitor).
#: ``accept``: the socket opens and greets; ``4403``: accepted then closed with 4403.
WEBSOCKET_RULES: tuple[tuple[str, str, Callable, str], ...] = (
    ("ws/healthz/", "health socket", lambda world: "/ws/healthz/", "accept " * 6 + "accept"),
    (
        "ws/forums/topics/<int:topic_id>/",
        "public topic",
        lambda world: f"/ws/forums/topics/{world.topic.pk}/",
        "accept " * 6 + "accept",
    ),
    (
        "ws/forums/topics/<int:topic_id>/",
        "private topic",
        lambda world: f"/ws/forums/topics/{world.private_topic.pk}/",
        "4403 4403 4403 4403 4403 accept accept",
    ),
    (
        "ws/notifications/",
        "notifications",
        lambda world: "/ws/notifications/",
        "4403 accept accept accept accept accept accept",
    ),
    (
        "ws/dialogues/<int:session_id>/",
        "public dialogue",
        lambda world: f"/ws/dialogues/{world.dialogue.pk}/",
        "accept " * 6 + "accept",
    ),
    (
        "ws/dialogues/<int:session_id>/",
        "private dialogue",
        lambda world: f"/ws/dialogues/{world.private_dialogue.pk}/",
        "4403 4403 4403 4403 4403 accept accept",
    ),
)
