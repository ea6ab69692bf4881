"""Sync a platform course's class list (NRPS) into the cohort taught in it.

``roster_sync`` reads the whole list first (``lti.names_roles``, outside any transaction), then
writes it in one transaction, set-based, so a sync costs the same number of queries for a
class of five or of five hundred:

- django-lti's rows mirror the list: an ``LtiUser`` per member (names, address, our user once
  linked) and an ``LtiMembership`` per member of the context (its roles and whether the
  platform lists them as Active). Instructors are recorded there, as the context's teachers:
  our ``Cohort`` has no trainers of its own, and a course's trainers (``CoursePage.trainers``)
  manage every cohort and certificate of the course, which a platform's word must not grant.
- Each active learner not seen yet gets a ``LinkedAccount`` (no password, as a first launch
  makes one) and every active learner without an active enrolment in the course is enrolled in
  the cohort (a withdrawn one comes back, keeping their record). A learner active in another
  cohort of the course (another section) stays there.
- An enrolment in this cohort of a platform account the list no longer names as Active
  (Inactive, Deleted, or gone) is withdrawn, keeping the record. An empty list withdraws
  nobody: a platform answering with no members is more likely broken than emptied.

Running it twice changes nothing the second time. The periodic sync (``lti.tasks``) and the
instructor's "update now" (``lti.views.roster_view``) both come here.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from lti_tool.lti_core.constants import ContextRole
from lti_tool.models import LtiContext, LtiMembership, LtiUser

from config.page_cache import bump
from courses import discussions, signals
from courses.models import Enrolment, EnrolmentStatus
from lti.models import ContextCohort, LinkedAccount
from lti.names_roles import Member, RosterUnavailable, fetch_members
from network.models import User
from network.roles import DEFAULT_ROLE

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RosterOutcome:
    listed: int = 0
    accounts_created: int = 0
    enrolled: int = 0
    withdrawn: int = 0


def _new_users(members: list[Member]) -> list[User]:
    """Accounts for learners never seen, as ``lti.services`` makes on a first launch: no
    password, the platform's address only when it is valid and nobody's yet."""
    wanted = set()
    for member in members:
        try:
            validate_email(member.email)
            wanted.add(member.email.lower())
        except ValidationError:
            pass
    taken = (
        set(
            User.objects.annotate(address=Lower("email"))
            .filter(address__in=wanted)
            .values_list("address", flat=True)
        )
        if wanted
        else set()
    )
    users, given = [], set()
    for member in members:
        username = f"lti-{secrets.token_hex(8)}"
        email = member.email if member.email.lower() in wanted - taken - given else ""
        given.add(email.lower())
        users.append(
            User(
                username=username,
                email=email or f"{username}@lti.invalid",
                password=make_password(None),
                first_name=(member.given_name or member.name)[:150],
                last_name=member.family_name[:150],
            )
        )
    User.objects.bulk_create(users)
    group, _created = Group.objects.get_or_create(name=DEFAULT_ROLE.value)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=user.pk, group_id=group.pk) for user in users]
    )
    return users


def _mirror(*, context: LtiContext, members: list[Member], users_by_sub: dict[str, int]) -> None:
    """django-lti's users and memberships of the context, as the list has them."""
    lti_users = LtiUser.objects.bulk_create(
        [
            LtiUser(
                registration_id=context.deployment.registration_id,
                sub=member.sub,
                given_name=member.given_name,
                family_name=member.family_name,
                name=member.name,
                email=member.email,
                auth_user_id=users_by_sub.get(member.sub),
            )
            for member in members
        ],
        update_conflicts=True,
        unique_fields=["registration", "sub"],
        update_fields=[
            "given_name",
            "family_name",
            "name",
            "email",
            "auth_user",
            "datetime_modified",
        ],
    )
    # Upserted rows come back with their keys on PostgreSQL and SQLite (Django 5).
    roles = {member.sub: member for member in members}
    LtiMembership.objects.bulk_create(
        [
            LtiMembership(
                context=context,
                user_id=lti_user.pk,
                is_administrator=ContextRole.ADMINISTRATOR.value in roles[lti_user.sub].roles,
                is_content_developer=(
                    ContextRole.CONTENT_DEVELOPER.value in roles[lti_user.sub].roles
                ),
                is_instructor=roles[lti_user.sub].is_instructor,
                is_learner=ContextRole.LEARNER.value in roles[lti_user.sub].roles,
                is_mentor=ContextRole.MENTOR.value in roles[lti_user.sub].roles,
                is_active=roles[lti_user.sub].active,
            )
            for lti_user in lti_users
        ],
        update_conflicts=True,
        unique_fields=["user", "context"],
        update_fields=[
            "is_administrator",
            "is_content_developer",
            "is_instructor",
            "is_learner",
            "is_mentor",
            "is_active",
            "datetime_modified",
        ],
    )
    if members:  # an empty list is not believed (see the module's docstring)
        LtiMembership.objects.filter(context=context).exclude(
            user__sub__in=[member.sub for member in members]
        ).update(is_active=False, datetime_modified=timezone.now())


