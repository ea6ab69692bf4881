"""A fuzzing pass over every form: each Django form of the project (found by walking the
``forms``/``filters`` modules, so a new form without a target here fails the census test) and
each view that reads ``request.POST`` by hand, sent with every field set to one hostile value at
a time, by an anonymous visitor, a signed-in member and the member whose role reaches the form's
processing (the author, a moderator, the course's trainer, the session's host).

The values, one of each kind: a NUL, integers beyond 64 bits, a long string, bytes that are not
UTF-8 (sent raw in the body), full-text search syntax, markup, a digit that ``str.isdigit``
accepts but ``int`` does not. The gate is the fuzzing gate of ``test_fuzz_urls.py``: no server
error, and nothing reflected unescaped or executable.
"""

from __future__ import annotations

import importlib
import inspect
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, quote_from_bytes

import pytest
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from wagtail.admin.forms import WagtailAdminPageForm

from tests.hostile import executable_markup

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script>"
#: Each value is a urlencoded fragment (so that bytes which are not UTF-8 can be sent as is).
HOSTILE_VALUES: dict[str, str] = {
    "nul": quote("a\x00b"),
    "huge integer": "9" * 30,
    "huge negative integer": "-" + "9" * 30,
    "long string": "x" * 60_000,
    "invalid utf-8": quote_from_bytes(b"\xff\xfe\x80abc"),
    "fts syntax": quote('"a* OR (b NEAR c) ^d: -e', safe=""),
    "markup": quote(XSS + '"><img src=x onerror=alert(1)>', safe=""),
    "superscript digit": quote("\u00b2"),
}

#: The modules whose ``forms.Form`` subclasses the census expects to find targets for.
#: Where forms live: every app's (and subpackage's) ``forms.py`` and ``filters.py``.
FORM_GLOBS = ("*/forms.py", "*/filters.py", "*/*/forms.py", "*/*/filters.py")
#: Where views live: every app's ``views.py``, ``*_views.py`` and subpackages' ``views.py``.
VIEW_GLOBS = ("*/views.py", "*/*_views.py", "*/*/views.py")


@dataclass
class Target:
    """One address that takes a form: how to reach it, its fields, and who sends it."""

    name: str  # the form class, or the view for a hand-parsed form
    address: str  # a ``reverse`` name, or ``world.<object>.<attribute>`` (see ``resolve``)
    args: tuple = ()
    fields: tuple[str, ...] = ()
    method: str = "post"
    sender: str = "learner"  # the member who reaches the processing (besides anonymous)


