"""Reads about people, partnerships and organisations, filtered by what the viewer may see."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import DEFAULT_DB_ALIAS
from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, Value
from django.utils.translation import get_language

from network import home
from network.models import (
    Follow,
    JoinRequest,
    JoinRequestStatus,
    LandscapePartnership,
    Organisation,
    OrganisationMembership,
    PartnershipInvitation,
    PartnershipMembership,
    PartnershipRole,
    ProfileVisibility,
    User,
)
from network.roles import Role, user_has_role


def members_visible_to(viewer: AbstractBaseUser | AnonymousUser) -> QuerySet[User]:
    """Active members whose profile the viewer may open, in a stable order for pagination."""
    allowed = Q(profile_visibility=ProfileVisibility.PUBLIC)
    if viewer.is_authenticated:
        allowed |= Q(profile_visibility=ProfileVisibility.MEMBERS) | Q(pk=viewer.pk)
    return User.objects.filter(allowed, is_active=True).order_by("username", "pk")


def member_visible_to(viewer: AbstractBaseUser | AnonymousUser, username: str) -> User | None:
    """The member with this username if the viewer may see their profile, else None."""
    return members_visible_to(viewer).filter(username=username).first()


def partnership_ids_for(user: AbstractBaseUser | AnonymousUser) -> frozenset[int]:
    """The partnerships whose private spaces this person may enter (none when signed out).

    Every "partnership-private" check in the site goes through here, so forums, search and
    feeds agree on who is inside.
    """
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    return frozenset(partnership_memberships_of(user).values_list("partnership_id", flat=True))


def partnership_memberships_of(user: AbstractBaseUser) -> QuerySet[PartnershipMembership]:
    """The memberships behind ``partnership_ids_for`` (for a signed-in, active user), as a
    query not yet run, for a caller that reads them in one statement with other rows (search's
    audiences)."""
    return PartnershipMembership.objects.filter(user=user)


def partnerships_filtered(
    *,
    region: str = "",
    country: str = "",
    text: str = "",
    status: str = "",
    theme: str = "",
    ecosystem: str = "",
    sdg: int | None = None,
) -> QuerySet[LandscapePartnership]:
    """Partnerships for the directory, narrowed by the visitor's filters (already validated).
    Each vocabulary filter names one term, so its join matches a partnership at most once."""
    partnerships = LandscapePartnership.objects.all()
    if region:
        partnerships = partnerships.filter(region=region)
    if country:
        partnerships = partnerships.filter(country=country)
    if text:
        partnerships = partnerships.filter(Q(name__icontains=text) | Q(description__icontains=text))
    if status:
        partnerships = partnerships.filter(status=status)
    if theme:
        partnerships = partnerships.filter(themes__slug=theme)
    if ecosystem:
        partnerships = partnerships.filter(ecosystems__slug=ecosystem)
    if sdg:
        partnerships = partnerships.filter(sdgs__number=sdg)
    return partnerships.select_related("logo").order_by("name", "pk")


#: What the open-data downloads say of a partnership: nothing about its people (no member,
#: no coordinator, no address but the contact inbox it publishes on its page anyway).
EXPORT_FIELDS = (
    "name",
    "slug",
    "country",
    "region",
    "status",
    "year_founded",
    "latitude",
    "longitude",
    "boundary_area_km2",
    "website",
)


def partnerships_for_export(*, simplified: bool = False, **filters) -> QuerySet:
    """The directory as rows of plain values for CSV and GeoJSON: one query, whatever the
    number of partnerships (no relation is followed)."""
    geometry = "boundary_simplified" if simplified else "boundary"
    return partnerships_filtered(**filters).select_related(None).values(*EXPORT_FIELDS, geometry)


#: ``may_edit_landscape``'s ``role`` when the caller has not read it.
_UNREAD = object()


def may_edit_landscape(
    user: AbstractBaseUser | AnonymousUser,
    partnership: LandscapePartnership,
    *,
    role: str | object | None = _UNREAD,
) -> bool:
    """The boundary is the partnership's own: its coordinators draw it, and the site's
    editors (who keep the directory) may correct it. ``role``: the user's role in the
    partnership when the caller already read it (``joining_state``), saving a query."""
    if not user.is_authenticated or not user.is_active:
        return False
    if role is _UNREAD:
        coordinates = is_coordinator(user, partnership)
    else:
        coordinates = role == PartnershipRole.COORDINATOR
    return coordinates or user_has_role(user, Role.EDITOR)


def organisations_filtered(
    *, type: str = "", country: str = "", text: str = ""
) -> QuerySet[Organisation]:
    """Organisations for the directory, narrowed by the visitor's filters (already validated)."""
    organisations = Organisation.objects.all()
    if type:
        organisations = organisations.filter(type=type)
    if country:
        organisations = organisations.filter(country=country)
    if text:
        organisations = organisations.filter(
            Q(name__icontains=text) | Q(description__icontains=text)
        )
    return organisations.select_related("logo").order_by("name", "pk")


