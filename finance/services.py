"""Every write of landscape finance.

Coordinators of a partnership (``PartnershipMembership`` role coordinator) keep its portfolio;
any signed-in member outside the partnership may express interest in a published project,
which opens one private forum conversation with the coordinators (``forums.services``). Each
write costs the same whatever the size of what it touches: outcomes and goals are replaced
set-based, and the conversation's participants are written in bulk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model

from finance import cache, selectors
from finance.models import Interest, Project, ProjectOutcome
from forums import services as forum_services
from forums.models import Category
from library.models import SustainableDevelopmentGoal
from network.models import LandscapePartnership, PartnershipMembership, PartnershipRole, User
from network.selectors import is_coordinator, is_member

#: The public forum room that holds funders' conversations; each one is seen only by its
#: participants (``forums.models.Topic.conversation``), so the room lists each person's own.
CONVERSATIONS_CATEGORY_SLUG = "finance-conversations"
MAX_OUTCOMES = 10


@dataclass(frozen=True)
class Outcome:
    label: str
    value: Decimal
    unit: str


@dataclass(frozen=True)
class ProjectData:
    """What a coordinator writes about a project (the form's cleaned data)."""

    title: str
    summary: str
    description: str
    amount_sought: Decimal
    currency: str
    kind: str
    stage: str
    latitude: Decimal | None
    longitude: Decimal | None
    published: bool
    sdgs: Sequence[SustainableDevelopmentGoal] = ()
    outcomes: Sequence[Outcome] = ()


def _check_coordinator(*, user: User, partnership: LandscapePartnership) -> None:
    if not is_coordinator(user, partnership):
        raise PermissionDenied(_("Only the partnership's coordinators can manage its portfolio."))


def _unique_slug(partnership: LandscapePartnership, title: str, *, exclude: int | None) -> str:
    base = slugify(title)[:180] or "project"
    taken = set(
        Project.objects.filter(partnership=partnership, slug__startswith=base)
        .exclude(pk=exclude)
        .values_list("slug", flat=True)
    )
    taken.add("new")  # the address of the form that adds a project
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _apply(project: Project, data: ProjectData) -> None:
    for field in (
        "title",
        "summary",
        "description",
        "amount_sought",
        "currency",
        "kind",
        "stage",
        "latitude",
        "longitude",
        "published",
    ):
        setattr(project, field, getattr(data, field))


def _write_relations(
    project: Project, data: ProjectData, document: UploadedFile | None, user: User
) -> None:
    if len(data.outcomes) > MAX_OUTCOMES:
        raise ValidationError(
            _("At most %(count)d expected outcomes.") % {"count": MAX_OUTCOMES},
            code="too_many_outcomes",
        )
    outcomes = [
        ProjectOutcome(
            project=project, label=item.label, value=item.value, unit=item.unit, position=index
        )
        for index, item in enumerate(data.outcomes)
    ]
    for outcome in outcomes:
        outcome.full_clean(exclude=["project"])
    project.outcomes.all().delete()
    ProjectOutcome.objects.bulk_create(outcomes)
    project.sdgs.set(data.sdgs)
    if document is not None:
        stored = get_document_model()(
            title=document.name[:255], file=document, uploaded_by_user=user
        )
        stored.full_clean(exclude=["collection"])
        stored.save()
        project.documents.add(stored)


@transaction.atomic
def project_create(
    *,
    partnership: LandscapePartnership,
    coordinator: User,
    data: ProjectData,
    document: UploadedFile | None = None,
) -> Project:
    """A coordinator adds a project to the partnership's portfolio (a draft unless published)."""
    _check_coordinator(user=coordinator, partnership=partnership)
    project = Project(partnership=partnership, created_by=coordinator)
    _apply(project, data)
    project.slug = _unique_slug(partnership, data.title, exclude=None)
    project.full_clean()
    project.save()
    _write_relations(project, data, document, coordinator)
    cache.project_changed(project)
    return project


@transaction.atomic
def project_update(
    *,
    project: Project,
    coordinator: User,
    data: ProjectData,
    document: UploadedFile | None = None,
) -> Project:
    """A coordinator changes a project; its address stays (links to it keep working)."""
    _check_coordinator(user=coordinator, partnership=project.partnership)
    project = Project.objects.select_for_update().select_related("partnership").get(pk=project.pk)
    _apply(project, data)
    project.full_clean()
    project.save()
    _write_relations(project, data, document, coordinator)
    cache.project_changed(project)
    return project


def _conversations_category() -> Category:
    category, _created = Category.objects.get_or_create(
        slug=CONVERSATIONS_CATEGORY_SLUG,
        defaults={
            "name": "Finance conversations",
            "description": "Private conversations between funders and partnerships.",
            "position": 1000,
        },
    )
    return category


def _opening_message(*, project: Project, funder: User, message: str) -> str:
    funders = list(
        funder.organisation_memberships.filter(organisation__type__in=["funder", "finance"])
        .select_related("organisation")
        .values_list("organisation__name", flat=True)[:3]
    )
    lines = [
        _("%(name)s is interested in the project “%(project)s” (%(amount)s %(currency)s).")
        % {
            "name": funder.public_name,
            "project": project.title,
            "amount": f"{project.amount_sought:,.2f}",
            "currency": project.currency,
        }
    ]
    if funders:
        lines.append(_("Organisation: %(names)s") % {"names": ", ".join(funders)})
    if message.strip():
        lines.append(message.strip())
    return "\n\n".join(lines)


def interest_express(*, project: Project, funder: User, message: str = "") -> tuple[Interest, bool]:
    """Open a private conversation between a funder and the partnership's coordinators about a
    published project; ``(interest, created)``. Pressing again returns the same conversation:
    the unique ``(project, funder)`` row decides, even for two presses at the same moment."""
    if not funder.is_authenticated or not funder.is_active:
        raise PermissionDenied(_("Sign in to express interest."))
    if not project.published:
        raise PermissionDenied(_("This project is not published."))
    existing = Interest.objects.filter(project=project, funder=funder).first()
    if existing is not None:
        return existing, False
    partnership = project.partnership
    if is_member(funder, partnership):
        raise PermissionDenied(
            _("You are a member of this partnership: talk with its coordinators in its forum.")
        )
    coordinators = selectors.coordinator_ids(partnership)
    if not coordinators:
        raise ValidationError(
            _("This partnership has no coordinator to answer yet."), code="no_coordinator"
        )
    try:
        with transaction.atomic():
            topic = forum_services.conversation_open(
                author=funder,
                category=_conversations_category(),
                title=_("Interest in “%(project)s”") % {"project": project.title},
                body=_opening_message(project=project, funder=funder, message=message),
                participants=User.objects.filter(pk__in=coordinators),
            )
            interest = Interest.objects.create(project=project, funder=funder, topic=topic)
    except IntegrityError:
        # Another press won the race: its conversation is the one.
        return Interest.objects.get(project=project, funder=funder), False
    return interest, True


def interest_conversations_follow_coordinators(*, partnership_id: int, user_id: int) -> None:
    """A person became or stopped being a coordinator of the partnership: the funders'
    conversations about its projects follow, in the same transaction as the change (the
    removed coordinator reads none of them from that commit on, the new one reads them all).
    A funder stays in their own conversation whatever their role."""
    coordinates = PartnershipMembership.objects.filter(
        partnership_id=partnership_id, user_id=user_id, role=PartnershipRole.COORDINATOR
    ).exists()
    topics = Interest.objects.filter(project__partnership_id=partnership_id).exclude(
        funder_id=user_id
    )
    forum_services.conversation_participant_set(
        topic_ids=topics.values_list("topic_id", flat=True), user_id=user_id, present=coordinates
    )