TARGETS = [
    # forums.forms
    Target(
        "TopicForm", "forums:topic_create", ("public_category.slug",), ("title", "body", "tags")
    ),
    Target("ReplyForm", "forums:topic_reply", ("topic.pk",), ("body", "reply_to")),
    Target("EditForm", "forums:post_edit", ("reply.pk",), ("body",)),
    Target("ReactionForm", "forums:post_react", ("reply.pk",), ("kind",)),
    Target("MentionLookupForm", "forums:topic_mentions", ("topic.pk",), ("q",), method="get"),
    Target("PreviewForm", "forums:preview", (), ("body",)),
    Target("FlagForm", "forums:post_flag", ("first_post.pk",), ("reason",)),
    Target(
        "HideForm", "forums:post_hide", ("reply.pk",), ("reason_kind", "reason"), sender="moderator"
    ),
    Target(
        "RedactForm", "forums:revision_redact", ("revision.pk",), ("reason",), sender="moderator"
    ),
    Target(
        "HideForm",
        "forums:post_reject",
        ("reply.pk",),
        ("reason_kind", "reason"),
        sender="moderator",
    ),
    Target(
        "TopicVisibilityForm",
        "forums:topic_visibility",
        ("topic.pk",),
        ("visibility", "reason"),
        sender="moderator",
    ),
    Target(
        "PollForm", "forums:poll_create", ("topic.pk",), ("question", "choices"), sender="moderator"
    ),
    Target("PollVoteForm", "forums:poll_vote", ("poll",), ("choice",)),
    Target("MoveForm", "forums:topic_move", ("topic.pk",), ("category",), sender="moderator"),
    Target(
        "SuspendForm",
        "forums:user_suspend",
        ("outsider.username",),
        ("days", "reason"),
        sender="moderator",
    ),
    Target(
        "DialogueForm",
        "forums:dialogue_create",
        (),
        ("title", "description", "starts_at", "ends_at", "category", "lesson"),
        sender="trainer",
    ),
    # network
    Target(
        "ProfileForm",
        "network:profile",
        (),
        ("display_name", "organisation_name", "country", "languages", "bio", "profile_visibility"),
    ),
    Target(
        "MailSettingsForm",
        "network:mail_settings",
        (),
        ("language", "time_zone", "digest_frequency", "wanted"),
    ),
    Target("PartnershipFilterForm", "network:directory", (), ("page",), method="get"),
    Target("OrganisationFilterForm", "network:organisations", (), ("page",), method="get"),
    Target("DirectoryFilterForm", "network:directory", (), ("page",), method="get"),
    # search and the library's listings
    Target("SearchForm", "search:search", (), ("q", "sort", "view", "page", "bbox"), method="get"),
    Target("ListingFilterForm", "world.case_study.get_parent.url", (), ("page",), method="get"),
    Target(
        "CaseStudyFilterForm", "world.case_study.get_parent.url", (), ("sort", "page"), method="get"
    ),
    Target(
        "ResourceFilterForm",
        "world.locked_resource.get_parent.url",
        (),
        ("sort", "page"),
        method="get",
    ),
    # Hand-parsed POST views
    Target("moderation_queue", "forums:moderation", (), ("flag",), sender="moderator"),
    Target(
        "revision_redact",
        "forums:revision_redact",
        ("revision.pk",),
        ("reason",),
        sender="moderator",
    ),
    Target("dialogue_action", "forums:dialogue_chat", ("dialogue.pk",), ("body",)),
    Target("dialogue_action", "forums:dialogue_ask", ("dialogue.pk",), ("body",)),
    Target("dialogue_follow", "forums:dialogue_follow", ("dialogue.pk",), ("follow",)),
    Target("my_calendar", "events:my_calendar", (), ("action",)),
    # courses.forms
    Target("CohortJoinForm", "courses:cohort_join", (), ("invite_code", "course")),
    Target("LessonCompleteForm", "courses:lesson_complete", ("lesson.pk",), ("next_lesson",)),
    Target(
        "QuizSubmissionForm",
        "courses:quiz_submit",
        ("quiz_lesson.pk", "quiz_id"),
        ("attempt", "q-q-single", "q-q-multi", "q-q-tf", "q-q-short"),
    ),
    Target(
        "RevokeForm",
        "courses:certificate_revoke",
        ("certificate.public_id",),
        ("reason",),
        sender="trainer",
    ),
    # (The admin's certificate listing posts the same RevokeForm to the same service,
    # courses.admin_views; Wagtail admin pages are left out here, see project_forms.)
    Target(
        "ReflectionForm", "courses:reflection_save", ("lesson.pk", "quiz_id"), ("text", "shared")
    ),
    Target(
        "PrerequisiteWaiverForm",
        "courses:waiver_grant",
        ("course_page.pk",),
        ("learner", "cohort"),
        sender="trainer",
    ),
    Target(
        "InactivityFilterForm",
        "courses:inactive",
        ("course_page.pk",),
        ("days",),
        sender="trainer",
        method="get",
    ),
    Target(
        "LearnerMessageForm",
        "courses:inactive",
        ("course_page.pk",),
        ("days", "learners", "cohort", "subject", "body"),
        sender="trainer",
    ),
    Target(
        "CohortForm",
        "courses:cohort_create",
        ("course_page.pk",),
        ("name", "starts_on", "ends_on"),
        sender="trainer",
    ),
    # network: joining a partnership
    Target("JoinRequestForm", "network:join", ("home_partnership.slug",), ("message",)),
    Target("FollowForm", "network:follow", ("home_partnership.slug",), ("follow",)),
    Target(
        "JoinRequestDecisionForm",
        "network:join_request_decide",
        ("home_partnership.slug", "join_request.pk"),
        ("decision",),
        sender="partner",
    ),
    Target(
        "InvitationForm",
        "network:coordinate",
        ("home_partnership.slug",),
        ("email",),
        sender="partner",
    ),
    # finance
    Target("ProjectFilterForm", "finance:listing", (), ("page",), method="get"),
    Target("ProjectForm", "finance:project_create", ("home_partnership.slug",), sender="partner"),
    Target(
        "InterestForm",
        "finance:express_interest",
        ("home_partnership.slug", "project.slug"),
    ),
    # network: a partnership's landscape (the partner coordinates the home partnership)
    Target(
        "BoundaryForm",
        "network:landscape",
        ("home_partnership.slug",),
        ("file", "geojson", "remove"),
        sender="partner",
    ),
    # events
    Target("RegistrationForm", "events:register", ("public_event.pk",)),
    Target(
        "EventNotesForm",
        "events:notes_edit",
        ("past_event.pk",),
        ("body", "caption"),
        sender="staff",
    ),
    Target("CalendarFilterForm", "world.calendar_page.url", (), ("page",), method="get"),
    # allauth's forms, as the site shows them
    Target("LoginForm", "account_login", (), ("login", "password"), sender="anonymous"),
    Target(
        "SignupForm",
        "account_signup",
        (),
        ("email", "display_name", "password1", "password2"),
        sender="anonymous",
    ),
    Target("ResetPasswordForm", "account_reset_password", (), ("email",), sender="anonymous"),
    Target(
        "ChangePasswordForm",
        "account_change_password",
        (),
        ("oldpassword", "password1", "password2"),
    ),
    Target("AddEmailForm", "account_email", (), ("email", "action_add")),
    # lti.views: the platform's launch post, read by pylti1p3 (no form of ours)
    Target("launch_view", "lti:launch", (), ("id_token", "state"), sender="anonymous"),
    # lti.views: the teacher's deep linking pick, posted from the platform's frame
    Target("deep_link_choose", "lti:deep_link", (), ("launch_id", "page"), sender="anonymous"),
]