def _enrol(*, context_cohort: ContextCohort, user_ids: set[int]) -> int:
    """Enrol these users in the cohort unless they are active in the course already."""
    cohort = context_cohort.cohort
    if cohort.ends_on < timezone.localdate():
        logger.warning("LTI class list: cohort %s has ended; nobody enrolled", cohort.pk)
        return 0
    existing = {
        enrolment.user_id: enrolment
        for enrolment in Enrolment.objects.filter(
            course_key=cohort.course_key, user_id__in=user_ids
        )
    }
    now = timezone.now()
    created = Enrolment.objects.bulk_create(
        [
            Enrolment(user_id=user_id, course_key=cohort.course_key, cohort=cohort, enrolled_at=now)
            for user_id in sorted(user_ids - existing.keys())
        ]
    )
    returning = [e for e in existing.values() if e.status == EnrolmentStatus.WITHDRAWN]
    if returning:
        Enrolment.objects.filter(pk__in=[e.pk for e in returning]).update(
            status=EnrolmentStatus.ACTIVE, withdrawn_at=None, cohort=cohort
        )
    discussions.discussions_follow_enrolments(
        user_ids=[e.user_id for e in [*created, *returning]],
        course_key=cohort.course_key,
        present=True,
    )
    for enrolment in [*created, *returning]:
        enrolment.status, enrolment.withdrawn_at, enrolment.cohort = (
            EnrolmentStatus.ACTIVE,
            None,
            cohort,
        )
        signals.enrolled.send(sender=Enrolment, enrolment=enrolment)
    return len(created) + len(returning)


def _withdraw_unlisted(*, context_cohort: ContextCohort, issuer: str, active: set[str]) -> int:
    gone = LinkedAccount.objects.filter(issuer=issuer).exclude(sub__in=active).values("user_id")
    leaving = Enrolment.objects.filter(
        cohort=context_cohort.cohort, status=EnrolmentStatus.ACTIVE, user_id__in=gone
    )
    user_ids = list(leaving.values_list("user_id", flat=True))
    count = leaving.update(status=EnrolmentStatus.WITHDRAWN, withdrawn_at=timezone.now())
    # Out of the course's private lesson threads in the same transaction.
    discussions.discussions_follow_enrolments(
        user_ids=user_ids, course_key=context_cohort.cohort.course_key, present=False
    )
    return count