def partnership_detail(slug: str) -> LandscapePartnership | None:
    """One partnership with its organisations loaded (the profile page shows them all). The
    boundary (up to a megabyte) stays in the database until something reads it."""
    return (
        LandscapePartnership.objects.select_related("logo")
        .defer("boundary", "boundary_simplified")
        .prefetch_related("organisations")
        .filter(slug=slug)
        .first()
    )


def partnership_terms(partnership: LandscapePartnership) -> home.PartnershipTerms:
    """The partnership's themes, ecosystems and goals in one query: a ``UNION`` of the three
    link tables, each joined to the term's columns the page shows (id, slug, names, rank), as
    ``library.selectors.case_study_relations`` reads a case study's. The rows become model
    instances with Django's ``Model.from_db``; the models are the fields' own targets, so
    ``network`` names nothing of the library's."""
    fields = {
        kind: LandscapePartnership._meta.get_field(kind)
        for kind in ("themes", "ecosystems", "sdgs")
    }

    def linked(kind: str, rank):
        field = fields[kind]
        target = field.m2m_reverse_field_name()
        return (
            field.remote_field.through.objects.filter(**{field.m2m_field_name(): partnership.pk})
            .order_by()
            .annotate(
                kind=Value(kind, output_field=CharField()), rank=rank, label=F(f"{target}__name")
            )
            .values_list(
                "kind",
                f"{target}_id",
                f"{target}__slug",
                "label",
                f"{target}__name_es",
                f"{target}__name_fr",
                f"{target}__name_pt",
                "rank",
            )
        )

    goal = fields["sdgs"].m2m_reverse_field_name()
    query = linked("themes", Value(0)).union(
        linked("ecosystems", Value(0)), linked("sdgs", F(f"{goal}__number")), all=True
    )
    found: dict[str, list] = {kind: [] for kind in fields}
    # The vocabularies' own orders: themes and ecosystems by name, goals by number.
    for kind, pk, slug, name, name_es, name_fr, name_pt, rank in query.order_by("rank", "label"):
        values = {"id": pk, "slug": slug, "name": name}
        values.update(name_es=name_es, name_fr=name_fr, name_pt=name_pt)
        if kind == "sdgs":
            values["number"] = rank
        found[kind].append(_loaded(fields[kind].related_model, values))
    return home.PartnershipTerms(**found)


def _loaded(model, values: dict[str, object]):
    """A model instance from some of its columns (Django's ``Model.from_db``)."""
    names = [field.attname for field in model._meta.concrete_fields if field.attname in values]
    return model.from_db(DEFAULT_DB_ALIAS, names, [values[name] for name in names])


def partnership_home(
    viewer: AbstractBaseUser | AnonymousUser,
    partnership: LandscapePartnership,
    *,
    terms: home.PartnershipTerms,
    is_member: bool,
    language: str | None = None,
) -> list[home.ReadSection]:
    """The sections other apps add to the partnership's home (``network.home``), read for
    this viewer: the members-only ones only when ``is_member`` (read at this request)."""
    request = home.HomeRequest(
        viewer=viewer,
        partnership=partnership,
        language=language or get_language(),
        terms=terms,
        is_member=is_member,
    )
    return home.read_sections(request)


def partnership_with_boundary(slug: str) -> LandscapePartnership | None:
    """What the boundary's download needs, and nothing else."""
    return (
        LandscapePartnership.objects.only("name", "slug", "boundary", "boundary_area_km2")
        .filter(slug=slug)
        .first()
    )


def partnership_members_visible_to(
    viewer: AbstractBaseUser | AnonymousUser, partnership: LandscapePartnership
) -> QuerySet[PartnershipMembership]:
    """The partnership's members whose profiles the viewer may see; the others stay unnamed."""
    visible = members_visible_to(viewer)
    return (
        partnership.memberships.filter(user__in=visible)
        .select_related("user")
        .order_by("role", "user__username")
    )