def project_forms() -> dict[str, type[forms.BaseForm]]:
    """Every form of the project's own pages. A Wagtail admin page form (``EventPageForm``)
    is left out: editors reach it inside Wagtail's admin, whose pages carry Wagtail's own
    markup and scripts (this pass would read them as reflections); its ``clean`` has tests of
    its own (tests/events/test_event_views.py)."""
    found = {}
    root = Path(settings.BASE_DIR)
    paths = {path for pattern in FORM_GLOBS for path in root.glob(pattern)}
    module_names = sorted(
        ".".join(path.relative_to(root).with_suffix("").parts)
        for path in paths
        if not {".venv", "tests", "bench"} & set(path.relative_to(root).parts)
    )
    for module_name in module_names:
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, forms.BaseForm)
                and not issubclass(value, WagtailAdminPageForm)
                and value.__module__ == module_name
            ):
                found[name] = value
    return found


def fields_of(target: Target) -> list[str]:
    """A form's own fields (all of them, as declared) and the target's extra ones."""
    form = project_forms().get(target.name)
    declared = list(form.base_fields) if form else []
    return declared + [name for name in target.fields if name not in declared]


HAND_PARSED = re.compile(r"request\.POST\.get(?:list)?\(")
FUNCTION = re.compile(r"^def (\w+)\(", re.MULTILINE)


def hand_parsed_views() -> set[str]:
    """The views that read a POST field by name rather than through a form."""
    found = set()
    root = Path(settings.BASE_DIR)
    paths = {path for pattern in VIEW_GLOBS for path in root.glob(pattern)}
    for path in sorted(paths):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        source = path.read_text()
        starts = [(match.start(), match.group(1)) for match in FUNCTION.finditer(source)]
        for index, (start, name) in enumerate(starts):
            end = starts[index + 1][0] if index + 1 < len(starts) else len(source)
            if HAND_PARSED.search(source, start, end):
                found.add(name)
    return found


def test_every_form_and_hand_parsed_view_has_a_fuzzing_target():
    covered = {target.name for target in TARGETS}
    assert set(project_forms()) - covered == set()
    assert hand_parsed_views() - covered == set()


def resolve(world, target: Target) -> str:
    def value(path: str):
        if path == "quiz_id":
            from tests.courses.conftest import QUIZ_ID

            return QUIZ_ID
        head, *rest = path.split(".")
        if head == "poll":  # made when a target needs it: the world's topic has none
            from tests.config.matrix_forums import _poll_pk

            return _poll_pk(world)
        found = {
            "lesson": world.course.lessons[0],
            "quiz_lesson": world.course.quiz_lesson,
            "course_page": world.course.course,
            "outsider": world.users["outsider"],
            "revision": world.objects.get("revision"),
        }.get(head) or world.objects[head]
        for attribute in rest:
            found = getattr(found, attribute)
            found = found() if callable(found) else found
        return found

    if target.address.startswith("world."):
        return value(target.address.removeprefix("world."))
    return reverse(target.address, args=[value(arg) for arg in target.args])


def test_every_form_takes_hostile_values_without_a_server_error_or_a_reflection(world, make_user):
    from forums import services

    world.objects["revision"] = services.post_edit(
        editor=world.users["learner"], post=world.reply, body="Thirty degrees, roughly."
    ).revisions.get()
    senders = {
        "learner": world.users["learner"],
        "moderator": world.users["moderator"],
        "trainer": world.objects["trainer"],
        "partner": world.users["partner"],
        "staff": world.users["staff"],
        "anonymous": None,
    }
    failures = []
    requests = 0
    for target in TARGETS:
        address = resolve(world, target)
        visitors = {"anonymous": None, "member": make_user(), target.sender: senders[target.sender]}
        for visitor, user in visitors.items():
            client = Client(raise_request_exception=False)
            if user is not None:
                client.force_login(user)
            for kind, value in HOSTILE_VALUES.items():
                cache.clear()  # the sign-up, log-in and posting limits have their own tests
                body = "&".join(f"{field}={value}" for field in fields_of(target))
                if target.method == "get":
                    response = client.get(f"{address}?{body}")
                else:
                    response = client.post(
                        address, body, content_type="application/x-www-form-urlencoded"
                    )
                requests += 1
                where = f"{target.name} {target.method.upper()} {address} {kind} as {visitor}"
                if response.status_code >= 500:
                    failures.append(f"{where}: {response.status_code}")
                    continue
                if "text/html" not in response.get("Content-Type", ""):
                    continue
                html = response.content.decode(errors="replace")
                if XSS in html:
                    failures.append(f"{where}: markup reflected")
                failures += [f"{where}: {problem}" for problem in executable_markup(html)]
    assert requests > 500
    assert failures == [], "\n" + "\n".join(failures)