@transaction.atomic
def _apply(*, context_cohort_id: int, context: LtiContext, members: list[Member]):
    # Two syncs of one cohort (the clock's and a teacher's) take turns (PostgreSQL).
    context_cohort = (
        ContextCohort.objects.select_for_update(of=("self",))
        .select_related("cohort")
        .get(pk=context_cohort_id)
    )
    issuer = context.deployment.registration.issuer
    learners = [m for m in members if m.active and m.is_learner]
    linked: dict[str, int] = {}
    deactivated: set[int] = set()
    for sub, user_id, is_active in LinkedAccount.objects.filter(
        issuer=issuer, sub__in=[m.sub for m in members]
    ).values_list("sub", "user_id", "user__is_active"):
        linked[sub] = user_id
        if not is_active:
            deactivated.add(user_id)
    unseen = [m for m in learners if m.sub not in linked]
    created = _new_users(unseen) if unseen else []
    if created:
        LinkedAccount.objects.bulk_create(
            [
                LinkedAccount(issuer=issuer, sub=member.sub, user_id=user.pk)
                for member, user in zip(unseen, created, strict=True)
            ]
        )
        linked.update({member.sub: user.pk for member, user in zip(unseen, created, strict=True)})
        transaction.on_commit(lambda: bump("network.members"))
    _mirror(context=context, members=members, users_by_sub=linked)
    # A deactivated account stays out, as its launches are refused.
    enrolled = _enrol(
        context_cohort=context_cohort,
        user_ids={linked[m.sub] for m in learners} - deactivated,
    )
    withdrawn = (
        _withdraw_unlisted(
            context_cohort=context_cohort,
            issuer=issuer,
            active={m.sub for m in members if m.active},
        )
        if members
        else 0
    )
    return RosterOutcome(
        listed=len(members),
        accounts_created=len(created),
        enrolled=enrolled,
        withdrawn=withdrawn,
    )


def roster_sync(*, context_cohort: ContextCohort) -> RosterOutcome:
    """Read the platform course's class list and make the cohort follow it. Raises
    ``RosterUnavailable`` (logged as an error naming what to check) and then writes nothing."""
    context = (
        LtiContext.objects.select_related("deployment__registration")
        .filter(
            deployment_id=context_cohort.deployment_id, id_on_platform=context_cohort.context_id
        )
        .first()
    )
    where = context.memberships_url if context is not None else context_cohort.context_id
    try:
        if context is None or not context.memberships_url:
            raise RosterUnavailable("no launch from this course gave its class list address")
        members = fetch_members(
            registration=context.deployment.registration,
            memberships_url=context.memberships_url,
        )
        try:
            outcome = _apply(context_cohort_id=context_cohort.pk, context=context, members=members)
        except IntegrityError as error:  # a launch linked or enrolled someone meanwhile
            raise RosterUnavailable(
                f"a launch changed the same accounts while syncing ({error}); try again"
            ) from error
    except RosterUnavailable as failure:
        logger.error(
            "LTI class list of %s not synced into cohort %s, nothing changed: %s",
            where,
            context_cohort.cohort_id,
            failure.message,
        )
        raise
    logger.info(
        "LTI class list of %s synced into cohort %s: %s", where, context_cohort.cohort_id, outcome
    )
    return outcome


def rosters_due() -> list[ContextCohort]:
    """The cohorts of platform courses whose launches gave a class list address, of active
    registrations and deployments."""
    with_lists = LtiContext.objects.exclude(memberships_url="").filter(
        deployment__is_active=True, deployment__registration__is_active=True
    )
    pairs = set(with_lists.values_list("deployment_id", "id_on_platform"))
    return [
        link
        for link in ContextCohort.objects.select_related("cohort").filter(
            deployment_id__in={deployment for deployment, _id in pairs}
        )
        if (link.deployment_id, link.context_id) in pairs
    ]


def sync_all() -> int:
    """Every class list due (the clock's task): one platform's failure does not stop the
    others. Returns how many synced."""
    synced = 0
    for context_cohort in rosters_due():
        try:
            roster_sync(context_cohort=context_cohort)
        except RosterUnavailable:
            continue  # logged by roster_sync
        synced += 1
    return synced
