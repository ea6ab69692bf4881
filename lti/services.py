"""The sign-in a valid launch grants: one transaction that refuses a replayed nonce, syncs
django-lti's rows, links (or creates) the learner's account, enrols them, and says so.

A refusal raises ``LaunchRefused`` (a message for the person, a status for the response) and
writes nothing of ours.
"""

from __future__ import annotations

import datetime
import logging
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lti_tool.models import LtiLaunch, LtiLineItem
from lti_tool.utils import sync_data_from_launch

from courses import signals
from courses.models import Cohort, EnrolmentMode
from courses.services import CourseError, cohort_create, cohort_join, enrolment_create
from lti.deep_linking import may_pick
from lti.models import ContextCohort, GradeLink, LinkedAccount, UsedLaunch
from lti.targets import Target
from network.models import User
from network.services import user_assign_default_role

logger = logging.getLogger(__name__)

#: A cohort made for a platform's course stays open this long (its end date; a trainer may
#: change it in the cohort's settings).
COHORT_DAYS = 5 * 365


#: The AGS scope that lets a tool post scores to a line item.
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
#: django-lti's ``LtiLineItem.url`` is a URLField of Django's default length.
_LINE_ITEM_URL_MAX = 200


class LaunchRefused(Exception):
    def __init__(self, message: str, *, status: int = 403):
        super().__init__(message)
        self.message = message
        self.status = status


def _new_user(claims: dict) -> User:
    username = f"lti-{secrets.token_hex(8)}"
    email = str(claims.get("email") or "").strip()
    try:
        validate_email(email)
        if User.objects.filter(email__iexact=email).exists():
            email = ""
    except ValidationError:
        email = ""
    user = User.objects.create_user(
        username=username,
        # An address nobody can receive mail at (RFC 2606) when the platform gave none, or
        # one that already belongs to someone: a platform's claim never takes over an account.
        email=email or f"{username}@lti.invalid",
        password=None,
        first_name=str(claims.get("given_name") or claims.get("name") or "")[:150],
        last_name=str(claims.get("family_name") or "")[:150],
    )
    user_assign_default_role(user=user)
    return user


def _linked_user(*, issuer: str, claims: dict) -> User:
    sub = str(claims["sub"])
    account = LinkedAccount.objects.select_related("user").filter(issuer=issuer, sub=sub).first()
    if account is None:
        try:
            with transaction.atomic():
                account = LinkedAccount.objects.create(
                    issuer=issuer, sub=sub, user=_new_user(claims)
                )
        except IntegrityError:  # the same person's launch in another tab got there first
            account = LinkedAccount.objects.select_related("user").get(issuer=issuer, sub=sub)
    if not account.user.is_active:
        raise LaunchRefused(_("This account has been deactivated on this site."))
    return account.user


def _context_cohort(*, lti_launch: LtiLaunch, target: Target, user: User) -> Cohort | None:
    """The cohort of our course taught in the platform's course (one per deployment, context
    and course), made by the courses services on the first launch from that context (whose
    learner is recorded as having made it: only trainers' own cohorts name a trainer)."""
    context = lti_launch.context_claim
    if not isinstance(context, dict) or not context.get("id"):
        return None
    lookup = {
        "deployment": lti_launch.deployment,
        "context_id": str(context["id"]),
        "course_key": target.course.translation_key,
    }
    link = ContextCohort.objects.select_related("cohort").filter(**lookup).first()
    if link is not None:
        return link.cohort
    name = str(context.get("title") or context.get("label") or context["id"]).strip()
    today = timezone.localdate()
    try:
        with transaction.atomic():
            cohort = cohort_create(
                course=target.course,
                name=name[:120] or lti_launch.registration.name[:120],
                starts_on=today,
                ends_on=today + datetime.timedelta(days=COHORT_DAYS),
                created_by=user,
            )
            ContextCohort.objects.create(cohort=cohort, **lookup)
    except IntegrityError:  # another learner of the same class launched at the same moment
        return ContextCohort.objects.select_related("cohort").get(**lookup).cohort
    return cohort