def organisation_members_visible_to(
    viewer: AbstractBaseUser | AnonymousUser, organisation: Organisation
) -> QuerySet[OrganisationMembership]:
    """The organisation's people whose profiles the viewer may see."""
    visible = members_visible_to(viewer)
    return (
        organisation.memberships.filter(user__in=visible)
        .select_related("user")
        .order_by("user__username")
    )


def organisation_detail(slug: str) -> Organisation | None:
    return (
        Organisation.objects.select_related("logo")
        .prefetch_related("partnerships")
        .filter(slug=slug)
        .first()
    )


def partnerships_of(member: User) -> QuerySet[LandscapePartnership]:
    """The partnerships a member belongs to (shown on a profile the viewer may already see)."""
    return LandscapePartnership.objects.filter(memberships__user=member).order_by("name")


def partnership_map_points(
    *, partnership: LandscapePartnership | None = None
) -> list[dict[str, object]]:
    """Located partnerships as small dicts for the map and its no-JavaScript list."""
    partnerships = LandscapePartnership.objects.filter(
        latitude__isnull=False, longitude__isnull=False
    ).defer("boundary")
    if partnership is not None:
        partnerships = partnerships.filter(pk=partnership.pk)
    else:
        # The directory's map draws every boundary from the simplified GeoJSON download:
        # inlining them all would make the page as heavy as the layer.
        partnerships = partnerships.defer("boundary_simplified")
    return [
        {
            "kind": "partnership",
            "title": item.name,
            "url": item.get_absolute_url(),
            "country": str(item.country.name),
            "lat": float(item.latitude),
            "lng": float(item.longitude),
            **(
                {"boundary": item.boundary_simplified}
                if partnership is not None and item.boundary_simplified
                else {}
            ),
        }
        for item in partnerships.order_by("name", "pk")
    ]


def is_member(user: AbstractBaseUser | AnonymousUser, partnership: LandscapePartnership) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return PartnershipMembership.objects.filter(partnership=partnership, user=user).exists()


def is_coordinator(
    user: AbstractBaseUser | AnonymousUser, partnership: LandscapePartnership
) -> bool:
    """Coordinators approve, decline, invite and remove: a role in the partnership, not a
    site role (a superuser who is not one of its coordinators cannot)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return PartnershipMembership.objects.filter(
        partnership=partnership, user=user, role=PartnershipRole.COORDINATOR
    ).exists()


def joining_state(
    user: AbstractBaseUser | AnonymousUser, partnership: LandscapePartnership
) -> dict[str, object]:
    """What the profile page offers this visitor: the role they hold (or None), whether they
    wait for an answer, whether they follow, and the number of followers; three queries."""
    state: dict[str, object] = {
        "role": None,
        "pending": False,
        "following": False,
        "followers": Follow.objects.filter(partnership=partnership).count(),
    }
    if not user.is_authenticated or not user.is_active:
        return state
    state["role"] = (
        PartnershipMembership.objects.filter(partnership=partnership, user=user)
        .values_list("role", flat=True)
        .first()
    )
    flags = (
        LandscapePartnership.objects.filter(pk=partnership.pk)
        .annotate(
            pending=Exists(
                JoinRequest.objects.filter(
                    partnership=OuterRef("pk"), user=user, status=JoinRequestStatus.PENDING
                )
            ),
            following=Exists(Follow.objects.filter(partnership=OuterRef("pk"), user=user)),
        )
        .values("pending", "following")
        .get()
    )
    state.update(flags)
    return state


def pending_join_requests(partnership: LandscapePartnership) -> QuerySet[JoinRequest]:
    return (
        partnership.join_requests.filter(status=JoinRequestStatus.PENDING)
        .select_related("user")
        .order_by("created_at", "pk")
    )


def join_request_of(partnership: LandscapePartnership, pk: int) -> JoinRequest | None:
    return partnership.join_requests.select_related("partnership").filter(pk=pk).first()


def partnership_members(partnership: LandscapePartnership) -> QuerySet[PartnershipMembership]:
    """Every member, for the coordinators (who manage them whatever their profile shows)."""
    return (
        partnership.memberships.select_related("user")
        .filter(user__is_active=True)
        .order_by("role", "user__username", "pk")
    )


def pending_invitations(partnership: LandscapePartnership) -> QuerySet[PartnershipInvitation]:
    return partnership.invitations.filter(accepted_at__isnull=True).order_by("-created_at", "-pk")