def _remember_grade_link(*, lti_launch: LtiLaunch, target: Target, user: User) -> None:
    """A launch whose AGS claim names the resource link's line item, with the scope to post
    scores, makes the learner's grade for the target go there (``lti.grades``).

    Only the claim's ``lineitem`` counts: a platform that gives only the ``lineitems``
    container expects the tool to make its own line item, which this tool does not do yet."""
    claim = lti_launch.ags_claim
    if not isinstance(claim, dict) or SCORE_SCOPE not in (claim.get("scope") or []):
        return
    url = claim.get("lineitem")
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        return
    if len(url) > _LINE_ITEM_URL_MAX:
        logger.warning(
            "LTI line item URL longer than %d characters, not kept: %s", _LINE_ITEM_URL_MAX, url
        )
        return
    resource_link = lti_launch.resource_link
    line_item, _created = LtiLineItem.objects.update_or_create(
        url=url,
        defaults={
            "context": resource_link.context,
            "resource_link": resource_link,
            "label": (resource_link.title or target.page.title)[:255],
            "maximum_score": 100,
        },
    )
    GradeLink.objects.update_or_create(
        lti_user=lti_launch.user,
        line_item=line_item,
        defaults={
            "user": user,
            "course_key": target.course.translation_key,
            "lesson_key": target.lesson.translation_key if target.lesson else None,
        },
    )


def _accept_once(lti_launch: LtiLaunch) -> None:
    """Refuse an inactive deployment or a nonce already used; sync django-lti's rows."""
    claims = lti_launch.get_launch_data()
    if not lti_launch.deployment.is_active:
        raise LaunchRefused(
            _("This platform's deployment is not active here yet. Ask the site's administrators.")
        )
    try:
        with transaction.atomic():
            UsedLaunch.objects.create(issuer=str(claims["iss"]), nonce=str(claims["nonce"]))
    except IntegrityError as error:
        raise LaunchRefused(
            _("This launch was already used. Open the activity again from your platform."),
            status=400,
        ) from error
    sync_data_from_launch(lti_launch)


@transaction.atomic
def deep_link_accept(*, lti_launch: LtiLaunch) -> None:
    """A deep linking launch, once, from a teacher of the platform's course. Signs nobody in:
    the teacher only picks what the platform will launch."""
    _accept_once(lti_launch)
    if not may_pick(lti_launch):
        raise LaunchRefused(_("Only a course's teachers can add activities from this site."))


@transaction.atomic
def launch_sign_in(*, lti_launch: LtiLaunch, target: Target) -> User:
    """The learner a validated resource launch signs in, enrolled in the target's course."""
    claims = lti_launch.get_launch_data()
    issuer = str(claims["iss"])
    _accept_once(lti_launch)
    user = _linked_user(issuer=issuer, claims=claims)
    lti_user = lti_launch.user
    if lti_user.auth_user_id != user.pk:
        lti_user.auth_user = user
        lti_user.save(update_fields=["auth_user", "datetime_modified"])
    _remember_grade_link(lti_launch=lti_launch, target=target, user=user)
    cohort = _context_cohort(lti_launch=lti_launch, target=target, user=user)
    try:
        if cohort is not None:
            cohort_join(user=user, invite_code=cohort.invite_code)
        elif target.course.enrolment_mode == EnrolmentMode.OPEN:
            enrolment_create(user=user, course=target.course)
        else:
            raise LaunchRefused(
                _("This course is taught in cohorts: open it from a course on your platform.")
            )
    except CourseError as error:
        raise LaunchRefused(error.message, status=error.status) from error
    signals.launched.send(
        sender=User, user=user, course=target.course, lesson=target.lesson, via="lti"
    )
    return user
